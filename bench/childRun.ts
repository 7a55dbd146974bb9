/**
 * Each benchmark measures in child processes of its own script, so that a figure's peak memory is
 * that child's alone and one measurement's garbage never slows the next.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';

/**
 * Runs `script mode file` `repeat` times; the child prints its result as the last line of stdout.
 * Keeps the best time and the worst peak memory seen.
 */
export function bestOfChildRuns<R extends { ms: number; maxRssMB: number }>(script: string, mode: string, file: string, repeat: number): R {
  return bestOfInterleavedRuns<R>(script, [mode], file, repeat).get(mode) as R;
}

/**
 * Runs each of `modes` once per round, `repeat` rounds, and keeps per mode the best time and the
 * worst peak memory. Interleaved so that a slow spell of a shared machine hits the floor and the
 * command it is compared with alike (one floor run measured 236 MB/s, the next 368 MB/s).
 */
export function bestOfInterleavedRuns<R extends { ms: number; maxRssMB: number }>(script: string, modes: readonly string[], file: string, repeat: number): Map<string, R> {
  const best = new Map<string, R>();
  for (let i = 0; i < Math.max(1, repeat); i++) runRound(script, modes, file, best);
  return best;
}

/** Each of `modes` once, in turn, into `best` (best time, worst peak memory). */
function runRound<R extends { ms: number; maxRssMB: number }>(script: string, modes: readonly string[], file: string, best: Map<string, R>): void {
  for (const mode of modes) {
    const r = spawnSync(process.execPath, [script, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${mode} child failed: ${r.stderr}`);
    keepBest(best, mode, JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as R);
  }
}

function keepBest<R extends { ms: number; maxRssMB: number }>(best: Map<string, R>, key: string, res: R): void {
  const b = best.get(key);
  best.set(key, b ? { ...(res.ms < b.ms ? res : b), maxRssMB: Math.max(b.maxRssMB, res.maxRssMB) } : res);
}

/**
 * A measurement of processes started at once, one per file (the halves of a file, fileHalves.ts):
 * its time is the slowest child's. What the machine gives independent processes sharing its cores,
 * beside what one process's threads get.
 */
export interface ConcurrentRun {
  name: string;
  mode: string;
  files: readonly string[];
  /** Added to this process's environment in each child. */
  env?: Record<string, string>;
  /** Each child pinned to this CPU (`taskset`, Linux; machineCores.ts checks that it can pin). */
  cpu?: number;
}

/**
 * bestOfInterleavedRuns, with the `concurrent` measurements in every round too (after the modes), so
 * that a slow spell of the machine hits them and the floor alike.
 */
export async function bestOfRounds<R extends { ms: number; maxRssMB: number }>(
  script: string,
  modes: readonly string[],
  file: string,
  repeat: number,
  concurrent: readonly ConcurrentRun[],
): Promise<{ runs: Map<string, R>; concurrent: Map<string, { ms: number; maxRssMB: number }> }> {
  const runs = new Map<string, R>();
  const together = new Map<string, { ms: number; maxRssMB: number }>();
  for (let i = 0; i < Math.max(1, repeat); i++) {
    runRound(script, modes, file, runs);
    for (const c of concurrent) {
      const children = c.files.map((f) => childResult<R>(script, c.mode, f, c.env, c.cpu));
      // A failure stops the others: none goes on loading the machine under the next measurement.
      const results = await Promise.all(children.map((ch) => ch.result)).catch((e: unknown) => {
        for (const ch of children) ch.child.kill();
        throw e;
      });
      keepBest(together, c.name, { ms: Math.max(...results.map((r) => r.ms)), maxRssMB: Math.max(...results.map((r) => r.maxRssMB)) });
    }
  }
  return { runs, concurrent: together };
}

/**
 * A child started now, and its result (the last line of its stdout); `env` is added to this
 * process's environment; `cpu`: pinned to that CPU.
 */
function childResult<R>(script: string, mode: string, file: string, env?: Record<string, string>, cpu?: number): { child: ChildProcess; result: Promise<R> } {
  const args = [script, mode, file];
  const options = { stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], env: { ...process.env, ...env } };
  const child = cpu === undefined ? spawn(process.execPath, args, options) : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], options);
  const result = new Promise<R>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`${mode} child failed (${signal ?? `exit code ${code}`}): ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as R);
      } catch {
        reject(new Error(`${mode} child printed no result: ${out.slice(-500)}`));
      }
    });
  });
  return { child, result };
}

/** Forks `script` with `env` set and resolves with the one message the child sends (process.send). */
export function forkChild<R>(script: string, env: Record<string, string>): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: R | undefined;
    child.on('message', (m) => (result = m as R));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`bench child exited with ${code}`))));
  });
}

/** `n` rounded to `digits` decimals. */
export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * The child side: when `mod` is the main module and has a mode and a file as arguments, runs
 * `measure` and prints its result as the one JSON line bestOfChildRuns reads (a failure: the stack
 * on stderr, exit code 1).
 */
export function serveChildMeasurement(mod: NodeModule, measure: (mode: string, file: string) => Promise<object>): void {
  if (require.main !== mod || process.argv.length < 4) return;
  measure(process.argv[2], process.argv[3]).then(
    (result) => process.stdout.write(JSON.stringify(result) + '\n'),
    (e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    },
  );
}
