/**
 * The Worker entry, the composition root: the only module that reads bindings. It dispatches
 * each request to a named handler and puts the security headers on every answer. Static
 * assets (the prerendered pages) never reach it; Cloudflare serves them directly.
 */
import { handle } from '@astrojs/cloudflare/handler';
import { FRAME_ANCESTORS } from 'astro:env/server';
import { handleLanguageSwitch, handleNegotiationRedirect } from '../functions/language/handler';
import { withSecurityHeaders } from '../functions/security/headers';
import { DEFAULT_LOCALE, isLocale, LOCALES } from './i18n/locales';
import { BASE } from './i18n/paths';
const LANGUAGE = { locales: LOCALES, defaultLocale: DEFAULT_LOCALE, base: BASE };
const SECURITY = { frameAncestors: FRAME_ANCESTORS };

/** First path segments that are not pages to localize: built assets and Worker endpoints. */
const UNLOCALIZED = new Set(['_astro', 'api', 'language', 'favicon.svg', 'favicon.ico', 'robots.txt']);

async function route(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { pathname } = new URL(request.url);
  // Outside the base path lies the host site's space, not ours (the production route only
  // sends the prefix here; locally the server sees everything).
  if (!`${pathname}/`.startsWith(BASE)) return new Response('Not found', { status: 404 });
  const path = pathname.slice(BASE.length);
  const [first] = path.split('/');

  if (first === 'language') {
    const switched = handleLanguageSwitch(request, path.slice('language/'.length), LANGUAGE);
    if (switched) return switched;
  }
  if ((request.method === 'GET' || request.method === 'HEAD') && !isLocale(first) && !UNLOCALIZED.has(first ?? '')) {
    return handleNegotiationRedirect(request, path, LANGUAGE);
  }

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

export default {
  async fetch(request, env, ctx) {
    return withSecurityHeaders(await route(request, env, ctx), SECURITY);
  },
} satisfies ExportedHandler<Env>;
