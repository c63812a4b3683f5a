// The console's first-page JavaScript budget: which files of the built index.html count, and the sum.
import { describe, expect, test } from '@jest/globals';
import { firstPageBudget, firstPageScripts, FIRST_PAGE_BUDGET_BYTES } from '../lib/console-budget';

const INDEX = `<!doctype html><head>
<script type="module" crossorigin src="/assets/index-B6TPpUcB.js"></script>
<link rel="modulepreload" crossorigin href="/assets/vendor-a1B2c3D4.js">
<link rel=modulepreload href='/assets/ui-Zz9_y8-X.js'>
<link rel="stylesheet" crossorigin href="/assets/index-C_9vSwjR.css">
<script src="/legacy.js"></script>
<link rel="modulepreload" href="/assets/vendor-a1B2c3D4.js">
</head>`;

describe('console first-page budget', () => {
  test('module scripts and modulepreloads count, once each; stylesheets and classic scripts do not', () => {
    expect(firstPageScripts(INDEX)).toEqual([
      '/assets/index-B6TPpUcB.js',
      '/assets/vendor-a1B2c3D4.js',
      '/assets/ui-Zz9_y8-X.js',
    ]);
  });

  test('the gzipped sizes are summed and held to 200 KB', () => {
    const small = firstPageBudget(INDEX, () => new TextEncoder().encode('export const a = 1;'.repeat(100)));
    expect(small.files).toHaveLength(3);
    expect(small.gzipped).toBe(small.files.reduce((sum, file) => sum + file.gzipped, 0));
    expect(small.withinBudget).toBe(true);

    // Random bytes do not compress: 3 x 80 KB is over the budget.
    const noise = new Uint8Array(80 * 1024).map(() => Math.floor(Math.random() * 256));
    const big = firstPageBudget(INDEX, () => noise);
    expect(big.gzipped).toBeGreaterThan(FIRST_PAGE_BUDGET_BYTES);
    expect(big.withinBudget).toBe(false);
  });
});
