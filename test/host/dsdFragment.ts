/**
 * Way 3, a fragment for any host: the host fetches our HTML fragment server-side and puts it into
 * its page; a declarative shadow root keeps the styles apart, and its script runs as it is.
 * Links and the form point at our site (SITE_URL); this host's origin is in EMBED_ORIGINS.
 */
import { CAREERS_URL, type HostEnv } from './env';
import { withPostingJsonLd } from './jsonLd';
import { hostPage } from './shell';

const POSTING = /^\/stellen\/([a-z0-9-]+)\/$/;

export async function dsdFragmentHost(request: Request, env: HostEnv): Promise<Response> {
  const url = new URL(request.url);
  const slug = url.pathname.match(POSTING)?.[1];
  if (!slug && url.pathname !== '/stellen/') return new Response('Nicht gefunden', { status: 404 });
  // The list's filters submit to this page: its query goes on to the fragment.
  const path = slug ? `de/jobs/${slug}/fragment` : `de/fragment${url.search}`;
  const fragment = await env.CAREERS.fetch(`${CAREERS_URL}/careers/${path}`);
  // Our script, API and form target live on our origin: the host's CSP allows them.
  const careers = env.CAREERS_ORIGIN;
  const csp = `default-src 'self'; script-src 'self' ${careers}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${careers}; form-action 'self' ${careers}; base-uri 'none'; object-src 'none'`;
  const body = `<main class="host-main">\n<h1>Karriere bei Example</h1>\n${await fragment.text()}\n</main>`;
  const page = hostPage({ title: 'Stellenangebote', body, csp, status: fragment.status });
  return slug ? withPostingJsonLd(page, env, 'de', slug) : page;
}
