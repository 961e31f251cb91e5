/** Way 1, path mount: everything under /careers is the careers Worker's (built with BASE_PATH=/careers). */
import type { HostEnv } from './env';

export function pathMount(request: Request, env: HostEnv): Promise<Response> | undefined {
  const { pathname } = new URL(request.url);
  if (pathname === '/careers' || pathname.startsWith('/careers/')) return env.CAREERS.fetch(request);
  return undefined;
}
