import { appendFile } from 'node:fs/promises';
import type { AstroIntegration } from 'astro';
import { renderHeadersFile, type SecurityOptions } from '#functions/security/headers.ts';

/**
 * Writes the security headers into the `_headers` file of the static assets, so that pages
 * and files served without running the Worker carry the same headers as Worker responses.
 * Appends, because the Cloudflare adapter adds its own cache rules to the same file.
 */
export function securityHeadersIntegration(options: SecurityOptions): AstroIntegration {
  let base = '/';
  let clientRoot: URL | undefined;
  return {
    name: 'careers:security-headers',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
        // The root of the static assets. Under a base path the adapter builds pages into
        // client/<base>/ but keeps _headers at the root, where Cloudflare reads it.
        clientRoot = new URL('./client/', config.outDir);
      },
      'astro:build:done': async ({ logger }) => {
        if (!clientRoot) throw new Error('careers:security-headers: the output folder is unknown');
        const file = new URL('_headers', clientRoot);
        await appendFile(file, renderHeadersFile(options, base));
        logger.info(`security headers written to ${file.pathname}`);
      },
    },
  };
}
