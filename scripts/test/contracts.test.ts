// The contract compatibility check: each rule of the README's table, on copies of the real schemas,
// with a change it lets through and one it fails; the messages; snapshots, orphans and release.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from '@jest/globals';
import { DetailType } from '@herald/shared/contracts';
import { contracts, type Contract } from '@herald/shared/contracts/registry';
import { compareContract, type RuleId } from '../lib/contract-compat';
import {
  checkContracts,
  checkOne,
  describeReport,
  entryProblems,
  readReleases,
  releaseContracts,
  snapshotName,
} from '../lib/contract-snapshots';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = async (path: string) => JSON.parse(await readFile(join(root, path), 'utf8')) as Json;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const envelope = await load('shared/src/contracts/envelope.schema.json');
const deliveryFailed = await load('shared/src/contracts/delivery-failed.schema.json');
const copy = (schema: Json): Json => structuredClone(schema);
/** The same schema with unknown properties let through at its root. */
const open = (schema: Json): Json => {
  const result = copy(schema);
  delete result.additionalProperties;
  return result;
};

const STRICT = [{ strict: true }];
const TOLERANT = [{ strict: false }];
/** Validating consumers that read the schema relaxed: unknown properties ignored (Herald's). */
const IGNORING = [{ strict: true, ignoresUnknownProperties: true }];

type Consumers = readonly { strict: boolean; ignoresUnknownProperties?: boolean }[];

/** The rules of the breaking findings, and of the others. */
function judge(released: Json, current: Json, consumers: Consumers) {
  const findings = compareContract(released, current, consumers);
  return {
    breaking: findings.filter((finding) => finding.breaking).map((finding) => finding.rule),
    passing: findings.filter((finding) => !finding.breaking).map((finding) => finding.rule),
    findings,
  };
}

/** A change, the consumers it is judged for, and whether it must fail. */
interface Case {
  readonly rule: RuleId;
  readonly released?: Json;
  readonly change: (schema: Json) => void;
  readonly consumers: Consumers;
  readonly pointer?: string;
}

const failing: Case[] = [
  {
    rule: 'property-removed',
    change: (s) => delete s.properties.subject,
    consumers: TOLERANT,
    pointer: '/properties/subject',
  },
  {
    rule: 'property-removed',
    released: deliveryFailed,
    change: (s) => {
      delete s.properties.reason;
      s.required = s.required.filter((name: string) => name !== 'reason');
    },
    consumers: TOLERANT,
    pointer: '/properties/reason',
  },
  {
    rule: 'required-added',
    change: (s) => s.required.push('subject'),
    consumers: TOLERANT,
    pointer: '/required',
  },
  {
    rule: 'required-added',
    released: open(envelope),
    change: (s) => {
      s.properties.priority = { type: 'integer' };
      s.required.push('priority');
    },
    consumers: TOLERANT,
  },
  {
    rule: 'required-removed',
    change: (s) => (s.required = s.required.filter((name: string) => name !== 'correlationid')),
    consumers: TOLERANT,
  },
  {
    rule: 'property-added',
    change: (s) => (s.properties.priority = { type: 'integer' }),
    consumers: STRICT,
    pointer: '/properties/priority',
  },
  {
    rule: 'additional-properties-closed',
    released: open(envelope),
    change: (s) => (s.additionalProperties = false),
    consumers: STRICT,
    pointer: '/additionalProperties',
  },
  {
    rule: 'additional-properties-opened',
    change: (s) => delete s.additionalProperties,
    consumers: STRICT,
    pointer: '/additionalProperties',
  },
  {
    rule: 'type-narrowed',
    change: (s) => (s.properties.data.type = ['object', 'array']),
    consumers: STRICT,
    pointer: '/properties/data/type',
  },
  {
    rule: 'type-narrowed',
    released: { type: 'object', properties: { n: { type: 'number' } } },
    change: (s) => (s.properties.n.type = 'integer'),
    consumers: STRICT,
  },
  {
    rule: 'type-widened',
    change: (s) => (s.properties.subject.type = ['string', 'null']),
    consumers: STRICT,
    pointer: '/properties/subject/type',
  },
  {
    rule: 'enum-narrowed',
    released: { type: 'object', properties: { kind: { enum: ['webhook', 'email'] } } },
    change: (s) => (s.properties.kind.enum = ['webhook']),
    consumers: STRICT,
    pointer: '/properties/kind/enum',
  },
  {
    rule: 'enum-narrowed',
    change: (s) => (s.properties.source.enum = ['/herald/ingest']),
    consumers: STRICT,
  },
  {
    // A new enum value: a consumer of the previous release that validates (or switches
    // exhaustively) meets a value it does not know.
    rule: 'enum-widened',
    change: (s) => {
      delete s.properties.specversion.const;
      s.properties.specversion.enum = ['1.0', '2.0'];
    },
    consumers: STRICT,
    pointer: '/properties/specversion/enum',
  },
  {
    rule: 'bound-tightened',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.maxLength = 256),
    consumers: STRICT,
    pointer: '/properties/reason/maxLength',
  },
  {
    rule: 'bound-tightened',
    change: (s) => (s.properties.subject.minLength = 2),
    consumers: STRICT,
  },
  {
    rule: 'bound-loosened',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.maxLength = 1024),
    consumers: STRICT,
    pointer: '/properties/reason/maxLength',
  },
  {
    rule: 'pattern-changed',
    change: (s) => (s.properties.tenantid.pattern = '^[A-Za-z0-9_-]{1,128}$'),
    consumers: STRICT,
    pointer: '/properties/tenantid/pattern',
  },
  {
    rule: 'pattern-changed',
    change: (s) => (s.properties.subject.pattern = '^[a-z]+$'),
    consumers: STRICT,
  },
  {
    rule: 'format-changed',
    change: (s) => (s.properties.subject.format = 'uri'),
    consumers: STRICT,
    pointer: '/properties/subject/format',
  },
  {
    rule: 'keyword-changed',
    change: (s) => (s.properties.data.anyOf = [{ type: 'object' }, { type: 'array' }]),
    consumers: STRICT,
    pointer: '/properties/data/anyOf',
  },
  // Consumers that ignore unknown properties are still broken by what they read or validate.
  {
    rule: 'property-removed',
    change: (s) => delete s.properties.ingesttime,
    consumers: IGNORING,
    pointer: '/properties/ingesttime',
  },
  {
    // A rename is a removal and a new property: the removal breaks.
    rule: 'property-removed',
    change: (s) => {
      s.properties.correlation = s.properties.correlationid;
      delete s.properties.correlationid;
      s.required = s.required.map((name: string) => (name === 'correlationid' ? 'correlation' : name));
    },
    consumers: IGNORING,
    pointer: '/properties/correlationid',
  },
  {
    rule: 'type-narrowed',
    change: (s) => (s.properties.data.type = 'object'),
    consumers: IGNORING,
    pointer: '/properties/data/type',
  },
  {
    rule: 'required-added',
    change: (s) => {
      s.properties.priority = { type: 'integer' };
      s.required.push('priority');
    },
    consumers: IGNORING,
    pointer: '/required',
  },
  {
    // One validating consumer that refuses unknown properties is enough.
    rule: 'property-added',
    change: (s) => (s.properties.priority = { type: 'integer' }),
    consumers: [...IGNORING, ...STRICT],
    pointer: '/properties/priority',
  },
];

// The same kinds of change, where they break no consumer.
const passing: (Case & { why: string })[] = [
  {
    rule: 'property-removed',
    why: 'deprecated rather than removed: only its description changes',
    change: (s) => (s.properties.subject.description = 'Deprecated: no longer read'),
    consumers: STRICT,
  },
  {
    rule: 'required-added',
    why: 'a new property left optional',
    released: open(envelope),
    change: (s) => (s.properties.priority = { type: 'integer' }),
    consumers: STRICT,
  },
  {
    rule: 'required-removed',
    why: 'the same required properties in another order',
    change: (s) => s.required.reverse(),
    consumers: STRICT,
  },
  {
    rule: 'property-added',
    why: 'a new optional property where the released schema lets unknown properties through',
    released: open(envelope),
    change: (s) => (s.properties.priority = { type: 'integer', minimum: 0 }),
    consumers: STRICT,
  },
  {
    rule: 'property-added',
    why: 'a closed object, but no consumer validates',
    released: deliveryFailed,
    change: (s) => (s.properties.attempts = { type: 'integer' }),
    consumers: TOLERANT,
  },
  {
    rule: 'property-added',
    why: 'a new optional property on a closed object, read by consumers that ignore unknown properties',
    change: (s) => (s.properties.priority = { type: 'integer', minimum: 0 }),
    consumers: IGNORING,
  },
  {
    rule: 'additional-properties-closed',
    why: 'consumers ignore unknown properties: the producer promises less',
    released: open(envelope),
    change: (s) => (s.additionalProperties = false),
    consumers: IGNORING,
  },
  {
    rule: 'additional-properties-opened',
    why: 'consumers ignore unknown properties',
    change: (s) => delete s.additionalProperties,
    consumers: IGNORING,
  },
  {
    rule: 'additional-properties-closed',
    why: 'no consumer validates',
    released: open(deliveryFailed),
    change: (s) => (s.additionalProperties = false),
    consumers: TOLERANT,
  },
  {
    rule: 'additional-properties-opened',
    why: 'no consumer validates',
    released: deliveryFailed,
    change: (s) => delete s.additionalProperties,
    consumers: TOLERANT,
  },
  {
    rule: 'type-narrowed',
    why: 'no consumer validates: sending less breaks none',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.type = 'string'),
    consumers: TOLERANT,
  },
  {
    rule: 'type-widened',
    why: 'no consumer validates',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.type = ['string', 'null']),
    consumers: TOLERANT,
  },
  {
    rule: 'enum-narrowed',
    why: 'the same values in another order, one as const',
    released: { type: 'object', properties: { kind: { enum: ['webhook'] } } },
    change: (s) => {
      delete s.properties.kind.enum;
      s.properties.kind.const = 'webhook';
    },
    consumers: STRICT,
  },
  {
    rule: 'enum-widened',
    why: 'no consumer validates',
    released: { type: 'object', properties: { kind: { enum: ['webhook', 'email'] } } },
    change: (s) => s.properties.kind.enum.push('sms'),
    consumers: TOLERANT,
  },
  {
    rule: 'bound-tightened',
    why: 'no consumer validates',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.maxLength = 256),
    consumers: TOLERANT,
  },
  {
    rule: 'bound-loosened',
    why: 'no consumer validates',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.maxLength = 1024),
    consumers: TOLERANT,
  },
  {
    rule: 'pattern-changed',
    why: 'the same pattern, its description reworded',
    change: (s) => (s.properties.tenantid.description = 'The tenant'),
    consumers: STRICT,
  },
  {
    rule: 'format-changed',
    why: 'no consumer validates',
    released: deliveryFailed,
    change: (s) => (s.properties.reason.format = 'uri'),
    consumers: TOLERANT,
  },
  {
    rule: 'keyword-changed',
    why: 'annotations only: title, $comment, examples',
    change: (s) => {
      s.title = 'Envelope';
      s.$comment = 'reworded';
      s.properties.data.examples = [{ total: 42 }];
    },
    consumers: STRICT,
  },
];

describe('contract compatibility rules', () => {
  test.each(failing.map((c, i) => [`${c.rule} #${i}`, c] as const))('%s fails', (_name, c) => {
    const released = c.released ?? envelope;
    const current = copy(released);
    c.change(current);
    const { breaking } = judge(released, current, c.consumers);
    expect(breaking).toContain(c.rule);
    if (c.pointer) {
      const finding = compareContract(released, current, c.consumers).find((f) => f.rule === c.rule);
      expect(finding?.pointer).toBe(c.pointer);
    }
  });

  test.each(passing.map((c) => [`${c.rule}: ${c.why}`, c] as const))('%s passes', (_name, c) => {
    const released = c.released ?? envelope;
    const current = copy(released);
    c.change(current);
    expect(judge(released, current, c.consumers).breaking).toEqual([]);
  });

  test('every rule has a failing and a passing case', () => {
    const rules = new Set<RuleId>(failing.map((c) => c.rule));
    expect(new Set(passing.map((c) => c.rule))).toEqual(rules);
    expect(rules.size).toBe(15);
  });

  test('an unchanged schema has no finding, and nested objects and items are compared', () => {
    expect(compareContract(envelope, copy(envelope), STRICT)).toEqual([]);
    const released = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    };
    const current = copy(released);
    current.properties.list.items.properties.a.maxLength = 10;
    const [finding] = compareContract(released, current, STRICT);
    expect(finding).toMatchObject({
      rule: 'bound-tightened',
      pointer: '/properties/list/items/properties/a/maxLength',
      messagePath: '/list/*/a',
      breaking: true,
    });
  });

  test('integer widened to number is a widening, not a type lost', () => {
    const released = { type: 'object', properties: { n: { type: 'integer' } } };
    const current = copy(released);
    current.properties.n.type = 'number';
    expect(judge(released, current, STRICT)).toMatchObject({ breaking: ['type-widened'] });
  });
});

describe('contracts:check on the registry', () => {
  const inbound = contracts.find((c) => c.name === 'inbound-envelope')!;

  test('a breaking change to a copy of the real envelope fails, naming the contract, the pointer and why', () => {
    const current = copy(envelope);
    current.properties.tenantid.pattern = '^[a-z]{1,64}$';
    const report = checkOne(inbound, current, envelope);
    expect(report.status).toBe('breaking');
    const lines = describeReport(report).join('\n');
    expect(lines).toContain('✗ inbound-envelope v1: breaking');
    expect(lines).toContain(
      'BREAKING inbound-envelope v1 at /properties/tenantid/pattern (message /tenantid)',
    );
    expect(lines).toContain('pattern changed from');
    expect(lines).toContain('consumers validate');
  });

  test('a compatible change passes and says why', () => {
    const released = open(envelope);
    const current = copy(released);
    current.properties.region = { type: 'string' };
    const report = checkOne(inbound, current, released);
    expect(report.status).toBe('compatible');
    expect(describeReport(report).join('\n')).toContain('ok inbound-envelope v1 at /properties/region');
  });

  test('a new optional property fails while the previous release of a consumer refuses unknown properties, and passes once it ignores them', () => {
    const current = copy(envelope);
    current.properties.region = { type: 'string' };
    const refusing = checkOne(inbound, current, envelope, {
      processing: { commit: 'c0ffee', ignoresUnknownProperties: false },
    });
    expect(refusing.status).toBe('breaking');
    expect(describeReport(refusing).join('\n')).toContain(
      'BREAKING inbound-envelope v1 at /properties/region (message /region)',
    );
    const ignoring = checkOne(inbound, current, envelope, {
      processing: { commit: 'c0ffee', ignoresUnknownProperties: true },
    });
    expect(ignoring.status).toBe('compatible');
    expect(describeReport(ignoring).join('\n')).toContain('ignores properties its schema does not name');
    // What such a consumer reads still breaks it.
    delete current.properties.subject;
    const removed = checkOne(inbound, current, envelope, {
      processing: { commit: 'c0ffee', ignoresUnknownProperties: true },
    });
    expect(removed.findings.filter((f) => f.breaking).map((f) => f.rule)).toEqual(['property-removed']);
  });

  test('additionalProperties: false under not/anyOf/oneOf/if makes a contract invalid', () => {
    const nested = copy(envelope);
    nested.properties.data.anyOf = [{ type: 'object', additionalProperties: false }, { type: 'array' }];
    expect(entryProblems(inbound, nested)).toEqual([
      'additionalProperties: false at /properties/data/anyOf/0/additionalProperties is under not/anyOf/oneOf/if, where consumers cannot ignore unknown properties: close the object outside them',
    ]);
    const negated = copy(envelope);
    negated.not = { properties: { id: { const: 'x' } }, additionalProperties: false };
    expect(entryProblems(inbound, negated)).toHaveLength(1);
  });

  test('every Herald service has a previous release, a commit in this repository', async () => {
    const releases = await readReleases(root);
    expect(Object.keys(releases).sort()).toEqual(['ingest', 'notifications', 'processing']);
    for (const release of Object.values(releases)) {
      expect(release.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(() =>
        execFileSync('git', ['-C', root, 'cat-file', '-e', `${release.commit}^{commit}`], { stdio: 'pipe' }),
      ).not.toThrow();
    }
  });

  test('every contract names its major in its $id and its wire version in its schema', async () => {
    for (const contract of contracts) {
      expect([contract.name, entryProblems(contract, await load(contract.schema))]).toEqual([
        contract.name,
        [],
      ]);
    }
    const wrongMajor = copy(envelope);
    wrongMajor.$id = 'https://herald.internal/schemas/envelope.v2.json';
    expect(entryProblems(inbound, wrongMajor)).toEqual(["the registry says v1, its schema's $id v2"]);
    const noVersion = copy(envelope);
    noVersion.required = noVersion.required.filter((name: string) => name !== 'specversion');
    expect(checkOne(inbound, noVersion, envelope).status).toBe('invalid');
  });

  test('every bus detail type and the inbound queue have a contract, produced and consumed by services', () => {
    for (const detailType of Object.values(DetailType)) {
      expect(contracts.filter((c) => c.channel.includes(`detail-type ${detailType},`))).toHaveLength(1);
    }
    expect(contracts.some((c) => c.channel.startsWith("SQS: processing's inbound queue"))).toBe(true);
    for (const contract of contracts) {
      expect(contract.consumers.every((consumer) => consumer.name !== contract.producer)).toBe(true);
    }
  });
});

describe('snapshots', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function project(registry: readonly Contract[]): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'herald-contracts-'));
    for (const contract of registry) {
      await mkdir(join(dir, dirname(contract.schema)), { recursive: true });
      await writeFile(join(dir, contract.schema), await readFile(join(root, contract.schema), 'utf8'));
    }
    return dir;
  }

  test('release writes each snapshot byte for byte; a later breaking change fails; release again accepts it', async () => {
    const registry = contracts
      .filter((c) => c.name === 'delivery-failed')
      .map((c) => ({ ...c, consumers: [{ name: 'processing' as const, strict: true, reads: 'test' }] }));
    const at = await project(registry);
    expect((await checkContracts(at, registry)).reports[0]!.status).toBe('unreleased');
    expect(await releaseContracts(at, registry)).toEqual({
      written: ['delivery-failed.v1.schema.json'],
      removed: [],
    });
    expect(await readFile(join(at, 'contracts/released/delivery-failed.v1.schema.json'), 'utf8')).toBe(
      await readFile(join(root, 'shared/src/contracts/delivery-failed.schema.json'), 'utf8'),
    );
    expect((await checkContracts(at, registry)).ok).toBe(true);

    const schema = JSON.parse(await readFile(join(at, registry[0]!.schema), 'utf8'));
    schema.required.push('attempts');
    schema.properties.attempts = { type: 'integer' };
    await writeFile(join(at, registry[0]!.schema), JSON.stringify(schema));
    const result = await checkContracts(at, registry);
    expect(result.ok).toBe(false);
    expect(result.reports[0]!.findings.map((f) => [f.rule, f.breaking])).toEqual([['required-added', true]]);

    await releaseContracts(at, registry);
    expect((await checkContracts(at, registry)).ok).toBe(true);
  });

  test('a new major leaves the previous one orphaned, which fails until it is released away', async () => {
    const registry = contracts.filter((c) => c.name === 'subscription-disabled');
    const at = await project(registry);
    await releaseContracts(at, registry);
    const schema = JSON.parse(await readFile(join(at, registry[0]!.schema), 'utf8'));
    schema.$id = schema.$id.replace('.v1.json', '.v2.json');
    await writeFile(join(at, registry[0]!.schema), JSON.stringify(schema));
    const v2 = registry.map((c) => ({ ...c, major: 2 }));
    const result = await checkContracts(at, v2);
    expect(result.orphans).toEqual([snapshotName(registry[0]!)]);
    expect(result.reports[0]!.status).toBe('unreleased');
    expect(result.ok).toBe(false);
    expect(await releaseContracts(at, v2)).toEqual({
      written: ['subscription-disabled.v2.schema.json'],
      removed: ['subscription-disabled.v1.schema.json'],
    });
    expect(await readdir(join(at, 'contracts/released'))).toEqual(['subscription-disabled.v2.schema.json']);
    expect((await checkContracts(at, v2)).ok).toBe(true);
  });
});
