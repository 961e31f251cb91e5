/**
 * The test host: a host site that embeds the careers Worker, one way per hostname, so the tests
 * run all three side by side (a real host picks one; the README shows each file but this one):
 * - localhost (the careers build's SITE_URL): way 1, the path mount;
 * - wf.localhost: way 2, Web Fragments;
 * - dsd.localhost: way 3, the DSD fragment (an origin of the careers build's EMBED_ORIGINS).
 * Browsers resolve every *.localhost to this machine, so one server gives three origins.
 */
import dsdFragment from './dsdFragment';
import pathMount from './pathMount';
import webFragments from './webFragments';

export default {
  fetch(request) {
    const { hostname, pathname } = new URL(request.url);
    if (pathname === '/robots.txt') return new Response('User-agent: *\nAllow: /\n', { headers: { 'Content-Type': 'text/plain' } });
    const way = hostname.startsWith('wf.') ? webFragments : hostname.startsWith('dsd.') ? dsdFragment : pathMount;
    return way.fetch(request);
  },
} satisfies ExportedHandler;
