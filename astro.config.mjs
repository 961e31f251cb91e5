// @ts-check
import cloudflare from '@astrojs/cloudflare';
import { defineConfig, envField } from 'astro/config';
import { securityHeadersIntegration } from './src/integrations/securityHeaders.ts';

/**
 * Deployment settings, the one place they are configured (environment variables at build
 * time, documented in README.md):
 * - BASE_PATH: path prefix the whole site is mounted under, e.g. `/careers` (default `/`).
 * - SITE_URL: public origin used for canonical URLs, hreflang, feeds and structured data.
 * - FRAME_ANCESTORS: CSP frame-ancestors, who may embed the pages (default `'self'`).
 */
const BASE_PATH = process.env.BASE_PATH || '/';
const SITE_URL = process.env.SITE_URL || 'http://localhost:4321';
const FRAME_ANCESTORS = process.env.FRAME_ANCESTORS || "'self'";

// Offline, workerd cannot fetch the `request.cf` placeholder and logs an error each start;
// the site does not use `request.cf`, so the lookup is turned off.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

export default defineConfig({
  site: SITE_URL,
  // Pages opt in to prerendering (`export const prerender = true`); the rest run in the Worker.
  output: 'server',
  base: BASE_PATH,
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // The page and its styles arrive in the first round trip: no render-blocking request.
    inlineStylesheets: 'always',
  },
  adapter: cloudflare({
    imageService: 'passthrough',
  }),
  // The site uses no Astro sessions, so no SESSION KV namespace is provisioned.
  session: false,
  integrations: [securityHeadersIntegration({ frameAncestors: FRAME_ANCESTORS })],
  env: {
    schema: {
      FRAME_ANCESTORS: envField.string({ context: 'server', access: 'public', default: FRAME_ANCESTORS }),
    },
  },
  devToolbar: { enabled: false },
});
