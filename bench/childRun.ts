/**
 * Each benchmark measures in child processes of its own script, so that a figure's peak memory is
 * that child's alone and one measurement's garbage never slows the next.
 */
import { fork, spawn, spawnSync } from 'node:child_process';

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
  for (let i = 0; i < Math.max(1, repeat); i++) {
    for (const mode of modes) {
      const r = spawnSync(process.execPath, [script, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`${mode} child failed: ${r.stderr}`);
      const res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as R;
      const b = best.get(mode);
      best.set(mode, b ? { ...(res.ms < b.ms ? res : b), maxRssMB: Math.max(b.maxRssMB, res.maxRssMB) } : res);
    }
  }
  return best;
}

/**
 * Runs `script mode file` for each of `files`, all at once, `repeat` rounds; per round the time is
 * the slowest child's, and the best round is kept (with the worst peak memory seen). What the
 * machine gives independent processes sharing its cores, beside what one process's threads get.
 */
export async function bestOfConcurrentRuns<R extends { ms: number; maxRssMB: number }>(script: string, mode: string, files: readonly string[], repeat: number, env?: Record<string, string>): Promise<{ ms: number; maxRssMB: number; results: R[] }> {
  let best: { ms: number; maxRssMB: number; results: R[] } | undefined;
  let maxRssMB = 0;
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const results = await Promise.all(files.map((file) => childResult<R>(script, mode, file, env)));
    const ms = Math.max(...results.map((r) => r.ms));
    maxRssMB = Math.max(maxRssMB, ...results.map((r) => r.maxRssMB));
    if (!best || ms < best.ms) best = { ms, maxRssMB, results };
  }
  return { ...(best as { ms: number; results: R[] }), maxRssMB };
}

/** One child's result (the last line of its stdout); `env` is added to this process's environment. */
function childResult<R>(script: string, mode: string, file: string, env?: Record<string, string>): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, mode, file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as R) : reject(new Error(`${mode} child failed: ${err}`))));
  });
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
