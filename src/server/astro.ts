/**
 * Astro's request handling, which renders src/pages/ on demand. Its own module, imported by the
 * Worker on the first request that needs a page rendered: evaluating Astro's runtime is most of
 * what starting the whole bundle cost, and a language redirect, a preflight or a JSON answer
 * needs none of it. Built from the adapter's advanced-routing parts (`@astrojs/cloudflare/fetch`
 * around `astro/fetch`), which do what its ready-made handler does, with one difference: pages
 * are rendered whole, not streamed (`astro dev` keeps the ready-made handler). Ours are 10 to 30 KB and render in about a millisecond;
 * streaming them sent each of their hundreds of small pieces through a JavaScript stream, which
 * cost the Worker more CPU than rendering them (npm run bench: the list 1.2-1.8 ms instead of
 * 5-6 ms when it is kept, the form page about 1.3 ms instead of 2.8 ms).
 */
import { cf, finalize } from '@astrojs/cloudflare/fetch';
import { astro, FetchState } from 'astro/fetch';

/** Renders the request with Astro, which routes by the URL (`path` is there for the Worker's route table). */
export async function renderWithAstro(request: Request, _path: string, env: Env, ctx: ExecutionContext): Promise<Response> {
  // `astro dev` also renders the prerendered pages on request, which only the adapter's own
  // handler finds there (the build drops this line and that module).
  if (import.meta.env.DEV) return (await import('@astrojs/cloudflare/handler')).handle(request, env, ctx);
  const state = new FetchState(request);
  // A field of FetchState, not of its stable interface: if Astro drops it, type-checking fails.
  state.streaming = false;
  const asset = await cf(state, env, ctx);
  if (asset) return asset;
  return finalize(state, await astro(state));
}
