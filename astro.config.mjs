// @ts-check
import cloudflare from '@astrojs/cloudflare';
import { defineConfig, envField } from 'astro/config';
import { securityHeadersIntegration } from './src/integrations/securityHeaders.ts';
import { contentChecksIntegration } from './src/integrations/contentChecks.ts';
import { contentDirFromEnv } from './src/content-tools/dir.ts';
import { parseEmbedOrigins } from './functions/embed/originsSetting.ts';

/**
 * Deployment settings, the one place they are configured (environment variables at build
 * time, documented in README.md):
 * - BASE_PATH: path prefix the whole site is mounted under, e.g. `/careers` (default `/`).
 * - SITE_URL: public origin where visitors see the pages (a host site's, when it mounts us under
 *   its path): canonical URLs, hreflang, sitemap, feeds, structured data and the absolute links
 *   of fragments. Default: where `npm start` serves, http://localhost:$PORT (4321).
 * - EMBED_ORIGINS: host sites allowed to embed us, comma- or space-separated origins (https, or
 *   http on localhost): CSP frame-ancestors, CORS, and cross-site form posts accepted from them.
 * - TURNSTILE_SITE_KEY: Cloudflare Turnstile site key; when set, the form shows the widget
 *   (the Worker then needs the secret TURNSTILE_SECRET_KEY, see wrangler.toml).
 * - CONTENT_DIR: the content folder, relative to the root (default `content`; tests use fixtures).
 */
const BASE_PATH = process.env.BASE_PATH || '/';
const SITE_URL = process.env.SITE_URL || `http://localhost:${process.env.PORT || 4321}`;
// Validated here, so a bad value stops the build with a message saying how to write it.
const EMBED_ORIGINS = parseEmbedOrigins(process.env.EMBED_ORIGINS);
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
    securityHeadersIntegration({ embedOrigins: EMBED_ORIGINS, turnstile: Boolean(TURNSTILE_SITE_KEY) }),
  ],
  env: {
    schema: {
      EMBED_ORIGINS: envField.string({ context: 'server', access: 'public', default: EMBED_ORIGINS.join(' ') }),
      TURNSTILE_SITE_KEY: envField.string({ context: 'client', access: 'public', default: TURNSTILE_SITE_KEY }),
    },
  },
  // Astro's origin check refuses every cross-site form post and knows no allowed list; the
  // Worker does the same check for every state-changing request, accepting our own origin and
  // EMBED_ORIGINS (src/server/embed.ts).
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  vite: {
    // Our CSP allows no inline scripts (script-src 'self'), so Astro must never inline a small
    // processed <script> into the page; every script stays an external file under /_astro/.
    build: { assetsInlineLimit: 0 },
    // The Worker's code minified (Astro builds it unminified): every new isolate loads all of it,
    // and half the bytes mean less to load and no garbage collection at startup (npm run bench).
    // Its source maps are uploaded with it (upload_source_maps), so stack traces stay readable.
    environments: { ssr: { build: { rolldownOptions: { output: { minify: true } } } } },
  },
});
