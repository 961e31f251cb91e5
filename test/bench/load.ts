/**
 * Warm, bounded load runs with autocannon over loopback: latency percentiles, throughput, and
 * every response that was not the expected status (never hidden, always reported).
 *
 * The servers of one comparison are measured in interleaved rounds (A B C, A B C, …) and each
 * one's rounds merged into one histogram, so a change in the machine's background load during
 * the run hits all of them alike instead of skewing the ratio.
 */
import autocannon, { type AutocannonOptions, type AutocannonRequest, type RawResult } from 'autocannon';

/** One measured endpoint on one server. */
export interface LoadResult {
  name: string;
  url: string;
  method: string;
  connections: number;
  /** Measured seconds, summed over the rounds. */
  seconds: number;
  rounds: number;
  /** Responses received in the measured rounds. */
  responses: number;
  /** Responses with the expected status per second of measurement. */
  perSecond: number;
  /** Latency in milliseconds, over all measured responses. */
  latency: { p50: number; p99: number; mean: number; max: number };
  /** Status the endpoint is expected to answer, e.g. 200, 302 or 201. */
  expectedStatus: number;
  /** Count of each status code received (measured rounds). */
  statusCodes: Record<string, number>;
  /** Responses with any other status, plus connection errors and timeouts. */
  unexpected: number;
  errors: number;
  timeouts: number;
  /** Status codes of the discarded warm-up run, for the record. */
  warmupStatusCodes: Record<string, number>;
}

/** What to load and how hard. */
export interface LoadSpec {
  name: string;
  url: string;
  expectedStatus: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Called for each request; returns a fresh body and headers (e.g. a unique Idempotency-Key). */
  perRequest?: () => { body: Buffer; headers: Record<string, string> };
  connections?: number;
}

/** How long to measure: `rounds` interleaved rounds of `roundSeconds`, after a warm-up. */
export interface LoadPlan {
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
}

const statusCounts = (stats: Record<string, { count: number }>) =>
  Object.fromEntries(Object.entries(stats).map(([status, { count }]) => [status, count]));

function optionsOf(spec: LoadSpec): AutocannonOptions {
  const { url, method = 'GET', headers = {}, perRequest, connections = 8 } = spec;
  const requests: AutocannonRequest[] | undefined = perRequest && [
    {
      method,
      setupRequest: (request) => {
        const fresh = perRequest();
        return { ...request, body: fresh.body, headers: { ...request.headers, ...fresh.headers } };
      },
    },
  ];
  return { url, method, headers, connections, timeout: 30, ...(requests && { requests }) };
}

/**
 * Warms each server up (run discarded), then measures them in interleaved rounds and merges
 * each server's rounds. `onRun` is told before every run (for progress output).
 */
export async function compareLoads(specs: LoadSpec[], plan: LoadPlan, onRun: (spec: LoadSpec, what: string) => void = () => {}): Promise<LoadResult[]> {
  const warmups: Array<Record<string, number>> = [];
  for (const spec of specs) {
    onRun(spec, `warm-up ${plan.warmupSeconds} s`);
    warmups.push(statusCounts((await autocannon({ ...optionsOf(spec), duration: plan.warmupSeconds })).statusCodeStats));
  }
  const raw: RawResult[][] = specs.map(() => []);
  for (let round = 1; round <= plan.rounds; round += 1) {
    for (const [index, spec] of specs.entries()) {
      onRun(spec, `round ${round}/${plan.rounds}, ${plan.roundSeconds} s`);
      raw[index]!.push(await autocannon({ ...optionsOf(spec), duration: plan.roundSeconds, skipAggregateResult: true }));
    }
  }
  return specs.map((spec, index) => {
    const runs = raw[index]!;
    // aggregateResult keeps the first run's duration; the measured time is their sum.
    const seconds = runs.reduce((sum, run) => sum + run.duration, 0);
    const merged = autocannon.aggregateResult(runs, optionsOf(spec));
    const statusCodes = statusCounts(merged.statusCodeStats);
    const responses = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
    const expected = statusCodes[String(spec.expectedStatus)] ?? 0;
    return {
      name: spec.name,
      url: spec.url,
      method: spec.method ?? 'GET',
      connections: spec.connections ?? 8,
      seconds,
      rounds: plan.rounds,
      responses,
      perSecond: expected / seconds,
      latency: { p50: merged.latency.p50, p99: merged.latency.p99, mean: merged.latency.mean, max: merged.latency.max },
      expectedStatus: spec.expectedStatus,
      statusCodes,
      unexpected: responses - expected + merged.errors,
      errors: merged.errors,
      timeouts: merged.timeouts,
      warmupStatusCodes: warmups[index] ?? {},
    };
  });
}
