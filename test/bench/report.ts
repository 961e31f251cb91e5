/** Renders the benchmark results as the Markdown tables printed by `npm run bench`. */
import type { BenchResults, Comparison } from './run.ts';
import type { LoadResult } from './load.ts';

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
    ] as const;
    for (const [by, run] of served) {
      if (!isLoad(run)) {
        lines.push(row([comparison.name, by, 'not run', '', '', '', '', '']));
        continue;
      }
      const isFloor = run === comparison.floor;
      lines.push(
        row([
          comparison.name,
          by,
          ms(run.latency.p50),
          ms(run.latency.p99),
          int(run.perSecond),
          `${run.unexpected} of ${int(run.responses)}`,
          floor && !isFloor ? ratio(run.latency.p50, floor.latency.p50) : isFloor ? '1' : '',
          floor && !isFloor ? ratio(run.perSecond, floor.perSecond) : isFloor ? '1' : '',
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
  lines.push(
    `**Latency and throughput** (autocannon over 127.0.0.1, warm: 1 s discarded, then ${rounds}; GET with 8 connections, POST with 4; req/s counts only responses with the expected status)`,
    '',
    ...loadTable(results),
    '',
  );
  if (post) {
    const run = post.site;
    if (isLoad(run)) lines.push(`- One application with a ${int(options.cvBytes / 1024)} KiB PDF: ${ms(run.latency.p50)} ms per application (p50), ${int(run.perSecond)} applications/s with ${run.connections} concurrent clients.`);
  }
  const fragment = results.load.find((comparison) => comparison.name.includes('fragment'));
  if (fragment && isLoad(fragment.site) && isLoad(fragment.floor)) {
    lines.push(`- The posting fragment, rendered by the Worker (and kept per isolate while fresh): p50 ${ratio(fragment.site.latency.p50, fragment.floor.latency.p50)} the static posting's (goal: at most 1.2×).`);
  }
  lines.push('', '**Lighthouse** (12.2.3, mobile, Chromium headless)', '', ...lighthouseTable(results), '', bundle, '');
  if (results.warnings.length > 0) lines.push('**Warnings**', '', ...results.warnings.map((warning) => `- ${warning}`), '');
  lines.push(`Bench took ${results.durationSeconds} s.`);
  return lines.join('\n');
}
