import { appendFile } from 'node:fs/promises';
import type { AstroIntegration } from 'astro';
import { renderHeadersFile, type SecurityOptions } from '../../functions/security/headers';

/**
 * Writes the security headers into the `_headers` file of the static assets, so that pages
 * and files served without running the Worker carry the same headers as Worker responses.
 * Appends, because the Cloudflare adapter adds its own cache rules to the same file.
 */
export function securityHeadersIntegration(options: SecurityOptions): AstroIntegration {
  let base = '/';
  return {
    name: 'careers:security-headers',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        await appendFile(new URL('_headers', dir), renderHeadersFile(options, base));
        logger.info(`security headers written to ${new URL('_headers', dir).pathname}`);
      },
    },
  };
}
