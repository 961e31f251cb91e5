/** Way 3, the HTML fragment: the host puts our markup into its own page, server-side; no framework, no script of its own. */
import { env } from 'cloudflare:workers';
import { careers, withPostingJsonLd } from './careers';
import { hostPage } from './shell';

// our script, API and form target are on our origin (our SITE_URL): the page's CSP allows them
const csp = `default-src 'self'; script-src 'self' ${env.CAREERS_ORIGIN}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${env.CAREERS_ORIGIN}; form-action 'self' ${env.CAREERS_ORIGIN}; base-uri 'none'; object-src 'none'`;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const slug = url.pathname.match(/^\/stellen\/([a-z0-9-]+)\/$/)?.[1];
    if (!slug && url.pathname !== '/stellen/') return new Response('Nicht gefunden', { status: 404 });
    // the list's filters submit to this page: its query goes on to the fragment
    const fragment = await careers(slug ? `de/jobs/${slug}/fragment` : `de/fragment${url.search}`);
    const page = hostPage({ title: 'Stellenangebote', csp, status: fragment.status, body: `<main class="host-main"><h1>Karriere bei Example</h1>${await fragment.text()}</main>` });
    return slug ? withPostingJsonLd(page, 'de', slug) : page;
  },
} satisfies ExportedHandler;
