/**
 * The Worker entry of the functions tier. wrangler.toml's own entry (src/worker.ts) needs an
 * Astro build; these tests call the handlers of functions/ directly, so the Worker they run in
 * only needs wrangler.toml's bindings, not its routes. It answers nothing itself.
 */
export default {
  fetch: () => new Response('The functions tier calls handlers directly.', { status: 404 }),
} satisfies ExportedHandler<Env>;
