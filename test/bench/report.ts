/** Renders the benchmark results as the Markdown tables printed by `npm run bench`. */
import type { BenchResults, Comparison } from './run.ts';
import type { LoadResult } from './load.ts';
import type { ScalingPoint } from './scaling.ts';

/** HTTP Archive Web Almanac 2025, median mobile page (as quoted in issue 5). */
const MEDIAN_PAGE_BYTES = 1.8e6;
const MEDIAN_JS_BYTES = 650e3;

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value < 10 ? value.toFixed(1) : int(value));
const ratio = (ours: number, floor: number) => (floor > 0 ? `${(ours / floor).toFixed(2)}×` : 'n/a');
const isLoad = (value: Comparison['site']): value is LoadResult => !('skipped' in value);

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

function pagesTable(results: BenchResults): string[] {
  const lines = [
    row(['Page', 'Transfer brotli', 'Transfer gzip', 'HTML', 'CSS', 'JS', 'Requests (render-blocking)']),
    row(['---', '--:', '--:', '--:', '--:', '--:', '--:']),
  ];
  for (const { path, weight } of results.pages) {
    const css = weight.externalCssBytes === 0 ? `${int(weight.cssBytes)} (inline)` : int(weight.cssBytes);
    lines.push(row([`/${path}`, int(weight.transfer.brotli), int(weight.transfer.gzip), int(weight.htmlBytes), css, int(weight.jsBytes), `${weight.requests} (${weight.renderBlockingRequests})`]));
  }
  return lines;
}

function loadTable(results: BenchResults): string[] {
  const lines = [
    row(['Endpoint', 'Served by', 'p50 ms', 'p99 ms', 'req/s', 'Not expected', 'p50 / floor', 'req/s / floor']),
    row(['---', '---', '--:', '--:', '--:', '--:', '--:', '--:']),
  ];
  for (const comparison of results.load) {
    const floor = isLoad(comparison.floor) ? comparison.floor : undefined;
    const served = [
      ['our Worker, as `npm start` serves it', comparison.site],
      [`floor: ${comparison.floorIs}`, comparison.floor],
      ...(comparison.reference ? [[`for reference: ${comparison.reference.floorIs}`, comparison.reference.result] as const] : []),
    ] as const;
    for (const [by, run] of served) {
      if (!isLoad(run)) {
        lines.push(row([comparison.name, by, 'not run', '', '', '', '', '']));
        continue;
      }
      const isFloor = run === comparison.floor;
      const isSite = run === comparison.site;
      lines.push(
        row([
          comparison.name,
          by,
          ms(run.latency.p50),
          ms(run.latency.p99),
          int(run.perSecond),
          `${run.unexpected} of ${int(run.responses)}`,
          floor && isSite ? ratio(run.latency.p50, floor.latency.p50) : isFloor ? '1' : '',
          floor && isSite ? ratio(run.perSecond, floor.perSecond) : isFloor ? '1' : '',
        ]),
      );
    }
  }
  return lines;
}

function lighthouseTable(results: BenchResults): string[] {
  if (results.lighthouse.length === 0) return ['Lighthouse: skipped (BENCH_SKIP_LIGHTHOUSE=1).'];
  const lines = [
    row(['Page (mobile)', 'Performance', 'Accessibility', 'Best practices', 'SEO', 'Requests', 'FCP ms', 'LCP ms', 'TBT ms', 'CLS']),
    row(['---', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:']),
  ];
  for (const result of results.lighthouse) {
    const { scores, metrics } = result;
    const show = (value: number | null | undefined) => (value === null || value === undefined ? '–' : String(value));
    const metric = (value: number | null | undefined) => (value === null || value === undefined ? '–' : int(value));
    lines.push(
      row([
        result.label ?? new URL(result.url).pathname,
        show(scores.performance),
        show(scores.accessibility),
        show(scores['best-practices']),
        show(scores.seo),
        show(result.networkRequests),
        metric(metrics.firstContentfulPaint),
        metric(metrics.largestContentfulPaint),
        metric(metrics.totalBlockingTime),
        metrics.cumulativeLayoutShift === null || metrics.cumulativeLayoutShift === undefined ? '–' : metrics.cumulativeLayoutShift.toFixed(3),
      ]),
    );
  }
  const spread = results.lighthouse
    .filter((result) => (result.allRuns?.length ?? 0) > 1)
    .map((result) => `${result.label ?? new URL(result.url).pathname}: ${result.allRuns?.map((scores) => [scores.performance, scores.accessibility, scores['best-practices'], scores.seo].join('/')).join(', ')}`);
  if (spread.length > 0) lines.push('', `Median of ${results.lighthouse[0]?.allRuns?.length} runs per page, by performance score; every run (performance/accessibility/best practices/SEO): ${spread.join('; ')}.`);
  const missed = results.lighthouse.flatMap((result) => result.missed.map((audit) => `${result.label ?? new URL(result.url).pathname}: ${audit.category} · ${audit.id} (${audit.score})`));
  lines.push('', missed.length > 0 ? `Audits below 1 in the reported runs: ${missed.join('; ')}.` : 'No scored audit below 1 in the reported runs.');
  return lines;
}

function startupSection(results: BenchResults): string[] {
  if ('error' in results.startup) return [`Worker startup: not measured (${results.startup.error.slice(0, 200)})`];
  const { ours, bare } = results.startup;
  const runs = ours.runs.length;
  const figures = (label: string, figure: typeof ours) =>
    row([label, ms(figure.medianMs), ms(figure.meanMs), `${ms(figure.minMs)}–${ms(figure.maxMs)}`, ms(figure.runs.map((run) => run.gcMs).sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0), `${figure.bundleKiB} (${figure.gzipKiB})`]);
  return [
    `**Worker startup** (\`wrangler check startup\` on the build's own config: active CPU of a new isolate before its first answer, garbage collection included, local V8 profile, ms; ${runs} runs each, alternating)`,
    '',
    row(['Worker', 'Median', 'Mean', 'Range', 'GC (median)', 'Bundle KiB (gzip)']),
    row(['---', '--:', '--:', '--:', '--:', '--:']),
    figures('our Worker', ours),
    figures('a bare Worker (test/bench/floor/page.ts, same compatibility date and flags)', bare),
    '',
    `- Our Worker starts in ${ms(ours.medianMs)} ms of active CPU (median; goal: at most 40 ms), ${
      bare.meanMs > 0
        ? `${ratio(ours.meanMs, bare.meanMs)} a bare Worker's (ratio of the means; the profiler samples about once a millisecond, so a bare Worker often shows 0).`
        : // Every bare run fell between two samples: its start is under one sample, about 1 ms.
          `at least ${ours.meanMs.toFixed(0)}× a bare Worker's, whose start fell below the profiler's resolution in every run (0 ms: under one sample, about 1 ms).`
    }`,
  ];
}

const cpuOf = (point: ScalingPoint, prefix: string) => point.cpu.find((cpu) => cpu.name.startsWith(prefix));

function scalingSection(results: BenchResults): string[] {
  if (results.scaling.length === 0) return ['Worker CPU as postings grow: not measured (BENCH_POSTING_COUNTS is empty).'];
  const cell = (point: ScalingPoint, prefix: string) => {
    const cpu = cpuOf(point, prefix);
    return cpu ? `${ms(cpu.workerMs)} (${ms(cpu.oursMs)})` : '–';
  };
  const lines = [
    '**Worker CPU as postings grow** (generated postings per locale; ms of CPU per request that our Worker adds to a bare Worker with the same static assets, ours − floor, and in brackets the whole workerd process\'s: its on-CPU time per request over rounds of sequential requests, the median of 7 rounds of 50, see `method.workerCpu` in results.json. Rendered: each request sent with `Cache-Control: no-cache`, so the Worker renders it (and keeps the new copy) as on a miss; kept: the same URL again, answered from the copy the isolate keeps while fresh. Differences of a few tenths of a millisecond either way are within this method\'s noise on a shared machine)',
    '',
    row(['Postings per locale', 'List, rendered', 'Filtered list, rendered', '/api/jobs, rendered', 'List, kept copy', 'Floor', 'First list request of an isolate', 'Worker bundle KiB (gzip)', 'content.json (en) KiB', 'Build s']),
    row(['--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:']),
  ];
  for (const point of results.scaling) {
    const bundle = 'error' in point.bundle ? 'error' : `${point.bundle.totalKiB} (${point.bundle.gzipKiB})`;
    lines.push(
      row([
        int(point.postingsPerLocale),
        cell(point, 'list /en/, rendered'),
        cell(point, 'filtered'),
        cell(point, '/api/jobs'),
        cell(point, 'list /en/, kept'),
        cpuOf(point, 'list') ? ms(cpuOf(point, 'list')!.floorMs) : '–',
        point.firstListMs === null ? '–' : ms(point.firstListMs),
        bundle,
        (point.contentIndexBytes / 1024).toFixed(1),
        point.buildSeconds === null ? 'reused' : int(point.buildSeconds),
      ]),
    );
  }
  const first = results.scaling[0]!;
  const last = results.scaling.at(-1)!;
  const change = (prefix: string) => {
    const from = cpuOf(first, prefix);
    const to = cpuOf(last, prefix);
    return from && to ? `${to.workerMs - from.workerMs >= 0 ? '+' : ''}${(to.workerMs - from.workerMs).toFixed(1)} ms` : 'n/a';
  };
  const list = cpuOf(last, 'list /en/, rendered');
  const filtered = cpuOf(last, 'filtered');
  const kept = cpuOf(last, 'list /en/, kept');
  if (list && filtered) {
    lines.push(
      '',
      `- At ${int(last.postingsPerLocale)} postings per locale, rendering the list costs ${ms(list.workerMs)} ms and the filtered list ${ms(filtered.workerMs)} ms of Worker CPU per request (goal: at most 3 ms)${kept ? `, the list's kept copy ${ms(kept.workerMs)} ms` : ''}; from ${int(first.postingsPerLocale)} to ${int(last.postingsPerLocale)} postings: list ${change('list /en/, rendered')}, filtered list ${change('filtered')}.`,
    );
  }
  return lines;
}

/** The full report: tables, a comparison line and the run's warnings. */
export function renderMarkdown(results: BenchResults, options: { cvBytes: number }): string {
  const posting = results.pages.find((page) => page.kind === 'posting');
  const post = results.load.find((comparison) => comparison.name.startsWith('POST'));
  const bundle = 'error' in results.bundle ? `Worker bundle: not measured (${results.bundle.error.slice(0, 200)})` : `Worker bundle (\`wrangler deploy --dry-run\`): ${results.bundle.totalKiB} KiB, ${results.bundle.gzipKiB} KiB gzip (${results.bundle.files.length} modules).`;
  const plan = results.load.map((comparison) => comparison.floor).find(isLoad);
  const rounds = plan ? `${plan.rounds} interleaved rounds, ${plan.seconds.toFixed(0)} s in all per server` : '?';
  const lines = [
    `Run ${results.date} · ${results.commit} · ${results.machine.cpu}, ${results.machine.cores} cores · Node ${results.machine.node} · load average at start ${results.machine.loadAverageAtStart.join(' ')}`,
    '',
    '**Page weight** (bytes; transfer = every response compressed by node:zlib, brotli q11 / gzip -9, as the edge would send it)',
    '',
    ...pagesTable(results),
    '',
  ];
  if (posting) {
    lines.push(
      `The posting transfers ${int(posting.weight.transfer.brotli)} B (brotli) with ${int(posting.weight.jsBytes)} B of JavaScript; the median mobile page of 2025 transfers ~${int(MEDIAN_PAGE_BYTES / 1000)} KB with ~${int(MEDIAN_JS_BYTES / 1000)} KB of JavaScript (HTTP Archive Web Almanac 2025): ${int(MEDIAN_PAGE_BYTES / posting.weight.transfer.brotli)}× less.`,
      '',
    );
  }
  lines.push(...startupSection(results), '');
  lines.push(
    `**Latency and throughput** (autocannon over 127.0.0.1, warm: 1 s discarded, then ${rounds}; GET with 8 connections, POST with 4; req/s counts only responses with the expected status)`,
    '',
    ...loadTable(results),
    '',
  );
  const redirect = results.load.find((comparison) => comparison.name.includes('redirect'));
  if (redirect && isLoad(redirect.site) && isLoad(redirect.floor)) {
    const reference = redirect.reference && isLoad(redirect.reference.result) ? redirect.reference.result : undefined;
    lines.push(
      `- The language redirect: p50 ${ratio(redirect.site.latency.p50, redirect.floor.latency.p50)} its floor behind the same static assets (goal: at most 1.2×)${reference ? `; ${ratio(redirect.site.latency.p50, reference.latency.p50)} a bare Worker's without static assets, whose requests skip the asset routing` : ''}.`,
    );
  }
  if (post) {
    const run = post.site;
    if (isLoad(run)) lines.push(`- One application with a ${int(options.cvBytes / 1024)} KiB PDF: ${ms(run.latency.p50)} ms per application (p50), ${int(run.perSecond)} applications/s with ${run.connections} concurrent clients.`);
  }
  const fragment = results.load.find((comparison) => comparison.name.includes('fragment'));
  if (fragment && isLoad(fragment.site) && isLoad(fragment.floor)) {
    lines.push(`- The posting fragment, rendered by the Worker (and kept per isolate while fresh): p50 ${ratio(fragment.site.latency.p50, fragment.floor.latency.p50)} the static posting's (goal: at most 1.2×).`);
  }
  lines.push('', ...scalingSection(results), '');
  lines.push('**Lighthouse** (12.2.3, mobile, Chromium headless)', '', ...lighthouseTable(results), '', bundle, '');
  if (results.warnings.length > 0) lines.push('**Warnings**', '', ...results.warnings.map((warning) => `- ${warning}`), '');
  lines.push(`Bench took ${results.durationSeconds} s.`);
  return lines.join('\n');
}
