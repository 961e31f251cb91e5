/**
 * The floors the benchmark compares with, run in the same workerd (through `wrangler dev`,
 * local, offline) in the same run:
 * - static: a plain asset of the same bytes, with no Worker and no framework in front
 *   (a wrangler config with nothing but `[assets]`);
 * - worker: test/bench/floor/worker.ts, the least a Worker does for a redirect and for an
 *   application (the same D1 insert and R2 put, on the same schema).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, serveWithWrangler, type RunningSite } from '#test/support/site.ts';
const FLOOR_WORKER_CONFIG = fileURLToPath(new URL('./floor/wrangler.toml', import.meta.url));

/** Serves `files` (path → bytes) as plain static assets from a throw-away folder under `dir`. */
export async function startStaticFloor(dir: string, files: Record<string, Uint8Array>): Promise<RunningSite> {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, bytes] of Object.entries(files)) {
    const file = join(dir, 'public', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  const config = join(dir, 'wrangler.toml');
  writeFileSync(config, ['name = "careers-bench-static-floor"', 'compatibility_date = "2026-10-01"', '', '[assets]', 'directory = "./public"', ''].join('\n'));
  return serveWithWrangler(config, join(dir, 'state'), { probePath: Object.keys(files)[0] ?? '' });
}

/** Starts the minimal Worker with fresh local D1 (migrations applied) and R2 under `stateDir`. */
export async function startWorkerFloor(stateDir: string): Promise<RunningSite> {
  rmSync(stateDir, { recursive: true, force: true });
  applyMigrations(FLOOR_WORKER_CONFIG, stateDir);
  return serveWithWrangler(FLOOR_WORKER_CONFIG, stateDir);
}
