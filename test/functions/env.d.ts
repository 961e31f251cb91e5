/// <reference types="@cloudflare/vitest-plugin/types" />
import type { D1Migration } from 'cloudflare:test';

declare module 'vitest' {
  interface ProvidedContext {
    /** The applications' migrations, read in test/vitest.config.ts. */
    d1Migrations: D1Migration[];
  }
}
