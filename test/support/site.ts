/**
 * Builds the site and serves the production Worker in workerd (`astro preview`), the same
 * way `npm start` does, for the site and browser test tiers and the benchmark.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ASTRO = fileURLToPath(new URL('../../node_modules/astro/bin/astro.mjs', import.meta.url));

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
}

const quietEnv = (extra: Record<string, string> = {}) => ({
  ...process.env,
  ASTRO_TELEMETRY_DISABLED: '1',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  ...extra,
});

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

/** Builds (unless told not to) and serves the site; resolves once it answers. */
export async function startSite(options: SiteOptions = {}): Promise<RunningSite> {
  const { outDir = 'dist', env = {}, skipBuild = false } = options;
  if (!skipBuild) buildSite(options);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [ASTRO, 'preview', '--ignore-lock', '--port', String(port), '--host', '127.0.0.1', '--outDir', outDir],
    { cwd: ROOT, env: quietEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = (env.BASE_PATH ?? '/').replace(/\/?$/, '/');
  const url = `http://127.0.0.1:${port}${base}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`astro preview exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}en/`, { redirect: 'manual' });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`astro preview did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
  };
}
