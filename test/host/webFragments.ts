/**
 * Way 2, Web Fragments: the host's gateway pierces our pages into its own page shell, server-side,
 * wherever the shell has <web-fragment fragment-id="careers">. Our pages keep their URLs under
 * /careers (BASE_PATH=/careers); our scripts run in the fragment's own context.
 */
import { FragmentGateway, getWebMiddleware } from 'web-fragments/gateway';
import type { HostEnv } from './env';
import { withPostingJsonLd } from './jsonLd';
import { hostPage } from './shell';

/** What the page shows when the careers Worker cannot be reached at all. */
const unavailable = () => new Response('<p>Die Stellenangebote sind gerade nicht erreichbar.</p>', { headers: { 'Content-Type': 'text/html' } });

/** The gateway with the careers Worker registered as the fragment "careers", behind the service binding. */
function careersGateway(env: HostEnv) {
  const gateway = new FragmentGateway();
  gateway.registerFragment({
    fragmentId: 'careers',
    routePatterns: ['/careers', '/careers/:_*'],
    endpoint: (input, init) => env.CAREERS.fetch(input, init),
    // Our redirects (language choice, after a no-JS application) go to the browser; our own
    // error pages (the form with its problems, not found) are shown in place.
    onSsrFetchError: (_request, failed) => ({
      response: failed instanceof Response ? failed : unavailable(),
      overrideResponse: failed instanceof Response && failed.status < 400,
    }),
  });
  return getWebMiddleware(gateway, { mode: 'production' });
}
let middleware: ReturnType<typeof careersGateway> | undefined;

/** The host's CSP: our scripts, styles and API calls are all same-origin here (under /careers). */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

// The shell around our pages is private: after a form post our page holds the applicant's
// answers, and web-fragments 0.8.2 cannot forward our Cache-Control (its forwardFragmentHeaders
// copies the shell's own headers).
const shell = () =>
  hostPage({
    title: 'Karriere',
    csp: CSP,
    cacheControl: 'private, no-cache',
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
  middleware ??= careersGateway(hostEnv);
  const response = await middleware(request, async () => shell());
  const posting = pathname.match(POSTING);
  const pierced = response.ok && response.headers.get('x-web-fragment-id') === 'careers' && request.headers.get('Sec-Fetch-Dest') === 'document';
  return posting && pierced ? withPostingJsonLd(response, hostEnv, posting[1]!, posting[2]!) : response;
}
