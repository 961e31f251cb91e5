/**
 * `npm run bench`: builds the production Worker, serves it in workerd the way `npm start`
 * does, and measures, in one run and side by side with floors measured on the same machine:
 * page weight, the Worker's startup, latency and throughput, the Worker's CPU per request as
 * postings grow (32 → 300 → 1,000 generated postings per locale), Lighthouse scores and the
 * Worker bundle. Prints Markdown tables and writes test/bench/results.json. Reports, never
 * asserts: the byte budgets that must hold are tests (test/site/budget.test.ts), and so is the
 * Worker bundle carrying no posting (test/site/contentMany.test.ts).
 *
 * Runs directly on Node 22 (type stripping), hence the explicit `.ts` import extensions.
 * Embedding: the posting fragment's latency against the static posting on the same server, and
 * Lighthouse on a host page that embeds the posting (Web Fragments, DSD fragment), served by the
 * test host of test/host/ with a second build (BASE_PATH=/careers, test/support/embed.ts).
 *
 * Options (environment): BENCH_ROUNDS (default 3) and BENCH_ROUND_SECONDS (default 2) per server,
 * BENCH_LIGHTHOUSE_RUNS (default 3), BENCH_SKIP_LIGHTHOUSE=1, BENCH_STARTUP_RUNS (default 7),
 * BENCH_POSTING_COUNTS (default 32,300,1000; empty skips the scaling runs), BENCH_SKIP_BUILD=1
 * (reuse test/.tmp/bench-dist, bench-embed-dist and bench-many-<count>-dist).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { LOCALES } from '#src/i18n/locales.ts';
import { startEmbed } from '#test/support/embed.ts';
import { LOAD_TEST_RATE_LIMIT, ROOT, startSite, stateDirOf, type RunningSite } from '#test/support/site.ts';
import { applicationBodies, CV_BYTES } from './application.ts';
import { measureBundle, type BundleSize } from './bundle.ts';
import { captureAnswer, startPageFloor, startStaticFloor, startWorkerFloor, writePageFloorConfig } from './floors.ts';
import { runLighthouse, type LighthouseResult } from './lighthouse.ts';
import { compareLoads, type LoadPlan, type LoadResult, type LoadSpec } from './load.ts';
import { measurePage, type PageWeight } from './pageWeight.ts';
import { renderMarkdown } from './report.ts';
import { measureScaling, type ScalingPoint } from './scaling.ts';
import { measureStartups, type StartupFigures } from './startup.ts';

/** The posting every figure is measured on. */
const JOB = 'machine-learning-intern';
const OUT_DIR = 'test/.tmp/bench-dist';
/** The build behind the test host, for the composed host pages. */
const EMBED_OUT_DIR = 'test/.tmp/bench-embed-dist';
const TMP = join(ROOT, 'test/.tmp');
/** Each server of a comparison: 1 s warm-up, then BENCH_ROUNDS interleaved rounds of BENCH_ROUND_SECONDS. */
const PLAN: LoadPlan = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  roundSeconds: Number(process.env.BENCH_ROUND_SECONDS ?? 2),
  warmupSeconds: 1,
};
/**
 * Lighthouse runs per page; the run with the median performance score is reported (as
 * Lighthouse recommends), and every run's scores are kept beside it.
 */
const LIGHTHOUSE_RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
/** Local state of the floor Worker. */
const FLOOR_STATE = join(TMP, 'bench-floor-worker-state');
/** Profiles of each Worker's startup, alternating; the median is reported. */
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
/** Generated postings per locale for the scaling runs. */
const POSTING_COUNTS = (process.env.BENCH_POSTING_COUNTS ?? '32,300,1000').split(',').filter(Boolean).map(Number);

/** A load run that was not made, and why. */
export interface Skipped {
  skipped: string;
}

/** One endpoint measured on the site and on its floor. */
export interface Comparison {
  name: string;
  /** What the floor is, in words. */
  floorIs: string;
  /** The site as `npm start` serves it: the built Worker in workerd (`wrangler dev`). */
  site: LoadResult | Skipped;
  floor: LoadResult | Skipped;
  /** A second, lower floor shown for reference (the ratios are to `floor`). */
  reference?: { floorIs: string; result: LoadResult | Skipped };
}

/** The Worker's startup against a bare Worker's, profiled alternately in the same run. */
export interface StartupComparison {
  ours: StartupFigures;
  bare: StartupFigures;
}

/** Everything one run measured; written to results.json. */
export interface BenchResults {
  date: string;
  commit: string;
  machine: { cpu: string; cores: number; node: string; loadAverageAtStart: number[] };
  method: Record<string, string>;
  pages: Array<{ locale: string; kind: 'posting' | 'list'; path: string; weight: PageWeight }>;
  load: Comparison[];
  startup: StartupComparison | { error: string };
  scaling: ScalingPoint[];
  lighthouse: LighthouseResult[];
  bundle: BundleSize | { error: string };
  durationSeconds: number;
  warnings: string[];
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

/** Builds (unless BENCH_SKIP_BUILD=1) and serves the bench build as `npm start` does. */
async function startBenchSite(): Promise<RunningSite> {
  const skipBuild = process.env.BENCH_SKIP_BUILD === '1' && existsSync(join(ROOT, OUT_DIR, 'server/wrangler.json'));
  log(skipBuild ? `serving the existing build in ${OUT_DIR}` : `building into ${OUT_DIR}`);
  // startSite serves the production build with only the application rate limit raised (a
  // copy of the built wrangler.json), on its own local D1/R2 state with the migrations applied.
  return startSite({ outDir: OUT_DIR, skipBuild });
}

/** Our Worker's startup and a bare Worker's, profiled alternately (see ./startup.ts). */
function measureStartup(warnings: string[]): BenchResults['startup'] {
  log(`startup: wrangler check startup, ${STARTUP_RUNS} runs each of our Worker and a bare Worker`);
  try {
    const builtConfig = join(ROOT, OUT_DIR, 'server/wrangler.json');
    const bare = writePageFloorConfig(join(TMP, 'bench-bare-worker'), { builtConfig });
    const dir = join(TMP, 'bench-startup');
    mkdirSync(dir, { recursive: true });
    const figures = measureStartups({ ours: builtConfig, bare }, STARTUP_RUNS, dir);
    return { ours: figures.ours!, bare: figures.bare! };
  } catch (error) {
    warnings.push(`startup: ${String(error).slice(0, 300)}`);
    return { error: String(error) };
  }
}

/** The run with the median performance score, carrying the scores of all runs. */
function medianRun(runs: LighthouseResult[]): LighthouseResult {
  const scored = runs.filter((run) => run.scores.performance !== null).sort((a, b) => (a.scores.performance ?? 0) - (b.scores.performance ?? 0));
  const median = scored[Math.floor((scored.length - 1) / 2)] ?? runs[0]!;
  return { ...median, allRuns: runs.map((run) => run.scores) };
}

/** Runs Lighthouse LIGHTHOUSE_RUNS times on `url`; the median run, labelled. */
async function lighthouseMedian(url: string, label: string, name: string, warnings: string[]): Promise<LighthouseResult> {
  const runs: LighthouseResult[] = [];
  for (let run = 1; run <= LIGHTHOUSE_RUNS; run += 1) {
    log(`lighthouse ${run}/${LIGHTHOUSE_RUNS}: ${url}`);
    const result = await runLighthouse(url, join(TMP, 'bench-lighthouse', `${name}-${run}.json`));
    if (result.error) warnings.push(`lighthouse ${url}: ${result.error}`);
    runs.push(result);
  }
  return { ...medianRun(runs), label };
}

/** Lighthouse on the test host's pages that embed the posting (ways 2 and 3). */
async function lighthouseOnHostPages(warnings: string[]): Promise<LighthouseResult[]> {
  const skipBuild = process.env.BENCH_SKIP_BUILD === '1';
  log(skipBuild ? `serving the test host with the build in ${EMBED_OUT_DIR}` : `building into ${EMBED_OUT_DIR} for the test host (BASE_PATH=/careers)`);
  const embed = await startEmbed({ skipBuild, outDir: EMBED_OUT_DIR });
  try {
    return [
      await lighthouseMedian(`${embed.origins.webFragments}/careers/de/jobs/${JOB}/`, 'host page, Web Fragments (way 2)', 'host-web-fragments', warnings),
      await lighthouseMedian(`${embed.origins.dsd}/stellen/${JOB}/`, 'host page, DSD fragment (way 3)', 'host-dsd-fragment', warnings),
    ];
  } finally {
    await embed.stop();
  }
}

async function measurePages(site: RunningSite) {
  const pages: BenchResults['pages'] = [];
  for (const locale of LOCALES) {
    for (const [kind, path] of [['posting', `${locale}/jobs/${JOB}/`], ['list', `${locale}/`]] as const) {
      pages.push({ locale, kind, path, weight: await measurePage(new URL(path, site.url).href) });
    }
  }
  return pages;
}

/**
 * Finds where a valid application gets its 201: the contract's `/api/applications` first; with
 * `trailingSlash: 'always'` Astro may answer that with a 308 to `/api/applications/`, which is
 * then measured instead (and reported). Returns why the endpoint cannot be measured, if so.
 */
async function findApplicationsEndpoint(siteUrl: string, origin: string, warnings: string[]): Promise<{ url: string } | { problem: string }> {
  const bodies = applicationBodies({ job: JOB, locale: 'en' });
  const answers: string[] = [];
  for (const path of ['api/applications', 'api/applications/']) {
    const url = new URL(path, siteUrl).href;
    const { body, headers } = bodies.next();
    try {
      const response = await fetch(url, { method: 'POST', body: new Uint8Array(body), headers: { ...headers, Origin: origin }, redirect: 'manual' });
      const text = (await response.text()).replace(/\s+/g, ' ').slice(0, 200);
      if (response.status === 201) {
        if (answers.length > 0) warnings.push(`the contract's POST /api/applications did not answer 201 (${answers.join('; ')}); measured POST /${path} instead.`);
        return { url };
      }
      answers.push(`POST /${path} → ${response.status}${response.headers.get('location') ? ` (Location: ${response.headers.get('location')})` : ''}: ${text}`);
    } catch (error) {
      answers.push(`POST /${path} failed: ${String(error)}`);
    }
  }
  return { problem: `no 201 for a valid application: ${answers.join('; ')}` };
}

function postSpec(name: string, url: string, origin: string): LoadSpec {
  const bodies = applicationBodies({ job: JOB, locale: 'en' });
  return { name, url, method: 'POST', expectedStatus: 201, headers: { Origin: origin }, perRequest: () => bodies.next(), connections: 4 };
}

async function measureLoads(site: RunningSite, postingHtml: Uint8Array, warnings: string[]): Promise<Comparison[]> {
  log('starting the floors (static asset, minimal Worker with D1 + R2, minimal Worker with our static assets) under wrangler dev');
  const postingPath = `en/jobs/${JOB}/`;
  const redirect = { headers: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.8' }, expectedStatus: 302 };
  const redirectAnswer = await captureAnswer(site.url, redirect.headers);
  const servers = await Promise.allSettled([
    startStaticFloor(join(TMP, 'bench-floor-static'), { [`${postingPath}index.html`]: postingHtml }),
    startWorkerFloor(FLOOR_STATE),
    startPageFloor(join(TMP, 'bench-floor-redirect'), { builtConfig: join(ROOT, OUT_DIR, 'server/wrangler.json'), clientDir: join(ROOT, OUT_DIR, 'client'), answer: redirectAnswer }),
  ]);
  const [staticFloor, workerFloor, assetsFloor] = servers.map((server) => (server.status === 'fulfilled' ? server.value : undefined));
  try {
    const failed = servers.find((server) => server.status === 'rejected');
    if (failed || !staticFloor || !workerFloor || !assetsFloor) throw failed?.reason ?? new Error('a server did not start');
    const compare = async (name: string, floorIs: string, specs: { site: LoadSpec | undefined; floor: LoadSpec; reference?: { floorIs: string; spec: LoadSpec } }, skipped?: string): Promise<Comparison> => {
      const measured = [specs.site, specs.floor, specs.reference?.spec].filter((spec): spec is LoadSpec => spec !== undefined);
      const results = await compareLoads(measured, PLAN, (spec, what) => log(`load: ${spec.name}, ${what} (load average ${loadavg()[0]?.toFixed(2)})`));
      for (const result of results) {
        if (result.unexpected > 0) warnings.push(`${result.name}: ${result.unexpected} of ${result.responses} responses were not ${result.expectedStatus} (${JSON.stringify(result.statusCodes)}, connection errors ${result.errors}).`);
      }
      const byName = (spec: LoadSpec | undefined) => results.find((result) => result.name === spec?.name) ?? { skipped: skipped ?? 'not measured' };
      return {
        name,
        floorIs,
        site: byName(specs.site),
        floor: byName(specs.floor),
        ...(specs.reference && { reference: { floorIs: specs.reference.floorIs, result: byName(specs.reference.spec) } }),
      };
    };
    const comparisons: Comparison[] = [];

    // Every request to a Worker with static assets passes the asset routing first (locally a
    // Worker of its own), so the redirect's floor answers our 302 (the same headers, constant)
    // behind the same assets; the bare Worker without assets is shown too.
    comparisons.push(
      await compare('GET / (language redirect)', 'a Worker answering the same 302 (constant), behind the same static assets', {
        site: { name: 'GET / (site)', url: site.url, ...redirect },
        floor: { name: 'GET / (floor with assets)', url: assetsFloor.url, ...redirect },
        reference: { floorIs: 'a Worker answering a constant 302, no static assets', spec: { name: 'GET / (floor)', url: workerFloor.url, ...redirect } },
      }),
    );

    comparisons.push(
      await compare(`GET /${postingPath} (posting)`, 'the same bytes as a plain static asset, no Worker', {
        site: { name: 'posting (site)', url: new URL(postingPath, site.url).href, expectedStatus: 200 },
        floor: { name: 'posting (floor)', url: new URL(postingPath, staticFloor.url).href, expectedStatus: 200 },
      }),
    );

    // The fragment is rendered by the Worker (life cycle at request time, absolute URLs, ETag)
    // and kept per isolate while fresh; its floor is the static posting page on the same server.
    comparisons.push(
      await compare(`GET /${postingPath}fragment (posting fragment)`, 'the static posting page, same server', {
        site: { name: 'fragment (site)', url: new URL(`${postingPath}fragment`, site.url).href, expectedStatus: 200 },
        floor: { name: 'posting (same server)', url: new URL(postingPath, site.url).href, expectedStatus: 200 },
      }),
    );

    const api = await findApplicationsEndpoint(site.url, new URL(site.url).origin, warnings);
    if ('problem' in api) warnings.push(api.problem);
    const apiPath = 'problem' in api ? undefined : new URL(api.url).pathname;
    const post = (name: string, base: string) => (apiPath ? postSpec(name, new URL(apiPath, base).href, new URL(base).origin) : undefined);
    comparisons.push(
      await compare(
        'POST /api/applications (1 MiB PDF)',
        'a Worker doing only the same R2 put and D1 insert (same schema)',
        {
          site: post('POST application (site)', site.url),
          floor: postSpec('POST application (floor)', new URL('api/applications', workerFloor.url).href, new URL(workerFloor.url).origin),
        },
        'problem' in api ? api.problem : undefined,
      ),
    );
    return comparisons;
  } finally {
    await Promise.all([staticFloor?.stop(), workerFloor?.stop(), assetsFloor?.stop()]);
  }
}

async function main() {
  const started = Date.now();
  const warnings: string[] = [];
  mkdirSync(TMP, { recursive: true });
  const results: Partial<BenchResults> = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))) },
    method: {
      transfer: 'bytes fetched uncompressed from the local server, each response compressed with node:zlib (brotli quality 11, gzip level 9); images/fonts counted as sent',
      requests: 'the document plus every resource its HTML and CSS name (stylesheets, scripts, images, icons, preloads, CSS url()/@import); render-blocking ones in brackets',
      load: `autocannon 8 over 127.0.0.1; per server 1 s warm-up (discarded), then ${PLAN.rounds} rounds of ${PLAN.roundSeconds} s interleaved with the other servers of the comparison, histograms merged; GET with 8 connections, POST with 4; req/s counts only responses with the expected status; latency covers all responses`,
      site: `astro build (production); served as \`npm start\` does, with wrangler dev (workerd) on the built Worker, on fresh local D1/R2 state with the migrations applied, the application rate limit raised to ${LOAD_TEST_RATE_LIMIT} (nothing else changed)`,
      floors: 'wrangler dev (workerd) serving the posting\'s bytes as a plain [assets] file; test/bench/floor/worker.ts (constant 302; formData + SHA-256 + R2 put + one D1 INSERT on the real migrations); test/bench/floor/page.ts behind the build\'s own static assets, answering the status, headers and body of the answer of ours it stands beside, captured once (the same bytes, constant)',
      startup: `wrangler check startup --args="--config=<build>/server/wrangler.json" (local V8 profile of the isolate's startup, active CPU including garbage collection), ${STARTUP_RUNS} runs each of our Worker and of a bare Worker (test/bench/floor/page.ts, same compatibility date and flags), alternating; median, mean and range reported`,
      workerCpu: 'on-CPU time (Linux /proc/<pid>/task/*/schedstat) of the workerd process that runs the Workers under wrangler dev, over sequential requests, per request; the same for a floor (test/bench/floor/page.ts behind the same build\'s static assets, answering the list page\'s status, headers and body), each round of ours followed by one of the floor; Worker CPU = the median over the rounds of (ours − floor). Waiting (I/O, other processes) is not counted. The first list request of a fresh isolate is one request, whole process',
      scaling: `test/fixtures/many/generate.ts writes ${POSTING_COUNTS.join(', ')} postings per locale (both languages) into test/.tmp/bench-content-<count>; each is built with CONTENT_DIR pointing there (production build) and served as npm start does`,
      lighthouse: `lighthouse 12.2.3 CLI, mobile defaults (Moto G Power emulation, simulated slow 4G and 4x CPU slowdown), Debian Chromium headless, plain http on 127.0.0.1 and *.localhost (secure contexts for Chromium); the host pages are the test host of test/host/ embedding the posting (build with BASE_PATH=/careers); ${LIGHTHOUSE_RUNS} runs per page, the median run by performance score reported; full reports in test/.tmp/bench-lighthouse/`,
      bundle: 'wrangler deploy --dry-run on the build\'s server/wrangler.json',
    },
  };

  const site = await startBenchSite();
  results.startup = measureStartup(warnings);
  try {
    log(`site up at ${site.url}; measuring page weight`);
    results.pages = await measurePages(site);
    const postingHtml = new Uint8Array(await (await fetch(new URL(`en/jobs/${JOB}/`, site.url))).arrayBuffer());
    results.load = await measureLoads(site, postingHtml, warnings);
    results.lighthouse = [];
    if (process.env.BENCH_SKIP_LIGHTHOUSE !== '1') {
      rmSync(join(TMP, 'bench-lighthouse'), { recursive: true, force: true });
      for (const locale of LOCALES) {
        const url = new URL(`${locale}/jobs/${JOB}/`, site.url).href;
        results.lighthouse.push(await lighthouseMedian(url, `/${locale}/jobs/${JOB}/`, `${locale}-posting`, warnings));
      }
    }
  } finally {
    await site.stop();
  }
  if (process.env.BENCH_SKIP_LIGHTHOUSE !== '1') (results.lighthouse ??= []).push(...(await lighthouseOnHostPages(warnings)));
  results.scaling = await measureScaling(POSTING_COUNTS, { rounds: 7, perRound: 50, warmup: 20, skipBuild: process.env.BENCH_SKIP_BUILD === '1' }, TMP, warnings);

  log('bundle: wrangler deploy --dry-run');
  try {
    results.bundle = measureBundle(join(ROOT, OUT_DIR), join(TMP, 'bench-bundle'));
  } catch (error) {
    results.bundle = { error: String(error) };
    warnings.push(`bundle: ${String(error).slice(0, 300)}`);
  }
  // The CVs sent by the bench are test data: the bench's own state folders go.
  for (const state of [stateDirOf(OUT_DIR), stateDirOf(EMBED_OUT_DIR), FLOOR_STATE]) rmSync(state, { recursive: true, force: true });
  results.warnings = warnings;
  results.durationSeconds = Math.round((Date.now() - started) / 1000);

  const complete = results as BenchResults;
  writeFileSync(join(ROOT, 'test/bench/results.json'), `${JSON.stringify(complete, null, 2)}\n`);
  process.stdout.write(`${renderMarkdown(complete, { cvBytes: CV_BYTES })}\n`);
  log(`done in ${complete.durationSeconds} s; results in test/bench/results.json`);
}

await main();
