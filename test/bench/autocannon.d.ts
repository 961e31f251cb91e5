// The subset of autocannon 8's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | undefined;
  }

  interface AutocannonOptions extends AutocannonRequest {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    requests?: AutocannonRequest[];
    /** Return the raw result of this run, to be merged with others by `aggregateResult`. */
    skipAggregateResult?: boolean;
  }

  /** A run's raw result (with `skipAggregateResult`): encoded histograms, counts, duration in s. */
  interface RawResult {
    duration: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }

  interface AutocannonResult {
    latency: Histogram;
    requests: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  function autocannon(options: AutocannonOptions & { skipAggregateResult: true }): Promise<RawResult>;
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  namespace autocannon {
    /** Merges raw results (histograms included) of several runs into one result. */
    function aggregateResult(results: RawResult[], options: AutocannonOptions): AutocannonResult;
  }
  export default autocannon;
  export type { AutocannonOptions, AutocannonRequest, AutocannonResult, RawResult };
}
