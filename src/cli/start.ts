/**
 * `npm start` (Node 22 runs this TypeScript file directly): builds the site, applies the D1
 * migrations to the local state in `.wrangler/state`, and serves the production Worker in
 * workerd (`wrangler dev` on the built output), saying in a few lines what it does:
 *
 *   Building the site … done in 12.4 s
 *   Database: 5 migrations applied
 *   Ready on http://localhost:4321 (Ctrl+C stops it)
 *
 * then the requests and the Worker's log lines. A step that fails prints its tool's full
 * output. `PORT=8080 npm start` serves on another port.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDevOutputFilter, summarizeMigrations } from '#src/cli/startOutput.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASTRO = fileURLToPath(new URL('../../node_modules/astro/bin/astro.mjs', import.meta.url));
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));
/** The Worker config the build writes, and the local D1/R2 state `npm start` keeps. */
const CONFIG = 'dist/server/wrangler.json';
const STATE = '.wrangler/state';

const port = process.env['PORT'] || '4321';
if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
  console.error(`PORT must be a port number from 1 to 65535, not "${port}".`);
  process.exit(2);
}

// Offline and quiet: no telemetry calls, no request for Cloudflare's `cf` object, no banner.
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

/** Runs a tool to its end with its output captured; prints that output and exits when it fails. */
function runQuietly(what: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      if (code === 0) return resolve(output);
      process.stdout.write(`\n${output}\n`);
      console.error(`${what} failed (exit code ${code}); its output is above.`);
      process.exit(code ?? 1);
    });
  });
}

const started = Date.now();
process.stdout.write('Building the site … ');
await runQuietly('astro build', [ASTRO, 'build']);
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// CI=true: wrangler asks no question before applying.
const migrations = await runQuietly('Applying the D1 migrations', [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE, '--config', CONFIG], { CI: 'true' });
console.log(summarizeMigrations(migrations));

const server = spawn(
  process.execPath,
  [WRANGLER, 'dev', '--config', CONFIG, '--persist-to', STATE, '--port', port, '--show-interactive-dev-session=false', '--log-level', 'log'],
  { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
);
const filter = createDevOutputFilter();
for (const [stream, out] of [
  [server.stdout, process.stdout],
  [server.stderr, process.stderr],
] as const) {
  createInterface({ input: stream }).on('line', (line) => {
    const shown = filter(line);
    if ('ready' in shown) console.log(`Ready on ${shown.ready.replace('127.0.0.1', 'localhost')} (Ctrl+C stops it)`);
    else if ('show' in shown) out.write(`${shown.show}\n`);
  });
}
// Ctrl+C reaches wrangler too (same process group); a plain kill is passed on.
process.on('SIGTERM', () => server.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
server.on('close', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
