/** Way 2, Web Fragments: the gateway pierces our pages into the host's page, server-side; our scripts run in their own context. */
import { env } from 'cloudflare:workers';
import { FragmentGateway, getWebMiddleware } from 'web-fragments/gateway';
import { withPostingJsonLd } from './careers';
import { hostPage } from './shell';

const gateway = new FragmentGateway();
gateway.registerFragment({
  fragmentId: 'careers',
  routePatterns: ['/careers', '/careers/:_*'],
  endpoint: (input, init) => env.CAREERS.fetch(input, init),
  // our redirects (3xx) reach the browser; our error pages (4xx) show in place
  onSsrFetchError: (_request, failed) => ({ response: failed instanceof Response ? failed : new Response('<p>Die Stellenangebote sind gerade nicht erreichbar.</p>', { headers: { 'Content-Type': 'text/html' } }), overrideResponse: failed instanceof Response && failed.status < 400 }),
});
const middleware = getWebMiddleware(gateway, { mode: 'production' });
// the page around ours: never stored, since after a form post ours holds the applicant's answers
const shell = () => hostPage({ title: 'Karriere', cacheControl: 'private, no-store', body: '<web-fragment fragment-id="careers"></web-fragment><script type="module" src="/web-fragments.js"></script>' });

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    // starts the library's elements (/elements.js, a static asset: see wrangler.toml)
    if (pathname === '/web-fragments.js') return new Response("import { initializeWebFragments } from '/elements.js';\ninitializeWebFragments();\n", { headers: { 'Content-Type': 'text/javascript' } });
    // our private pages (the applicant's, the recruiters' inbox) as they are: never in this page, near its scripts
    if (/^\/careers\/+[^/]+\/+(application|recruiters)(\/|$)/.test(pathname)) return env.CAREERS.fetch(request);
    // crawlers send no Sec-Fetch-Dest: their HTML requests are page views too
    if (!request.headers.has('Sec-Fetch-Dest') && request.headers.get('Accept')?.includes('text/html')) request = new Request(request, { headers: [...request.headers, ['Sec-Fetch-Dest', 'document']] });
    const [, locale, slug] = pathname.match(/^\/careers\/(\w+)\/jobs\/([a-z0-9-]+)\/$/) ?? [];
    return middleware(request, async () => (locale && slug ? withPostingJsonLd(shell(), locale, slug) : shell()));
  },
} satisfies ExportedHandler;
