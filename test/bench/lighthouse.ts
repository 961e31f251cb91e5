/**
 * Lighthouse 12.2.3 (mobile defaults: Moto G Power emulation, simulated slow 4G) against
 * Debian's Chromium, through its CLI so that it runs in its own process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '#test/support/site.ts';

const LIGHTHOUSE = join(ROOT, 'node_modules/lighthouse/cli/index.js');
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

/** Scores (0–100) and what cost points, for one page. */
export interface LighthouseResult {
  url: string;
  /** How the report names the page (default: its path). */
  label?: string;
  scores: Record<(typeof CATEGORIES)[number], number | null>;
  /** Scored audits below 1 (id, score, title), so a score under 100 explains itself. */
  missed: Array<{ id: string; score: number; title: string; category: string }>;
  /** Requests Chromium made for the page (the network-requests audit). */
  networkRequests: number | null;
  /** Key metrics in milliseconds (simulated mobile). */
  metrics: Record<string, number | null>;
  lighthouseVersion: string;
  userAgent: string;
  /** When several runs were made: every run's scores (this result is the median run). */
  allRuns?: Array<LighthouseResult['scores']>;
  /** Set when the run failed: the reason, instead of scores. */
  error?: string;
}

interface LighthouseReport {
  lighthouseVersion: string;
  environment: { hostUserAgent: string };
  runtimeError?: { code: string; message: string };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, { score: number | null; scoreDisplayMode: string; title: string; numericValue?: number; details?: { items?: unknown[] } }>;
}

/** Runs Lighthouse once against `url`, writing the full JSON report to `reportPath`. */
export async function runLighthouse(url: string, reportPath: string): Promise<LighthouseResult> {
  mkdirSync(join(reportPath, '..'), { recursive: true });
  const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  const args = [LIGHTHOUSE, url, '--output=json', `--output-path=${reportPath}`, `--only-categories=${CATEGORIES.join(',')}`, `--chrome-flags=${CHROME_FLAGS}`, '--quiet'];
  const output = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CHROME_PATH: chromePath }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const empty = { url, scores: { performance: null, accessibility: null, 'best-practices': null, seo: null }, missed: [], networkRequests: null, metrics: {}, lighthouseVersion: '', userAgent: '' };
  if (output.code !== 0) return { ...empty, error: `lighthouse exited ${output.code}: ${output.stderr.trim().slice(-500)}` };
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as LighthouseReport;
  const scores = Object.fromEntries(CATEGORIES.map((id) => {
    const score = report.categories[id]?.score;
    return [id, typeof score === 'number' ? Math.round(score * 100) : null];
  })) as LighthouseResult['scores'];
  const missed = CATEGORIES.flatMap((category) =>
    (report.categories[category]?.auditRefs ?? []).flatMap(({ id, weight }) => {
      const audit = report.audits[id];
      if (!audit || weight === 0 || audit.score === null || audit.score >= 1) return [];
      return [{ id, score: audit.score, title: audit.title, category }];
    }),
  );
  const metric = (id: string) => report.audits[id]?.numericValue ?? null;
  return {
    url,
    scores,
    missed,
    networkRequests: report.audits['network-requests']?.details?.items?.length ?? null,
    metrics: {
      firstContentfulPaint: metric('first-contentful-paint'),
      largestContentfulPaint: metric('largest-contentful-paint'),
      totalBlockingTime: metric('total-blocking-time'),
      cumulativeLayoutShift: metric('cumulative-layout-shift'),
      speedIndex: metric('speed-index'),
    },
    lighthouseVersion: report.lighthouseVersion,
    userAgent: report.environment.hostUserAgent,
    ...(report.runtimeError && { error: `${report.runtimeError.code}: ${report.runtimeError.message}` }),
  };
}
