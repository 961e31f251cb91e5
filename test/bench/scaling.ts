/**
 * How the Worker fares as postings grow: for each count of generated postings per locale
 * (test/fixtures/many/generate.ts, written into a temporary content folder), a production
 * build with CONTENT_DIR pointing there, its Worker bundle, and the Worker CPU per request of
 * the list, a filtered list and /api/jobs (test/bench/cpu.ts: ours against a floor with the same
 * static assets answering the same bytes), plus the first list request of a fresh isolate.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writePostingSet } from '#test/fixtures/many/generate.ts';
import { buildSite, ROOT, startSite, stateDirOf, type RunningSite } from '#test/support/site.ts';
import { measureBundle, type BundleSize } from './bundle.ts';
import { cpuOfOneRequest, measureCpuPairs, workerdRuntimeOf } from './cpu.ts';
import { captureAnswer, startPageFloor } from './floors.ts';

/** One endpoint's Worker CPU per request at one posting count. */
export interface WorkerCpu {
  name: string;
  /** Our Worker's whole runtime process, per request. */
  oursMs: number;
  /** The floor's (the same assets, a Worker answering the same bytes), per request. */
  floorMs: number;
  /** What our Worker's code adds: ours − floor. */
  workerMs: number;
  unexpected: number;
}

/** Everything measured at one posting count. */
export interface ScalingPoint {
  postingsPerLocale: number;
  buildSeconds: number | null;
  bundle: BundleSize | { error: string };
  /** Size of the English content index the Worker reads (a static file, not Worker code). */
  contentIndexBytes: number;
  /** CPU of the first list request of a fresh isolate (loads Astro and reads the index), whole process. */
  firstListMs: number | null;
  cpu: WorkerCpu[];
}

/** How hard to measure. */
export interface ScalingPlan {
  rounds: number;
  perRound: number;
  warmup: number;
  skipBuild: boolean;
}

/** Asks the Worker to render rather than answer from the copy it keeps (functions/embed/cache.ts). */
const RENDER = { 'Cache-Control': 'no-cache' };

/**
 * What is measured at each count. The Worker keeps what it renders for the list and for hosts
 * while fresh, under the URL's canonical form (parameters it does not read make no new entry),
 * so the same URL again is answered from memory ("kept"); `Cache-Control: no-cache` makes every
 * request render, and keep the new copy, as a miss does ("rendered").
 */
const TARGETS = [
  { name: 'list /en/, kept', path: 'en/', expectedStatus: 200 },
  { name: 'list /en/, rendered', path: 'en/', headers: RENDER, expectedStatus: 200 },
  // A filter whose answer stays small while the postings grow (a few pages at most).
  { name: 'filtered list /en/?team=Design&location=Vienna, rendered', path: 'en/?team=Design&location=Vienna', headers: RENDER, expectedStatus: 200 },
  { name: '/api/jobs?locale=en, rendered', path: 'api/jobs?locale=en', headers: RENDER, expectedStatus: 200 },
] as const;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Measures the Worker at one count of generated postings per locale. */
async function measureAt(count: number, plan: ScalingPlan, tmp: string, warnings: string[]): Promise<ScalingPoint> {
  const contentDir = `test/.tmp/bench-content-${count}`;
  const outDir = `test/.tmp/bench-many-${count}-dist`;
  let buildSeconds: number | null = null;
  if (!plan.skipBuild || !existsSync(join(ROOT, outDir, 'server/wrangler.json'))) {
    log(`generating ${count} postings per locale into ${contentDir}, building into ${outDir}`);
    writePostingSet(join(ROOT, contentDir), count);
    const started = Date.now();
    buildSite({ outDir, env: { CONTENT_DIR: contentDir } });
    buildSeconds = (Date.now() - started) / 1000;
  }
  const builtConfig = join(ROOT, outDir, 'server/wrangler.json');
  let bundle: ScalingPoint['bundle'];
  try {
    bundle = measureBundle(join(ROOT, outDir), join(tmp, `bench-bundle-${count}`));
  } catch (error) {
    bundle = { error: String(error).slice(0, 300) };
  }
  const contentIndexBytes = statSync(join(ROOT, outDir, 'client/en/content.json')).size;

  // Probed on a static file, so that the first list request below is the isolate's first.
  const site = await startSite({ outDir, skipBuild: true, probePath: 'favicon.svg' });
  let floor: RunningSite | undefined;
  try {
    const pid = workerdRuntimeOf(site.pid);
    if (pid === undefined) {
      warnings.push('Worker CPU: no workerd process found under wrangler dev (Linux /proc needed); not measured.');
      return { postingsPerLocale: count, buildSeconds, bundle, contentIndexBytes, firstListMs: null, cpu: [] };
    }
    const first = await cpuOfOneRequest({ url: () => new URL('en/', site.url).href, pid, expectedStatus: 200 });
    if (first.status !== 200) warnings.push(`first list request at ${count} postings answered ${first.status}`);
    const answer = await captureAnswer(new URL('en/', site.url).href);
    floor = await startPageFloor(join(tmp, `bench-page-floor-${count}`), { builtConfig, clientDir: join(ROOT, outDir, 'client'), answer });
    const floorPid = workerdRuntimeOf(floor.pid);
    if (floorPid === undefined) throw new Error('no workerd process found for the floor');
    const pairs = TARGETS.map((target) => ({
      ours: { name: target.name, url: () => new URL(target.path, site.url).href, ...('headers' in target && { headers: target.headers }), pid, expectedStatus: target.expectedStatus },
      floor: { name: `${target.name}: floor`, url: () => floor!.url, pid: floorPid, expectedStatus: 200 },
    }));
    log(`Worker CPU at ${count} postings per locale: ${TARGETS.length} endpoints, each against the floor, ${plan.rounds} rounds of ${plan.perRound} requests`);
    const results = await measureCpuPairs(pairs, plan);
    const cpu = TARGETS.map(({ name }, index) => {
      const result = results[index]!;
      if (result.unexpected > 0) warnings.push(`${name} at ${count} postings: ${result.unexpected} answers had an unexpected status.`);
      return { name, oursMs: result.oursMs, floorMs: result.floorMs, workerMs: result.addedMs, unexpected: result.unexpected };
    });
    return { postingsPerLocale: count, buildSeconds, bundle, contentIndexBytes, firstListMs: first.cpuMs, cpu };
  } finally {
    await Promise.all([site.stop(), floor?.stop()]);
    rmSync(stateDirOf(outDir), { recursive: true, force: true });
  }
}

/** Measures the Worker at each count of generated postings per locale, one after the other. */
export async function measureScaling(counts: readonly number[], plan: ScalingPlan, tmp: string, warnings: string[]): Promise<ScalingPoint[]> {
  const points: ScalingPoint[] = [];
  for (const count of counts) points.push(await measureAt(count, plan, tmp, warnings));
  return points;
}
