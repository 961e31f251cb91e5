/** The Worker bundle as it would be uploaded: `wrangler deploy --dry-run` on a build's config. */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '#test/support/site.ts';

/** Sizes wrangler reports for the upload, in bytes, and the files it would send. */
export interface BundleSize {
  /** "Total Upload" as wrangler prints it (KiB), and the gzip figure. */
  totalKiB: number;
  gzipKiB: number;
  files: Array<{ path: string; bytes: number }>;
}

const listFiles = (dir: string, prefix = ''): Array<{ path: string; bytes: number }> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(join(dir, entry.name), path) : [{ path, bytes: statSync(join(dir, entry.name)).size }];
  });

/** Runs the dry run for `<outDir>/server/wrangler.json` and reads wrangler's size line. */
export function measureBundle(outDir: string, bundleDir: string): BundleSize {
  rmSync(bundleDir, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', bundleDir, '--config', join(outDir, 'server/wrangler.json')], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    encoding: 'utf8',
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const match = output.match(/Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/);
  if (result.status !== 0 || !match) throw new Error(`wrangler deploy --dry-run failed (${result.status}):\n${output}`);
  return { totalKiB: Number(match[1]), gzipKiB: Number(match[2]), files: listFiles(bundleDir).filter((file) => /\.(m?js|wasm)$/.test(file.path)) };
}
