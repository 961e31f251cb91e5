/**
 * Astro's request handler (the adapter's), which renders src/pages/ on demand. Its own module,
 * imported by the Worker on the first request that needs a page rendered: evaluating Astro's
 * runtime is most of what starting the whole bundle cost, and a language redirect, a preflight
 * or a JSON answer needs none of it.
 */
import { handle } from '@astrojs/cloudflare/handler';

/** Renders the request with Astro, which routes by the URL (`path` is there for the Worker's route table). */
export function renderWithAstro(request: Request, _path: string, env: Env, ctx: ExecutionContext): Promise<Response> {
  return handle(request, env, ctx);
}
