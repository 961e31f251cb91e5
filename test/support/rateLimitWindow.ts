/**
 * The local rate-limit bindings (miniflare's simulation of Workers Rate Limiting) count in
 * windows aligned to the wall clock: every `period` seconds, all counts start again at zero. A
 * test that goes over a limit must make all its requests in one window, or the window can roll
 * over between the request that fills the allowance and the one that should be refused (as it
 * once did in CI: 201 where 429 was due). This waits for the next window when the current one
 * ends within `neededSeconds`.
 */
export async function aFreshWindowIfNeeded(periodSeconds: number, neededSeconds = 15): Promise<void> {
  const periodMs = periodSeconds * 1000;
  const left = periodMs - (Date.now() % periodMs);
  if (left < Math.min(neededSeconds, periodSeconds / 2) * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
