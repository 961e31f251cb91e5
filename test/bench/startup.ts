/**
 * A Worker's startup: what a new isolate spends evaluating the bundle before its first answer,
 * as `wrangler check startup` profiles it locally (the build's own config passed with --args;
 * without it, wrangler profiles whichever build ran last). The profiler samples about once a
 * millisecond and the machine is shared, so each Worker is profiled several times, alternating
 * with the other, and the median is reported beside the mean and the range.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '#test/support/site.ts';

/** One profile: active CPU (garbage collection included) and its garbage collection, in ms. */
export interface StartupRun {
  activeMs: number;
  gcMs: number;
}

/** The runs of one Worker and their summary. */
export interface StartupFigures {
  runs: StartupRun[];
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Upload size as `wrangler check startup` reports it. */
  bundleKiB: number;
  gzipKiB: number;
}

/** Profiles one startup of the Worker of `config`; the profile goes to `outfile`. */
function profileStartup(config: string, outfile: string): StartupRun & { bundleKiB: number; gzipKiB: number } {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'check', 'startup', `--args=--config=${config}`, '--outfile', outfile], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    encoding: 'utf8',
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const active = /Active:\s*([\d.]+)\s*ms\s*\(including\s*([\d.]+)\s*ms garbage collection\)/.exec(output);
  const bundle = /Bundle:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(output);
  if (result.status !== 0 || !active || !bundle) throw new Error(`wrangler check startup failed (${result.status}) for ${config}:\n${output.slice(-2000)}`);
  return { activeMs: Number(active[1]), gcMs: Number(active[2]), bundleKiB: Number(bundle[1]), gzipKiB: Number(bundle[2]) };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Profiles the startups of several Workers `runs` times each, alternating between them, so
 * that the machine's changing load falls on all of them alike. `profilesDir` keeps the last
 * profile of each (Chrome DevTools can open them).
 */
export function measureStartups(configs: Record<string, string>, runs: number, profilesDir: string): Record<string, StartupFigures> {
  const collected: Record<string, Array<ReturnType<typeof profileStartup>>> = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const [name, config] of Object.entries(configs)) collected[name]!.push(profileStartup(config, join(profilesDir, `${name}.cpuprofile`)));
  }
  return Object.fromEntries(
    Object.entries(collected).map(([name, profiles]) => {
      const active = profiles.map((profile) => profile.activeMs);
      return [
        name,
        {
          runs: profiles.map(({ activeMs, gcMs }) => ({ activeMs, gcMs })),
          medianMs: median(active),
          meanMs: active.reduce((sum, value) => sum + value, 0) / active.length,
          minMs: Math.min(...active),
          maxMs: Math.max(...active),
          bundleKiB: profiles[0]?.bundleKiB ?? 0,
          gzipKiB: profiles[0]?.gzipKiB ?? 0,
        },
      ];
    }),
  );
}
