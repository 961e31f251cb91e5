// @ts-check
import cloudflare from '@astrojs/cloudflare';
import { defineConfig, envField } from 'astro/config';
import { securityHeadersIntegration } from './src/integrations/securityHeaders.ts';
import { contentChecksIntegration } from './src/integrations/contentChecks.ts';
import { contentDirFromEnv } from './src/content-tools/dir.ts';

/**
 * Deployment settings, the one place they are configured (environment variables at build
 * time, documented in README.md):
 * - BASE_PATH: path prefix the whole site is mounted under, e.g. `/careers` (default `/`).
 * - SITE_URL: public origin used for canonical URLs, hreflang, feeds and structured data.
 * - FRAME_ANCESTORS: CSP frame-ancestors, who may embed the pages (default `'self'`).
 * - TURNSTILE_SITE_KEY: Cloudflare Turnstile site key; when set, the form shows the widget
 *   (the Worker then needs the secret TURNSTILE_SECRET_KEY, see wrangler.toml).
 * - CONTENT_DIR: the content folder, relative to the root (default `content`; tests use fixtures).
 */
const BASE_PATH = process.env.BASE_PATH || '/';
const SITE_URL = process.env.SITE_URL || 'http://localhost:4321';
const FRAME_ANCESTORS = process.env.FRAME_ANCESTORS || "'self'";
const TURNSTILE_SITE_KEY = process.env.TURNSTILE_SITE_KEY || '';
const CONTENT_DIR = contentDirFromEnv(process.env);

// Offline, workerd cannot fetch the `request.cf` placeholder and logs an error each start;
// the site does not use `request.cf`, so the lookup is turned off.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

export default defineConfig({
  site: SITE_URL,
  // Builds of another content folder (the test fixtures) keep their own content cache, so a
  // build never starts from the cached entries of a different folder.
  ...(CONTENT_DIR !== 'content' && { cacheDir: `./node_modules/.astro/content-${CONTENT_DIR.replace(/[^\w-]+/g, '_')}` }),
  // Pages opt in to prerendering (`export const prerender = true`); the rest run in the Worker.
  output: 'server',
  base: BASE_PATH,
  // Pages link with a trailing slash; endpoints such as `…/apply` answer with or without one.
  trailingSlash: 'ignore',
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
  integrations: [
    // Content checks first: a build with broken content stops before anything is rendered.
    contentChecksIntegration({ contentDir: CONTENT_DIR }),
    securityHeadersIntegration({ frameAncestors: FRAME_ANCESTORS, turnstile: Boolean(TURNSTILE_SITE_KEY) }),
  ],
  env: {
    schema: {
      FRAME_ANCESTORS: envField.string({ context: 'server', access: 'public', default: FRAME_ANCESTORS }),
      TURNSTILE_SITE_KEY: envField.string({ context: 'client', access: 'public', default: TURNSTILE_SITE_KEY }),
    },
  },
  devToolbar: { enabled: false },
  // Our CSP allows no inline scripts (script-src 'self'), so Astro must never inline a small
  // processed <script> into the page; every script stays an external file under /_astro/.
  vite: { build: { assetsInlineLimit: 0 } },
});
