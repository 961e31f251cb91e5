/**
 * A host site embedding the careers Worker, one way per hostname, as the tests use it:
 * - localhost (SITE_URL): way 1, the path mount, and the careers site as visitors see it;
 * - wf.localhost: way 2, Web Fragments;
 * - dsd.localhost: way 3, the DSD fragment (an origin of EMBED_ORIGINS).
 * Browsers resolve every *.localhost to this machine, so one server gives three origins.
 */
import { dsdFragmentHost } from './dsdFragment';
import type { HostEnv } from './env';
import { pathMount } from './pathMount';
import { hostPage } from './shell';
import { webFragmentsHost } from './webFragments';

export default {
  async fetch(request, env) {
    const { hostname, pathname } = new URL(request.url);
    if (pathname === '/robots.txt') return new Response('User-agent: *\nAllow: /\n', { headers: { 'Content-Type': 'text/plain' } });
    if (hostname.startsWith('wf.')) return webFragmentsHost(request, env);
    if (hostname.startsWith('dsd.')) return dsdFragmentHost(request, env);
    return (
      pathMount(request, env) ??
      hostPage({ title: 'Start', csp: "default-src 'self'; style-src 'unsafe-inline'", body: '<main class="host-main"><h1>Example GmbH</h1><p><a href="/careers/">Karriere</a></p></main>' })
    );
  },
} satisfies ExportedHandler<HostEnv>;
