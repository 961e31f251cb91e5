/// <reference types="@cloudflare/vitest-plugin/types" />
import type { D1Migration } from 'cloudflare:test';

declare module 'vitest' {
  interface ProvidedContext {
    /** The D1 migrations of wrangler.toml's DB binding, read in test/vitest.config.ts. */
    d1Migrations: D1Migration[];
    /** The limit of wrangler.toml's APPLICATION_RATE_LIMITER: valid applications per period (seconds). */
    applicationRateLimit: { limit: number; period: number };
    /** The limit of wrangler.toml's APPLICATION_ATTEMPT_RATE_LIMITER: attempts per period (seconds). */
    applicationAttemptRateLimit: { limit: number; period: number };
  }
}
