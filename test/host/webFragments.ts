/**
 * Way 2, Web Fragments: the host's gateway pierces our pages into its own page shell, server-side,
 * wherever the shell has <web-fragment fragment-id="careers">. Our pages keep their URLs under
 * /careers (BASE_PATH=/careers); our scripts run in the fragment's own context.
 */
import { env } from 'cloudflare:workers';
import { FragmentGateway, getWebMiddleware } from 'web-fragments/gateway';
import type { HostEnv } from './env';
import { withPostingJsonLd } from './jsonLd';
import { hostPage } from './shell';

const gateway = new FragmentGateway();
gateway.registerFragment({
  fragmentId: 'careers',
  routePatterns: ['/careers', '/careers/:_*'],
  endpoint: (input, init) => (env as HostEnv).CAREERS.fetch(input, init),
  // Our personal pages (a refused form with its answers) must not be cached with the host page.
  forwardFragmentHeaders: ['Cache-Control'],
  // Our redirects (language choice, after a no-JS application) go to the browser; our own
  // error pages (the form with its problems, not found) are shown in place.
  onSsrFetchError: (_request, failed) =>
    failed instanceof Response
      ? { response: failed, overrideResponse: failed.status < 400 }
      : { response: new Response('<p>Die Stellenangebote sind gerade nicht erreichbar.</p>', { headers: { 'Content-Type': 'text/html' } }) },
});
const middleware = getWebMiddleware(gateway, { mode: 'production' });

/** The host's CSP: our scripts, styles and API calls are all same-origin here (under /careers). */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

const shell = () =>
  hostPage({
    title: 'Karriere',
    csp: CSP,
    body: `<web-fragment fragment-id="careers"></web-fragment>\n<script type="module" src="/web-fragments.js"></script>`,
  });

const POSTING = /^\/careers\/(\w+)\/jobs\/([a-z0-9-]+)\/$/;

export async function webFragmentsHost(request: Request, hostEnv: HostEnv): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/web-fragments.js') {
    // The library (a static file, see wrangler.toml) registers its elements when told to.
    const start = "import { initializeWebFragments } from '/elements.js';\ninitializeWebFragments();\n";
    return new Response(start, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  }
  // Crawlers and curl send no Sec-Fetch-Dest: an HTML request is a page view, so they get the
  // host page with our content pierced in, as browsers do.
  if (!request.headers.has('Sec-Fetch-Dest') && request.headers.get('Accept')?.includes('text/html')) {
    request = new Request(request);
    request.headers.set('Sec-Fetch-Dest', 'document');
  }
  const response = await middleware(request, async () => shell());
  const posting = pathname.match(POSTING);
  const pierced = response.ok && response.headers.get('x-web-fragment-id') === 'careers' && request.headers.get('Sec-Fetch-Dest') === 'document';
  return posting && pierced ? withPostingJsonLd(response, hostEnv, posting[1]!, posting[2]!) : response;
}
