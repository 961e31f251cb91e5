/**
 * The Worker entry, the composition root: the only module (with src/server/) that reads
 * bindings. It dispatches each request to a named handler and puts the security headers on
 * every answer; the crons go to retention and the delivery sweep, the delivery queue to its
 * consumer. Static assets (the prerendered pages) never reach it; Cloudflare serves them.
 */
import { handle } from '@astrojs/cloudflare/handler';
import { TURNSTILE_SITE_KEY } from 'astro:env/client';
import { handleDeliveryBatch, sweepPendingDeliveries } from '#functions/delivery/handler.ts';
import { discardUnreadBody, withUtf8Charset } from '#functions/http.ts';
import { handleLanguageSwitch, handleNegotiationRedirect } from '#functions/language/handler.ts';
import { writeLog } from '#functions/log.ts';
import { handleScheduledRetention } from '#functions/retention/handler.ts';
import { withSecurityHeaders } from '#functions/security/headers.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES } from './i18n/locales.ts';
import { BASE } from './i18n/paths.ts';
import { deliveryDeps, deliverySweepDeps } from './server/delivery.ts';
import { ALLOWED_ORIGINS, answerEmbedRequest, guardEmbedRequest, isEmbedEndpoint } from './server/embed.ts';
import { privateWhereDue } from './server/private.ts';
import { retentionDeps } from './server/retention.ts';

const LANGUAGE = { locales: LOCALES, defaultLocale: DEFAULT_LOCALE, base: BASE };
const SECURITY = { embedOrigins: ALLOWED_ORIGINS, turnstile: Boolean(TURNSTILE_SITE_KEY) };

/** First path segments that are not pages to localize: built assets and Worker endpoints. */
const UNLOCALIZED = new Set(['_astro', 'api', 'language', 'favicon.svg', 'favicon.ico', 'robots.txt', 'sitemap.xml']);

async function route(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { pathname } = new URL(request.url);
  // Outside the base path lies the host site's space, not ours (the production route only
  // sends the prefix here; locally the server sees everything).
  if (!`${pathname}/`.startsWith(BASE)) return new Response('Not found', { status: 404 });
  const path = pathname.slice(BASE.length);
  const [first] = path.split('/');
  // Paths with empty segments, preflights, and state changes from origins that are neither
  // ours nor a host's we allow.
  const refused = await guardEmbedRequest(request, path, (forwarded) => handle(forwarded, env, ctx));
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
  if (isEmbedEndpoint(path)) return answerEmbedRequest(request, path, (canonical) => handle(canonical, env, ctx));
  const response = await handle(request, env, ctx);
  if (response.status === 404 && isLocale(first)) return localizedNotFound(request, env, first);
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
    return withSecurityHeaders(withUtf8Charset(response), SECURITY);
  },
  // The cron triggers (wrangler.toml): daily GDPR deletion of expired applications and orphans
  // (with a delivery sweep), and every 10 minutes the sweep of lost delivery messages alone.
  async scheduled(controller) {
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
    await handleDeliveryBatch(batch, deliveryDeps());
  },
} satisfies ExportedHandler<Env>;
