/**
 * What this machine's cores give the floor itself, beside the figures that use two threads: the
 * floor pinned to each CPU in turn (`taskset`, Linux), and the floor of each half of the file in
 * two processes at once. A two-thread target such as 0.7x the one-thread floor assumes two equal
 * cores that run side by side at full speed; these rows say how far the machine the figures come
 * from is from that. On the 2-vCPU machine of 2026-12-07 one vCPU parsed 1.14-1.57x slower than
 * the other in some runs (either one: a neighbour on the host), and the two halves at once took
 * 0.51-0.61x the floor, 0.68-0.77x with one vCPU slow. Both run in every round, beside the floor.
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

/**
 * The runs to add to bestOfRounds' list, so that they share each round's conditions with the floor
 * they are compared with: the floor on halves, and the floor pinned to each CPU where `taskset` can
 * pin (Linux, installed, two CPUs or more that this process may use).
 */
export function coreRuns(file: string): ConcurrentRun[] {
  const runs: ConcurrentRun[] = [{ name: ON_HALVES, mode: 'floor', files: halvesOf(file) }];
  const cpus = canPin() ? os.availableParallelism() : 0;
  for (let cpu = 0; cpu < cpus; cpu++) runs.push({ name: pinnedName(cpu), mode: 'floor', files: [file], cpu });
  return runs;
}

const ON_HALVES = 'floor on halves';

function pinnedName(cpu: number): string {
  return `floor on CPU ${cpu}`;
}

/** Whether `taskset` can pin a process to each CPU this one may use. */
function canPin(): boolean {
  const cpus = os.availableParallelism();
  if (process.platform !== 'linux' || cpus < 2) return false;
  for (let cpu = 0; cpu < cpus; cpu++) {
    // No taskset, or a CPU outside this process's set (a container's cpuset): no pinned rows.
    const r = spawnSync('taskset', ['-c', String(cpu), process.execPath, '-e', '0']);
    if (r.error || r.status !== 0) return false;
  }
  return true;
}

/** The rows of coreRuns' measurements (`concurrent`: bestOfRounds' map), against the floor `fl` of the same rounds. */
export function coreRows(label: string, fl: Timed, concurrent: ReadonlyMap<string, { ms: number }>): BenchRow[] {
  const mbps = (ms: number) => round(fl.bytes / 1048576 / (ms / 1000));
  const rows: BenchRow[] = [];
  for (let cpu = 0; concurrent.has(pinnedName(cpu)); cpu++) {
    const { ms } = concurrent.get(pinnedName(cpu)) as { ms: number };
    rows.push({ benchmark: label, metric: `informational: the floor pinned to CPU ${cpu} (taskset)`, value: mbps(ms), unit: 'MB/s', baseline: mbps(fl.ms), baselineName: 'floor', ratio: round(ms / fl.ms, 2) });
  }
  const onHalves = concurrent.get(ON_HALVES);
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
