import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';

// The applications' D1 schema, applied inside workerd by test/functions/setup.ts.
const d1Migrations = await readD1Migrations(new URL('../functions/applications/migrations', import.meta.url).pathname);

// One command runs every tier: pure units in Node, the built Worker over HTTP in workerd,
// and the pages in Chromium.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Edge logic inside workerd with real local D1, R2 and Rate Limiting (bindings below
        // mirror wrangler.toml; its entry needs an Astro build, so it is not loaded here).
        plugins: [
          cloudflareTest({
            miniflare: {
              compatibilityDate: '2026-10-01',
              compatibilityFlags: ['nodejs_compat'],
              d1Databases: ['DB'],
              r2Buckets: ['CV_BUCKET'],
              ratelimits: { APPLICATION_RATE_LIMITER: { namespace_id: '1001', simple: { limit: 3, period: 60 } } },
            },
          }),
        ],
        test: {
          name: 'functions',
          include: ['test/functions/**/*.test.ts'],
          setupFiles: ['test/functions/setup.ts'],
          provide: { d1Migrations },
        },
      },
      {
        test: {
          name: 'site',
          include: ['test/site/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
