/**
 * The floors the benchmark compares with, run in the same workerd (through `wrangler dev`,
 * local, offline) in the same run:
 * - static: a plain asset of the same bytes, with no Worker and no framework in front
 *   (a wrangler config with nothing but `[assets]`);
 * - worker: test/bench/floor/worker.ts, the least a Worker does for a redirect and for an
 *   application (the same D1 insert and R2 put, on the same schema);
 * - page: test/bench/floor/page.ts with the site's own static assets in front, the least any
 *   Worker with assets does for a request: the same status, headers and body as ours, constant.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, serveWithWrangler, type RunningSite } from '#test/support/site.ts';
import type { FloorAnswer } from './floor/page.ts';
const FLOOR_WORKER_CONFIG = fileURLToPath(new URL('./floor/wrangler.toml', import.meta.url));
const PAGE_FLOOR_MAIN = fileURLToPath(new URL('./floor/page.ts', import.meta.url));

/** Compatibility date and flags of a built Worker (`<outDir>/server/wrangler.json`). */
export function compatibilityOf(builtConfig: string): { compatibility_date: string; compatibility_flags: string[] } {
  const { compatibility_date, compatibility_flags = [] } = JSON.parse(readFileSync(builtConfig, 'utf8')) as { compatibility_date: string; compatibility_flags?: string[] };
  return { compatibility_date, compatibility_flags };
}

/** Headers that belong to one exchange, not to the answer: the floor leaves them to its own server. */
const EXCHANGE_HEADERS = new Set(['date', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** Fetches `url` once and keeps its answer (status, headers, body) for a floor to give. */
export async function captureAnswer(url: string, headers: Record<string, string> = {}): Promise<FloorAnswer> {
  const response = await fetch(url, { redirect: 'manual', headers });
  return { status: response.status, headers: [...response.headers].filter(([name]) => !EXCHANGE_HEADERS.has(name)), body: await response.text() };
}

/**
 * Writes the config of the page floor into `dir`: test/bench/floor/page.ts with the Worker's
 * compatibility date and flags, the static assets of `clientDir` (if any) and, as its ANSWER,
 * the answer to give (if any). Returns the config's path.
 */
export function writePageFloorConfig(dir: string, options: { builtConfig: string; clientDir?: string; answer?: FloorAnswer }): string {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'wrangler.json');
  const worker = {
    name: 'careers-bench-page-floor',
    main: PAGE_FLOOR_MAIN,
    ...compatibilityOf(options.builtConfig),
    ...(options.clientDir && { assets: { binding: 'ASSETS', directory: options.clientDir } }),
    ...(options.answer && { vars: { ANSWER: JSON.stringify(options.answer) } }),
  };
  writeFileSync(config, JSON.stringify(worker, null, 2));
  return config;
}

/** Serves the page floor (see writePageFloorConfig) from a throw-away folder `dir`. */
export async function startPageFloor(dir: string, options: { builtConfig: string; clientDir: string; answer?: FloorAnswer }): Promise<RunningSite> {
  rmSync(dir, { recursive: true, force: true });
  return serveWithWrangler(writePageFloorConfig(dir, options), join(dir, 'state'), { probePath: 'favicon.svg' });
}

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
