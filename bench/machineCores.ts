/**
 * What this machine's cores give the floor itself, beside the figures that use two threads: the
 * floor pinned to each CPU in turn (`taskset`, Linux), and the floor of each half of the file in
 * two processes at once. A two-thread target such as 0.7x the one-thread floor assumes two equal
 * cores that run side by side at full speed; these rows say how far the machine the figures come
 * from is from that. On the 2-vCPU machine of 2026-12-07 one vCPU parsed 40-45% slower than the
 * other, and the two halves at once took 0.75-0.78x the floor with nothing but JSON.parse to do.
 */
import * as os from 'node:os';
import { spawnSync } from 'node:child_process';
import type { BenchRow } from './benchRow';
import { round, type ConcurrentRun } from './childRun';
import { halvesOf } from './fileHalves';

interface Timed {
  ms: number;
  bytes: number;
}

/** The concurrent run that gives the floor on halves (add it to bestOfRounds' list). */
export function floorOnHalves(file: string): ConcurrentRun {
  return { name: 'floor on halves', mode: 'floor', files: halvesOf(file) };
}

/**
 * The floor of `file` pinned to each CPU, best of `repeat` rounds (CPUs in turn within a round);
 * undefined where `taskset` cannot pin (not Linux, not installed, a single CPU).
 */
export function pinnedFloors(script: string, file: string, repeat: number): number[] | undefined {
  const cpus = os.availableParallelism();
  if (process.platform !== 'linux' || cpus < 2) return undefined;
  const best: number[] = new Array<number>(cpus).fill(Infinity);
  for (let i = 0; i < Math.max(1, repeat); i++) {
    for (let cpu = 0; cpu < cpus; cpu++) {
      const r = spawnSync('taskset', ['-c', String(cpu), process.execPath, script, 'floor', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      // No taskset, or a CPU this process may not use (a container's cpuset): no rows, not a failure.
      if (r.error || r.status !== 0) return undefined;
      const { ms } = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Timed;
      best[cpu] = Math.min(best[cpu], ms);
    }
  }
  return best;
}

/** The rows of both measurements, against the floor `fl` of the same run. */
export function coreRows(label: string, fl: Timed, onHalves: { ms: number } | undefined, pinned: number[] | undefined): BenchRow[] {
  const mbps = (ms: number) => round(fl.bytes / 1048576 / (ms / 1000));
  const rows: BenchRow[] = [];
  if (pinned) {
    for (const [cpu, ms] of pinned.entries()) {
      rows.push({ benchmark: label, metric: `informational: the floor pinned to CPU ${cpu} (taskset)`, value: mbps(ms), unit: 'MB/s', baseline: mbps(fl.ms), baselineName: 'floor', ratio: round(ms / fl.ms, 2) });
    }
  }
  if (onHalves) {
    rows.push({
      benchmark: label,
      metric: "informational: the floor on the file's two halves, two processes at once (what the cores give plain parsing side by side)",
      value: mbps(onHalves.ms),
      unit: 'MB/s',
      baseline: mbps(fl.ms),
      baselineName: 'floor (one thread)',
      ratio: round(onHalves.ms / fl.ms, 2),
    });
  }
  return rows;
}
