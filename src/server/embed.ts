/**
 * Composition root of embedding: what the Worker does around rendering for host sites. Before
 * routing, it sends paths with empty segments to their canonical form, answers CORS preflights
 * and refuses state-changing requests from origins that are neither ours nor in EMBED_ORIGINS
 * (this replaces Astro's `security.checkOrigin`, which knows no allowed list). Host-facing
 * answers get absolute URLs (fragments), are kept in the isolate while fresh with an ETag (304),
 * and carry CORS; so are the list pages. The rules themselves live in functions/embed/.
 *
 * The Worker imports this module at startup, so it imports only what every request may need:
 * the UI strings (for refusals), the form's reader (for the re-filled form) and what a kept
 * answer depends on (./canonical.ts, which reads filters with zod) load on first use.
 */
import { site } from 'astro:config/client';
import { env } from 'cloudflare:workers';
import { EMBED_ORIGINS } from 'astro:env/server';
import { createRenderedCache, type Render } from '#functions/embed/cache.ts';
import { preflightResponse, withCors } from '#functions/embed/cors.ts';
import { withAbsoluteUrls } from '#functions/embed/fragment.ts';
import { isAllowedOrigin, needsOriginCheck, ORIGIN_REFUSED_HEADER, REFILL_CONTENT_TYPE, splitEmbedOrigins } from '#functions/embed/origins.ts';
import { APPLICATION_FORM_ROUTE, embedEndpointOf } from '#functions/embed/routes.ts';
import { collapseEmptySegments, problem } from '#functions/http.ts';
import { writeLog } from '#functions/log.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '#src/i18n/locales.ts';
import { BASE } from '#src/i18n/paths.ts';
import type { UiKey } from '#src/schemas/ui.ts';
import type { KeptKind } from './canonical.ts';
import { ORIGIN_REFUSAL_KEYS, privateAreaOf } from './private.ts';

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
  return negotiateLocale(request, LOCALES, DEFAULT_LOCALE);
}

/**
 * A refusal in the visitor's language: the documented `{ error, issues }` on the APIs and the
 * host-facing endpoints, plain text elsewhere. Never cached.
 */
async function refusal(request: Request, path: string, status: number, key: UiKey, headers: Record<string, string> = {}): Promise<Response> {
  // The UI strings only now: the Worker's start never loads them (see src/worker.ts).
  const { translate } = await import('#src/i18n/ui.ts');
  const message = translate(localeOf(request, path), key);
  const init = { headers: { 'Cache-Control': 'no-store', Vary: 'Origin', ...headers } };
  if (path.startsWith('api/') || isEmbedEndpoint(path)) return problem(status, message, [], init);
  return new Response(message, { status, headers: { ...init.headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Empty path segments (`/careers/de//fragment`) name nothing: a GET or HEAD is sent to the
 * collapsed path (301, query kept), anything else is 404, so no such path reaches a handler
 * and skips what this layer adds.
 */
async function canonicalPathAnswer(request: Request, path: string): Promise<Response | undefined> {
  const { pathname, search } = new URL(request.url);
  if (!pathname.includes('//')) return undefined;
  if (request.method === 'GET' || request.method === 'HEAD') {
    return new Response(null, { status: 301, headers: { Location: `${collapseEmptySegments(pathname)}${search}`, 'Cache-Control': 'public, max-age=3600' } });
  }
  return refusal(request, collapseEmptySegments(path), 404, 'embed.error.emptySegment');
}

/**
 * Answers a site other than ours may not choose in the form it re-fills: the e-mail address
 * is where the private link (all answers and the CV) and the recruiters' replies go, so a page
 * that posts a stranger's address on a visitor's behalf must not get it pre-filled.
 */
const NOT_REFILLED: ReadonlySet<string> = new Set(['email']);

/**
 * An application form post refused for its origin must not lose what the applicant typed:
 * answered 403, nothing stored, with our own form page re-filled with the text values (never
 * the file, never the e-mail address) and a message asking to check them and send them again
 * from there, which is then same-origin. Only the text values reach the page, as a urlencoded
 * body no submission would accept. The post counts as an attempt of the client, as every
 * submission does, before its body is read; past the limit nothing is read or re-filled.
 * Undefined when the page cannot be shown (an unknown language or posting, the limit reached).
 */
async function refilledForm(request: Request, path: string, render: Render): Promise<Response | undefined> {
  const locale = path.match(APPLICATION_FORM_ROUTE)?.[1];
  if (request.method !== 'POST' || !isLocale(locale)) return undefined;
  const [{ isWithinRateLimit }, { MAX_REQUEST_BYTES, readForm, submittedValues }, { translate }] = await Promise.all([
    import('#functions/applications/rateLimits.ts'),
    import('#functions/applications/submission.ts'),
    import('#src/i18n/ui.ts'),
  ]);
  if (!(await isWithinRateLimit(env.APPLICATION_ATTEMPT_RATE_LIMITER, request, writeLog))) return undefined;
  const declared = Number(request.headers.get('Content-Length') ?? '0');
  // Bounded as a submission is: read up to MAX_REQUEST_BYTES, else nothing to re-fill.
  const received = declared > MAX_REQUEST_BYTES ? undefined : await readForm(request, locale, { translate });
  const typed = received?.outcome === 'received' ? submittedValues(received.form) : {};
  const values = Object.fromEntries(Object.entries(typed).filter(([name]) => !NOT_REFILLED.has(name)));
  const headers = new Headers(request.headers);
  headers.delete('Content-Length');
  headers.set('Content-Type', REFILL_CONTENT_TYPE);
  headers.set(ORIGIN_REFUSED_HEADER, '1');
  const page = await render(new Request(request.url, { method: 'POST', headers, body: new URLSearchParams(values) }));
  return page.status === 404 ? undefined : page;
}

/**
 * Answers what must not reach a handler as it is: a path with empty segments (301 to its
 * canonical form, or 404), a preflight (`OPTIONS`) of a host-facing endpoint, or a
 * state-changing request whose Origin is neither ours nor allowed: 403 in the visitor's language
 * (JSON for the APIs and host-facing endpoints, our form re-filled for an application form post,
 * text otherwise, in words that fit a private area's action there). `path` is below the base,
 * without leading slash; `render` renders a request as the Worker's routes do.
 */
export async function guardEmbedRequest(request: Request, path: string, render: Render): Promise<Response | undefined> {
  const canonical = await canonicalPathAnswer(request, path);
  if (canonical) return canonical;
  const endpoint = embedEndpointOf(path);
  if (request.method === 'OPTIONS' && endpoint) return preflightResponse(request, ALLOWED_ORIGINS, endpoint.cors);
  if (!needsOriginCheck(request) || isAllowedOrigin(request.headers.get('Origin'), request.url, ALLOWED_ORIGINS)) return undefined;
  const area = privateAreaOf(`${BASE}${path}`)?.area;
  return (await refilledForm(request, path, render)) ?? refusal(request, path, 403, area ? ORIGIN_REFUSAL_KEYS[area] : 'embed.error.origin');
}

/** Whether `path` is a host-facing endpoint, whose answers the Worker leaves as they are (no localized 404 page). */
export function isEmbedEndpoint(path: string): boolean {
  return embedEndpointOf(path) !== undefined;
}

/**
 * Rendered answers kept in this isolate while fresh: the host-facing ones and the list pages,
 * a few hundred of about 20 KB each, far below a Worker's memory; every isolate renders each
 * canonical URL once per max-age (five minutes at most, never past a shown posting's deadline).
 */
const rendered = createRenderedCache({ maxEntries: 300 });

/** What a kept answer depends on (./canonical.ts), loaded with the first answer that may be kept. */
let canonical: Promise<typeof import('./canonical.ts')> | undefined;

/**
 * Answers a GET or HEAD from this isolate's kept copy of the canonical request while it is
 * fresh (with an ETag, and 304 to a matching If-None-Match), else renders a GET of the canonical
 * URL with `render` and keeps a public, cacheable 200; other methods go to `render` as they are.
 */
async function answerKept(kind: KeptKind, request: Request, render: Render): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return render(request);
  canonical ??= import('./canonical.ts');
  return rendered(request, render, (await canonical).canonicalRequest(kind, request));
}

/** Answers a list page (`<locale>/`), a function of its URL for its max-age, from the kept copy while it is fresh (see answerKept). */
export function keepWhileFresh(request: Request, render: Render): Promise<Response> {
  return answerKept('list-page', request, render);
}

/**
 * Answers a host-facing endpoint: a read-only one refuses other methods (405 with Allow);
 * `render` runs only when no fresh copy of the canonical request is kept; fragments get
 * absolute URLs, cacheable answers an ETag (and 304), every answer CORS.
 */
export async function answerEmbedRequest(request: Request, path: string, render: Render): Promise<Response> {
  const endpoint = embedEndpointOf(path);
  if (!endpoint) return render(request);
  // Read-only endpoints (those whose answers are kept) take GET and HEAD; the applications API
  // answers other methods itself.
  if (endpoint.validators && !endpoint.cors.methods.includes(request.method)) {
    const allow = [...endpoint.cors.methods, 'OPTIONS'].join(', ');
    return withCors(request, await refusal(request, path, 405, 'embed.error.method', { Allow: allow }), ALLOWED_ORIGINS);
  }
  const finish: Render = async (forwarded) => {
    const response = await render(forwarded);
    return endpoint.fragment && response.ok ? withAbsoluteUrls(response, SITE_ORIGIN) : response;
  };
  const answer = endpoint.validators ? await answerKept(endpoint.name, request, finish) : await finish(request);
  return withCors(request, answer, ALLOWED_ORIGINS);
}
