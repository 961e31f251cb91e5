import { z } from 'astro/zod';

/**
 * The content folder relative to the project root: CONTENT_DIR at build time (tests point it
 * at test/fixtures/…), default "content". Read by astro.config.mjs, src/content.config.ts and
 * the content commands, so all of them look at the same files.
 */
export function contentDirFromEnv(env: Record<string, string | undefined>): string {
  return z
    .string()
    .regex(/^[^/\\][^\\]*$/, 'CONTENT_DIR must be a folder relative to the project root, e.g. test/fixtures/many')
    .default('content')
    .parse(env['CONTENT_DIR'] || undefined)
    .replace(/\/+$/, '');
}
