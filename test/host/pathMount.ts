/** Way 1, path mount: everything under /careers is the careers Worker's (built with BASE_PATH=/careers). */
import { env } from 'cloudflare:workers';
import { hostPage } from './shell';

export default {
  fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/careers' || pathname.startsWith('/careers/')) return env.CAREERS.fetch(request);
    return hostPage({ title: 'Start', body: '<main class="host-main"><h1>Example GmbH</h1><p><a href="/careers/">Karriere</a></p></main>' });
  },
} satisfies ExportedHandler;
