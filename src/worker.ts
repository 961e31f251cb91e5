/**
 * The Worker entry, the composition root: the only module (with src/server/) that reads
 * bindings. It dispatches each request to a named handler and puts the security headers on
 * every answer; the crons go to retention and the delivery sweep, the delivery queue to its
 * consumer. Static assets (the prerendered pages) never reach it; Cloudflare serves them.
 *
 * Startup: a new isolate evaluates this module and its static imports before its first answer,
 * so they are kept to what every request may need: the language handlers, the security headers
 * and the embedding guard (no Astro, no zod, no content). Everything else is imported on its
 * first use: the handlers of ROUTES (Astro's runtime among them), and the background jobs.
 */
import { TURNSTILE_SITE_KEY } from 'astro:env/client';
import { EMBED_PATHS } from '#functions/embed/routes.ts';
import { discardUnreadBody, withStandardHead } from '#functions/http.ts';
import { handleLanguageSwitch, handleNegotiationRedirect } from '#functions/language/handler.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import { writeLog } from '#functions/log.ts';
import { withSecurityHeaders } from '#functions/security/headers.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES } from './i18n/locales.ts';
import { BASE } from './i18n/paths.ts';
import { ALLOWED_ORIGINS, answerEmbedRequest, guardEmbedRequest, isEmbedEndpoint, keepWhileFresh } from './server/embed.ts';
import { privateWhereDue } from './server/private.ts';

const LANGUAGE = { locales: LOCALES, defaultLocale: DEFAULT_LOCALE, base: BASE };
const SECURITY = { embedOrigins: ALLOWED_ORIGINS, turnstile: Boolean(TURNSTILE_SITE_KEY) };

/** First path segments that are not pages to localize: built assets and Worker endpoints. */
const UNLOCALIZED = new Set(['_astro', 'api', 'language', 'favicon.svg', 'favicon.ico', 'robots.txt', 'sitemap.xml']);

/** Runs `load` once, on first use, and keeps its promise (not a failed one: the next call retries). */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
}

/** A request handler; `path` is the request path below the base, without leading slash. */
type Handler = (request: Request, path: string, env: Env, ctx: ExecutionContext) => Promise<Response>;

/** Astro's handler, which renders src/pages/. */
const astro = onFirstUse(async () => (await import('./server/astro.ts')).renderWithAstro);

/**
 * What renders the answer to a request that got past the guard, language switch and
 * negotiation in route(): the first route whose pattern matches the path. Each handler's module
 * is imported on the first request it answers, so an isolate evaluates only what its requests
 * use; `keep` routes are answered from the isolate's kept copy while it is fresh
 * (keepWhileFresh). To add a route, add a line with its handler module (in src/server/); a new
 * Astro page in src/pages/ needs none, the last route gives it every path.
 */
const ROUTES: ReadonlyArray<{ pattern: RegExp; handler: () => Promise<Handler>; keep?: true }> = [
  // The JSON APIs and the JSON-LD for hosts, answered without Astro.
  { pattern: EMBED_PATHS['jobs-api'], handler: onFirstUse(async () => (await import('./server/jobsApi.ts')).handleJobsApiRequest) },
  { pattern: EMBED_PATHS['applications-api'], handler: onFirstUse(async () => (await import('./server/applications.ts')).handleApplicationsApi) },
  { pattern: EMBED_PATHS['posting-jsonld'], handler: onFirstUse(async () => (await import('./server/postingJsonLd.ts')).handlePostingJsonLdRequest) },
  // The list page of each locale, the most requested rendered page: kept while fresh.
  { pattern: new RegExp(`^(?:${LOCALES.join('|')})/?$`), handler: astro, keep: true },
  // Everything else: Astro renders src/pages/ (the fragments, the form, 404s) and, behind the
  // gate of src/middleware.ts, the private pages (the inbox, the applicant's own), never kept.
  { pattern: /^/, handler: astro },
];

/**
 * Answers with the first route of ROUTES that matches the request's path. The embedding layer
 * may hand over a request of its own (a GET of the canonical URL, the re-filled form), so the
 * path is read from the request given.
 */
async function render(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const path = new URL(request.url).pathname.slice(BASE.length);
  const route = ROUTES.find(({ pattern }) => pattern.test(path)) ?? ROUTES[ROUTES.length - 1]!;
  const answer = async (forwarded: Request) => (await route.handler())(forwarded, path, env, ctx);
  return route.keep ? keepWhileFresh(request, answer) : answer(request);
}

async function route(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { pathname } = new URL(request.url);
  // Outside the base path lies the host site's space, not ours (the production route only
  // sends the prefix here; locally the server sees everything).
  if (!`${pathname}/`.startsWith(BASE)) return new Response('Not found', { status: 404 });
  const path = pathname.slice(BASE.length);
  const [first] = path.split('/');
  // Paths with empty segments, preflights, and state changes from origins that are neither
  // ours nor a host's we allow.
  const refused = await guardEmbedRequest(request, path, (forwarded) => render(forwarded, env, ctx));
  if (refused) return refused;

  if (first === 'language') {
    const switched = handleLanguageSwitch(request, path.slice('language/'.length), LANGUAGE);
    if (switched) return switched;
  }
  // Pages without a locale go to the visitor's; host-facing endpoints answer as asked.
  if ((request.method === 'GET' || request.method === 'HEAD') && !isLocale(first) && !UNLOCALIZED.has(first ?? '') && !isEmbedEndpoint(path)) {
    return handleNegotiationRedirect(request, path, LANGUAGE);
  }

  // Host-facing endpoints answer for themselves (a fragment's 404 is a fragment, not a page).
  if (isEmbedEndpoint(path)) return answerEmbedRequest(request, path, (canonical) => render(canonical, env, ctx));
  const response = await render(request, env, ctx);
  // A page of ours that is not there: the not-found page in the locale of the path, or for a
  // language switch to a language we do not have, in the visitor's.
  if (response.status === 404 && isLocale(first)) return localizedNotFound(request, env, first);
  if (response.status === 404 && first === 'language') return localizedNotFound(request, env, negotiateLocale(request, LOCALES, DEFAULT_LOCALE));
  return response;
}

/** Answers 404 with the prerendered not-found page of the visitor's locale. */
async function localizedNotFound(request: Request, env: Env, locale: string): Promise<Response> {
  const page = await env.ASSETS.fetch(new URL(`${BASE}${locale}/404/`, request.url));
  return new Response(request.method === 'HEAD' ? null : page.body, {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
}

/** The crons' and the queue's code, loaded by the first cron or queue batch of an isolate. */
const background = onFirstUse(() => import('./server/background.ts'));

/** The cron expressions of wrangler.toml [triggers]: daily retention, the 10-minute delivery sweep. */
const RETENTION_CRON = '17 3 * * *';
const DELIVERY_SWEEP_CRON = '*/10 * * * *';

/** Runs a cron's jobs side by side, so one failing never stops another; rethrows all failures. */
async function runIsolated(jobs: Record<string, () => Promise<unknown>>): Promise<void> {
  const names = Object.keys(jobs);
  const outcomes = await Promise.allSettled(names.map((name) => jobs[name]!()));
  const failures = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ job: names[index], error: outcome.reason }] : []));
  if (failures.length > 0) {
    throw new AggregateError(failures.map(({ error }) => error), `cron job(s) failed: ${failures.map(({ job }) => job).join(', ')}`);
  }
}

export default {
  async fetch(request, env, ctx) {
    // Every answer in a private area is private, also those made here rather than by Astro.
    const response = privateWhereDue(request, await route(request, env, ctx));
    // A refusal decided before reading (a foreign origin, 415, 413 …) reads little of the body.
    await discardUnreadBody(request);
    return withSecurityHeaders(withStandardHead(response), SECURITY);
  },
  // The cron triggers (wrangler.toml): daily GDPR deletion of expired applications and orphans
  // (with a delivery sweep), and every 10 minutes the sweep of lost delivery messages alone.
  async scheduled(controller) {
    const { deliverySweepDeps, handleScheduledRetention, retentionDeps, sweepPendingDeliveries } = await background();
    const now = new Date(controller.scheduledTime);
    const sweep = () => sweepPendingDeliveries(deliverySweepDeps(now));
    if (controller.cron === DELIVERY_SWEEP_CRON) return runIsolated({ sweep });
    if (controller.cron !== RETENTION_CRON) {
      writeLog({ level: 'error', event: 'scheduled.unknown-cron', cron: controller.cron });
    }
    return runIsolated({ retention: () => handleScheduledRetention(retentionDeps(now)), sweep });
  },
  // The delivery queue (wrangler.toml [[queues.consumers]]): e-mail and webhook to recruiters.
  async queue(batch) {
    const { deliveryDeps, handleDeliveryBatch } = await background();
    await handleDeliveryBatch(batch, deliveryDeps());
  },
} satisfies ExportedHandler<Env>;
