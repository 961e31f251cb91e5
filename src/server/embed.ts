/**
 * Composition root of embedding: what the Worker does around Astro for host sites. Before
 * routing, it answers CORS preflights and refuses state-changing requests from origins that are
 * neither ours nor in EMBED_ORIGINS (this replaces Astro's `security.checkOrigin`, which knows
 * no allowed list). Host-facing answers get absolute URLs (fragments), are kept in the isolate
 * while fresh with an ETag (304), and carry CORS. The rules themselves live in functions/embed/.
 */
import { site } from 'astro:config/client';
import { EMBED_ORIGINS } from 'astro:env/server';
import { createRenderedCache } from '#functions/embed/cache.ts';
import { preflightResponse, withCors } from '#functions/embed/cors.ts';
import { withAbsoluteUrls } from '#functions/embed/fragment.ts';
import { isAllowedOrigin, needsOriginCheck, splitEmbedOrigins } from '#functions/embed/origins.ts';
import { embedEndpointOf } from '#functions/embed/routes.ts';
import { problem } from '#functions/http.ts';
import { pickLocale } from '#functions/language/negotiate.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '#src/i18n/locales.ts';

/** The allowed host origins (EMBED_ORIGINS), as the build parsed and normalized them. */
export const ALLOWED_ORIGINS: readonly string[] = splitEmbedOrigins(EMBED_ORIGINS);

/** Public origin of our pages (SITE_URL): fragments link there, never to the Worker's hostname. */
const SITE_ORIGIN = siteOrigin(site);

function siteOrigin(value: string | undefined): string {
  if (!value) throw new Error('astro.config.mjs: site is not set; set SITE_URL to the public origin');
  return new URL(value).origin;
}

/** The locale to answer a request in: the path's, else the visitor's preference. */
function localeOf(request: Request, path: string): Locale {
  const [first] = path.split('/');
  if (isLocale(first)) return first;
  return pickLocale({ cookie: request.headers.get('Cookie'), acceptLanguage: request.headers.get('Accept-Language') }, LOCALES, DEFAULT_LOCALE);
}

/**
 * Answers what must not reach a handler: a preflight (`OPTIONS`) of a host-facing endpoint, or a
 * state-changing request whose Origin is neither ours nor allowed (403, in the visitor's
 * language: JSON for the APIs, text otherwise). `path` is below the base, without leading slash.
 */
export async function guardEmbedRequest(request: Request, path: string): Promise<Response | undefined> {
  const endpoint = embedEndpointOf(path);
  if (request.method === 'OPTIONS' && endpoint) return preflightResponse(request, ALLOWED_ORIGINS, endpoint.cors);
  if (!needsOriginCheck(request) || isAllowedOrigin(request.headers.get('Origin'), request.url, ALLOWED_ORIGINS)) return undefined;
  // The UI strings only now: the Worker's start never loads them (see src/worker.ts).
  const { translate } = await import('#src/i18n/ui.ts');
  const message = translate(localeOf(request, path), 'embed.error.origin');
  const init = { headers: { 'Cache-Control': 'no-store', Vary: 'Origin' } };
  if (path.startsWith('api/')) return problem(403, message, [], init);
  return new Response(message, { status: 403, headers: { ...init.headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Whether `path` is a host-facing endpoint, whose answers the Worker leaves as they are (no localized 404 page). */
export function isEmbedEndpoint(path: string): boolean {
  return embedEndpointOf(path) !== undefined;
}

/**
 * Rendered answers kept in this isolate while fresh: the host-facing ones and the list pages,
 * a few hundred of about 20 KB each, far below a Worker's memory; every isolate renders each
 * URL once per max-age (five minutes at most, a posting's never past its deadline).
 */
const rendered = createRenderedCache({ maxEntries: 300 });

/**
 * Answers from this isolate's kept copy while it is fresh (with an ETag, and 304 to a matching
 * If-None-Match), else renders with `render` and keeps a public, cacheable 200: for pages that
 * are a function of their URL for their max-age, such as the list.
 */
export function keepWhileFresh(request: Request, render: () => Promise<Response>): Promise<Response> {
  return rendered(request, render);
}

/**
 * Answers a host-facing endpoint: `render` (Astro) runs only when no fresh copy is kept;
 * fragments get absolute URLs, cacheable answers an ETag (and 304), every answer CORS.
 */
export async function answerEmbedRequest(request: Request, path: string, render: () => Promise<Response>): Promise<Response> {
  const endpoint = embedEndpointOf(path);
  if (!endpoint) return render();
  const finish = async () => {
    const response = await render();
    return endpoint.fragment && response.ok ? withAbsoluteUrls(response, SITE_ORIGIN) : response;
  };
  const answer = endpoint.validators ? await rendered(request, finish) : await finish();
  return withCors(request, answer, ALLOWED_ORIGINS);
}
