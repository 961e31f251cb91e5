/**
 * Builds the site and serves the production Worker in workerd (`wrangler dev` on the built
 * output), the same way `npm start` does, for the site and browser test tiers and the bench.
 *
 * Not `astro preview`: with the Cloudflare adapter it serves whichever build ran last
 * (through .wrangler/deploy/config.json), not the outDir it is given, so two builds side by
 * side (the base-path and fixture tests) would serve each other's Worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ASTRO = fileURLToPath(new URL('../../node_modules/astro/bin/astro.mjs', import.meta.url));
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));

/** A running local copy of the site. */
export interface RunningSite {
  /** Origin plus base path, with a trailing slash, e.g. "http://localhost:41234/". */
  url: string;
  stop(): Promise<void>;
}

/** Options for building and serving one copy of the site. */
export interface SiteOptions {
  /** Output folder relative to the root (default "dist"). */
  outDir?: string;
  /** Extra build-time environment, e.g. { BASE_PATH: '/careers' }. */
  env?: Record<string, string>;
  /** Reuse an existing build in outDir. */
  skipBuild?: boolean;
  /**
   * Build for this wrangler environment (CLOUDFLARE_ENV), e.g. "loadtest" whose rate limit is
   * high enough for tests and benchmarks that submit many applications from one address.
   */
  cloudflareEnv?: string;
}

/**
 * The environment for child builds and servers: ours, less what vitest sets for its own
 * modules (NODE_ENV=test, DEV, MODE …), which would make Astro build drafts as in dev, and
 * PORT, which moves the default SITE_URL that the tests expect.
 */
const quietEnv = (extra: Record<string, string> = {}) => {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', ...extra };
  for (const name of ['PORT', 'NODE_ENV', 'DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL', 'TEST', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
};

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs `astro build`, throwing with its output when it fails. */
export function buildSite({ outDir = 'dist', env = {} }: SiteOptions = {}): void {
  const result = spawnSync(process.execPath, [ASTRO, 'build', '--outDir', outDir], {
    cwd: ROOT,
    env: quietEnv(env),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`astro build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Local state folder of a test server: its own, so tests never touch `npm start`'s data. */
export function stateDirOf(outDir: string): string {
  return join(ROOT, 'test', '.tmp', `state-${outDir.replace(/[^a-z0-9]+/gi, '-')}`);
}

/** Applies the D1 migrations of a Worker config to a local state folder, as `npm start` does. */
export function applyMigrations(config: string, stateDir: string): void {
  const result = spawnSync(
    process.execPath,
    [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir, '--config', config],
    { cwd: ROOT, env: quietEnv({ CI: 'true' }), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`);
}

/** How to serve Worker configs with `wrangler dev`. */
export interface ServeOptions {
  /** Path prefix of the probe and of the returned URL (default "/"). */
  base?: string;
  /** Path below `base` that must answer before the server counts as up. */
  probePath?: string;
  /** Extra environment for wrangler. */
  env?: Record<string, string>;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Extra `wrangler dev` arguments, e.g. `--var NAME:value`. */
  args?: string[];
}

/**
 * Serves Worker configs with `wrangler dev` (workerd, local, offline) on a loopback port with
 * their local state in `stateDir`; resolves once `probePath` (relative to `base`) answers.
 * Several configs run in one process, the first one answering HTTP and the others reachable
 * through its service bindings. Used for the site, the embedding host and the bench's floors.
 */
export async function serveWithWrangler(
  config: string | readonly string[],
  stateDir: string,
  { base = '/', probePath = '', env = {}, port: fixedPort, args = [] }: ServeOptions = {},
): Promise<RunningSite> {
  const port = fixedPort ?? (await freePort());
  const configs = typeof config === 'string' ? [config] : config;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      WRANGLER,
      'dev',
      ...configs.flatMap((file) => ['--config', file]),
      ...args,
      '--persist-to',
      stateDir,
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(await freePort()),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, env: quietEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}${base.replace(/\/?$/, '/')}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  };
  const name = configs.join(' + ');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev (${name}) exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(new URL(probePath, url), { redirect: 'manual' });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev (${name}) did not answer within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop };
}

/**
 * Builds (unless told not to) and serves the site on a fresh local D1/R2 state with the
 * migrations applied; resolves once it answers.
 */
export async function startSite(options: SiteOptions = {}): Promise<RunningSite> {
  const { outDir = 'dist', skipBuild = false, cloudflareEnv } = options;
  const stateDir = stateDirOf(outDir);
  const env: Record<string, string> = { ...options.env, ...(cloudflareEnv ? { CLOUDFLARE_ENV: cloudflareEnv } : {}) };
  if (!skipBuild) buildSite({ ...options, env });
  rmSync(stateDir, { recursive: true, force: true });
  applyMigrations(join(outDir, 'server', 'wrangler.json'), stateDir);
  return serveWithWrangler(join(outDir, 'server', 'wrangler.json'), stateDir, { base: env.BASE_PATH ?? '/', probePath: 'en/', env });
}
