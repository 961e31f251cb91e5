import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { unstable_readConfig } from 'wrangler';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER_CONFIG = fileURLToPath(new URL('../wrangler.toml', import.meta.url));

// wrangler.toml is the one description of the Worker: its compatibility date and flags, its
// bindings (D1, R2, the rate limiter, the queue, e-mail) and vars configure the functions tier,
// and its D1 migrations are applied in test/functions/setup.ts. Only its `main` is replaced:
// src/worker.ts needs an Astro build, and these tests call the handlers directly.
const wrangler = unstable_readConfig({ config: WRANGLER_CONFIG });
const database = wrangler.d1_databases.find((binding: { binding: string; migrations_dir?: string }) => binding.binding === 'DB');
if (!database?.migrations_dir) throw new Error('wrangler.toml: the DB binding names no migrations_dir');
const d1Migrations = await readD1Migrations(database.migrations_dir);
const rateLimit = (name: string): { limit: number; period: number } => {
  const binding = wrangler.ratelimits.find((candidate: { name: string }) => candidate.name === name);
  if (!binding) throw new Error(`wrangler.toml: no [[ratelimits]] ${name}`);
  return binding.simple;
};

// One command runs every tier: pure units in Node, the edge handlers inside workerd, the built
// Worker over HTTP, and the pages in Chromium.
export default defineConfig({
  test: {
    root: ROOT,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Edge logic inside workerd with real local D1, R2 and Rate Limiting, bound as
        // wrangler.toml declares them.
        // The Worker runs without Node.js compatibility (wrangler.toml); the plugin adds the Node
        // modules its test runner needs, and vitest also asks for node:inspector.
        plugins: [
          cloudflareTest({
            main: 'test/functions/entry.ts',
            wrangler: { configPath: WRANGLER_CONFIG },
            miniflare: { compatibilityFlags: ['enable_nodejs_inspector_module'] },
          }),
        ],
        test: {
          name: 'functions',
          include: ['test/functions/**/*.test.ts'],
          setupFiles: ['test/functions/setup.ts'],
          provide: {
            d1Migrations,
            applicationRateLimit: rateLimit('APPLICATION_RATE_LIMITER'),
            applicationAttemptRateLimit: rateLimit('APPLICATION_ATTEMPT_RATE_LIMITER'),
          },
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
