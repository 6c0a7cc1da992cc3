/** Small statistics helpers for the benchmark: percentiles over measured samples, formatted figures. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export async function timeEach(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

export const ms = (v: number): string => `${v.toFixed(2)} ms`;
/** A difference, with its sign either way: +1.20 ms, -0.35 ms. */
export const signedMs = (v: number): string => `${v >= 0 ? '+' : ''}${ms(v)}`;
export const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Resident set size of a process from /proc, in bytes (current and peak). */
export function rssOf(pid: number, fs: { readFileSync(p: string, e: 'utf8'): string }): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN') * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * CPU time (user + system) a process has used, in seconds, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux);
 * with `reaped`, also that of its children it has waited for. 0 when the process is gone.
 */
export function cpuSecondsOf(pid: number, fs: { readFileSync(p: string, e: 'utf8'): string }, reaped = false): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const own = (fields[11] ?? 0) + (fields[12] ?? 0);
  return (reaped ? own + (fields[13] ?? 0) + (fields[14] ?? 0) : own) / 100;
}

/** Busy and total CPU time of the whole machine (every process, other users' included), from /proc/stat. */
function machineTicks(fs: { readFileSync(p: string, e: 'utf8'): string }): { busy: number; total: number } {
  const values = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/**
 * How loaded the machine was while a figure was measured: the share of all cores busy (anyone's processes) and the
 * 1-minute load average at the end, so a figure taken on a busy shared machine says so beside itself.
 */
export function machineLoadMeter(fs: { readFileSync(p: string, e: 'utf8'): string }, loadavg: () => number[], cores: number): () => string {
  const start = machineTicks(fs);
  return () => {
    const end = machineTicks(fs);
    const busy = (end.busy - start.busy) / Math.max(1, end.total - start.total);
    return `machine ${(busy * 100).toFixed(0)}% busy over ${cores} cores, load ${(loadavg()[0] ?? 0).toFixed(2)}`;
  };
}

/** Slope of the least-squares line through (x, y): y units per x unit; NaN with fewer than two distinct x. */
export function linearSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Max of the middle and the last third, and the slope of a line fitted over the second half (MB/min). */
export function plateau(samples: ReadonlyArray<{ minute: number; value: number }>): { middleMax: number; lastMax: number; slope: number } {
  const third = Math.floor(samples.length / 3);
  const middle = samples.slice(third, 2 * third).map((s) => s.value);
  const last = samples.slice(2 * third).map((s) => s.value);
  const half = samples.slice(Math.floor(samples.length / 2));
  return {
    middleMax: Math.max(...middle),
    lastMax: Math.max(...last),
    slope: linearSlope(half.map((s) => s.minute), half.map((s) => s.value / (1024 * 1024))),
  };
}

/**
 * Whether memory plateaued: the last third's peak at most 5 % (and at least 5 MB of slack) above the middle third's,
 * and the line fitted over the second half rising under 0.5 MB/min (15 MB over 30 minutes). A leak of a few KB per
 * call, thousands of calls a minute, fails both.
 */
export function plateaus(p: { middleMax: number; lastMax: number; slope: number }): boolean {
  return p.lastMax <= p.middleMax + Math.max(5 * 1048576, p.middleMax * 0.05) && p.slope < 0.5;
}
