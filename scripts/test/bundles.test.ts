import { describe, expect, test } from '@jest/globals';
import {
  baselineEntry,
  bundledPackages,
  bundleProblems,
  duplicatePackages,
  median,
  packageOf,
  sdkImports,
  SIZE_LIMIT,
  sizeProblem,
} from '../lib/bundles';

const repo = '/repo';
const mapPath = `${repo}/services/ingest/.esbuild/.build/src/handlers/on-upload.mjs.map`;
// Relative to the map's folder, as esbuild writes them.
const up = '../../../../../../';
const versions: Record<string, string> = {
  [`${repo}/node_modules/@aws-sdk/client-dynamodb`]: '3.1169.0',
  [`${repo}/services/ingest/node_modules/@aws-sdk/client-dynamodb`]: '3.1164.0',
  [`${repo}/shared/node_modules/@aws-sdk/client-s3`]: '3.1164.0',
  [`${repo}/services/ingest/node_modules/@aws-sdk/client-s3`]: '3.1164.0',
  [`${repo}/node_modules/ulid`]: '3.0.2',
};
const versionOf = (dir: string) => versions[dir] ?? 'unknown';

describe('packageOf', () => {
  test('names the package after the last node_modules, scoped or not', () => {
    expect(packageOf('/r/node_modules/ulid/dist/index.js')).toEqual({
      name: 'ulid',
      dir: '/r/node_modules/ulid',
    });
    expect(packageOf('/r/node_modules/@middy/validator/node_modules/@middy/util/index.js')).toEqual({
      name: '@middy/util',
      dir: '/r/node_modules/@middy/validator/node_modules/@middy/util',
    });
  });

  test("leaves the repository's own files out", () => {
    expect(packageOf('/r/shared/src/lazy.ts')).toBeUndefined();
    expect(packageOf('/r/node_modules/@scope')).toBeUndefined();
  });
});

describe('bundleProblems', () => {
  test('passes a bundle with each package once and a map without sources', () => {
    const map = {
      sources: [
        `${up}node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js`,
        `${up}node_modules/@aws-sdk/client-dynamodb/dist-es/commands/PutItemCommand.js`,
        `${up}node_modules/ulid/dist/index.js`,
        '../../../src/handlers/on-upload.ts',
      ],
    };
    expect(bundleProblems(mapPath, map, versionOf)).toEqual([]);
  });

  test('names a package taken in two versions, with where each came from', () => {
    const map = {
      sources: [
        `${up}node_modules/@aws-sdk/client-dynamodb/dist-es/commands/PutItemCommand.js`,
        '../../../../node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js',
      ],
    };
    expect(bundleProblems(mapPath, map, versionOf)).toEqual([
      `carries @aws-sdk/client-dynamodb 2 times: 3.1169.0 from ${repo}/node_modules/@aws-sdk/client-dynamodb, ` +
        `3.1164.0 from ${repo}/services/ingest/node_modules/@aws-sdk/client-dynamodb`,
    ]);
  });

  test('names one version taken from two folders too: the same code twice', () => {
    const map = {
      sources: [
        `${up}shared/node_modules/@aws-sdk/client-s3/dist-es/S3Client.js`,
        '../../../node_modules/@aws-sdk/client-s3/dist-es/S3Client.js',
      ],
    };
    expect(bundleProblems(mapPath, map, versionOf)).toEqual([
      expect.stringContaining('carries @aws-sdk/client-s3 2 times'),
    ]);
  });

  test('refuses a map that embeds its sources, and accepts one whose sources are all null', () => {
    const sources = ['../../../src/handlers/on-upload.ts'];
    expect(bundleProblems(mapPath, { sources, sourcesContent: ['export {}'] }, versionOf)).toEqual([
      'its source map embeds the sources (sourcesContent)',
    ]);
    expect(bundleProblems(mapPath, { sources, sourcesContent: [null] }, versionOf)).toEqual([]);
  });
});

describe('duplicatePackages', () => {
  test('lists only packages from more than one folder, sorted by name', () => {
    const packages = bundledPackages([
      '/r/node_modules/b/x.js',
      '/r/a/node_modules/b/y.js',
      '/r/node_modules/a/x.js',
      '/r/node_modules/a/y.js',
    ]);
    expect(duplicatePackages(packages, () => '1.0.0')).toEqual([
      {
        name: 'b',
        copies: [
          { dir: '/r/a/node_modules/b', version: '1.0.0' },
          { dir: '/r/node_modules/b', version: '1.0.0' },
        ],
      },
    ]);
  });
});

describe('sdkImports and baselineEntry', () => {
  const files = [
    '/r/node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js',
    '/r/node_modules/@aws-sdk/client-dynamodb/dist-es/commands/QueryCommand.js',
    '/r/node_modules/@aws-sdk/client-dynamodb/dist-es/models/errors.js',
    '/r/node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/QueryCommand.js',
    '/r/node_modules/@aws-sdk/lib-dynamodb/dist-es/pagination/QueryPaginator.js',
    '/r/node_modules/@aws-sdk/s3-request-presigner/dist-es/getSignedUrl.js',
    // The credential chain's own client: comes with any client, not imported by the code.
    '/r/node_modules/@aws-sdk/nested-clients/dist-es/submodules/sts/STSClient.js',
    '/r/node_modules/@aws-sdk/client-sso/dist-es/SSOClient.js',
  ];
  const direct = new Set([
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/lib-dynamodb',
    '@aws-sdk/s3-request-presigner',
    'ulid',
  ]);

  test('finds the clients, commands, paginators and presigner the code imports', () => {
    expect(sdkImports(files, direct)).toEqual(
      new Map([
        ['@aws-sdk/client-dynamodb', new Set(['DynamoDBClient', 'QueryCommand'])],
        ['@aws-sdk/lib-dynamodb', new Set(['QueryCommand', 'paginateQuery'])],
        ['@aws-sdk/s3-request-presigner', new Set(['getSignedUrl'])],
      ]),
    );
  });

  test('imports them under distinct names into a bare middy handler that keeps them', () => {
    const entry = baselineEntry(sdkImports(files, direct));
    expect(entry).toContain("import middy from '@middy/core';");
    expect(entry).toContain(
      "import { DynamoDBClient as DynamoDBClient$0, QueryCommand as QueryCommand$0 } from '@aws-sdk/client-dynamodb';",
    );
    expect(entry).toContain(
      "import { QueryCommand as QueryCommand$1, paginateQuery as paginateQuery$1 } from '@aws-sdk/lib-dynamodb';",
    );
    expect(entry).toContain(
      'export const sdk = [DynamoDBClient$0, QueryCommand$0, QueryCommand$1, paginateQuery$1, getSignedUrl$2];',
    );
    expect(entry).toContain('export const handler = middy().handler(');
  });
});

describe('median', () => {
  test('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('sizeProblem', () => {
  test('passes a bundle up to SIZE_LIMIT times its baseline and names one above it', () => {
    expect(SIZE_LIMIT).toBe(1.1);
    expect(sizeProblem(110 * 1024, 100 * 1024)).toBeUndefined();
    expect(sizeProblem(111 * 1024, 100 * 1024)).toBe(
      "is 111.0 KB, 1.11x its baseline's 100.0 KB (a bare middy handler with the same AWS SDK clients): " +
        'at most 1.1x, 110.0 KB',
    );
  });
});
