/**
 * Worker CPU per request, measured from outside the Worker. `wrangler dev` runs the Workers in
 * one workerd process (a second one only proxies HTTP); Linux counts the time each of its
 * threads spends on a CPU (/proc/<pid>/task/<tid>/schedstat, nanoseconds). Sending N requests
 * one after the other and dividing that process's CPU time by N gives the CPU each request
 * costs: our Worker's code, plus what workerd and its local asset routing cost for any Worker.
 * The same measured on a floor (a bare Worker with the same static assets answering the same
 * bytes) isolates our Worker's part: the difference. Time spent waiting (I/O, other processes
 * on the machine) is not counted, so the figure holds up on a busy machine where timers and
 * sampling profilers do not. Linux only.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The processes below `pid` (children, grandchildren …). */
function descendants(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => {
      try {
        // "pid (comm) state ppid …": comm may hold spaces, so split after its closing bracket.
        return Number(readFileSync(`/proc/${candidate}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    });
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * The workerd process that runs the Workers of a `wrangler dev` (the one with the inspector;
 * the other only proxies), or undefined where /proc is not there to look.
 */
export function workerdRuntimeOf(wranglerPid: number | undefined): number | undefined {
  if (wranglerPid === undefined) return undefined;
  try {
    return descendants(wranglerPid).find((pid) => {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return command.includes('workerd') && command.includes('--inspector-addr');
    });
  } catch {
    return undefined;
  }
}

/** CPU time the process has used so far, all threads, in milliseconds. */
export function processCpuMs(pid: number): number {
  let nanoseconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return nanoseconds / 1e6;
}

/** One endpoint of a CPU measurement: what to request, and from which workerd process. */
export interface CpuTarget {
  name: string;
  /** The URL of the i-th request. */
  url: (index: number) => string;
  /** Request headers, e.g. `Cache-Control: no-cache` to have the Worker render instead of answering from its kept copy. */
  headers?: Record<string, string>;
  pid: number;
  expectedStatus: number;
}

/** CPU per request of one of ours and its floor. */
export interface CpuPairResult {
  /** Milliseconds of CPU per request of ours, median over the rounds. */
  oursMs: number;
  /** The floor's, median over the rounds. */
  floorMs: number;
  /** What ours adds: the median over the rounds of (ours − floor) in the same round. */
  addedMs: number;
  /** Requests per side. */
  requests: number;
  /** Our answers with another status than expected (reported, never hidden). */
  unexpected: number;
}

/** Sends `count` requests one after the other; returns the CPU per request and the unexpected answers. */
async function sendAll(target: CpuTarget, from: number, count: number): Promise<{ perRequestMs: number; unexpected: number }> {
  let unexpected = 0;
  const before = processCpuMs(target.pid);
  for (let index = from; index < from + count; index += 1) {
    const response = await fetch(target.url(index), { redirect: 'manual', headers: target.headers ?? {} });
    await response.arrayBuffer();
    if (response.status !== target.expectedStatus) unexpected += 1;
  }
  return { perRequestMs: (processCpuMs(target.pid) - before) / count, unexpected };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The CPU per request of each of ours against its floor: a warm-up (not counted), then
 * `rounds` rounds in which each pair sends `perRound` requests to ours and right after as many
 * to its floor. Medians over the rounds, and of the differences within a round, so that a burst
 * of other work on the machine during one round does not decide the figure.
 */
export async function measureCpuPairs(pairs: ReadonlyArray<{ ours: CpuTarget; floor: CpuTarget }>, { rounds, perRound, warmup }: { rounds: number; perRound: number; warmup: number }): Promise<CpuPairResult[]> {
  for (const { ours, floor } of pairs) {
    await sendAll(ours, 0, warmup);
    await sendAll(floor, 0, warmup);
  }
  const measured = pairs.map(() => ({ ours: [] as number[], floor: [] as number[], unexpected: 0 }));
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, { ours, floor }] of pairs.entries()) {
      const from = warmup + round * perRound;
      const oursRound = await sendAll(ours, from, perRound);
      const floorRound = await sendAll(floor, from, perRound);
      measured[index]!.ours.push(oursRound.perRequestMs);
      measured[index]!.floor.push(floorRound.perRequestMs);
      measured[index]!.unexpected += oursRound.unexpected + floorRound.unexpected;
    }
  }
  return measured.map(({ ours, floor, unexpected }) => ({
    oursMs: median(ours),
    floorMs: median(floor),
    addedMs: median(ours.map((value, round) => value - floor[round]!)),
    requests: rounds * perRound,
    unexpected,
  }));
}

/** The CPU one request costs, alone: for the first request of a fresh isolate. */
export async function cpuOfOneRequest(target: Omit<CpuTarget, 'name'>): Promise<{ cpuMs: number; status: number }> {
  const before = processCpuMs(target.pid);
  const response = await fetch(target.url(0), { redirect: 'manual' });
  await response.arrayBuffer();
  return { cpuMs: processCpuMs(target.pid) - before, status: response.status };
}
