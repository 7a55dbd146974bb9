/**
 * Each benchmark measures in child processes of its own script, so that a figure's peak memory is
 * that child's alone and one measurement's garbage never slows the next.
 */
import { fork, spawnSync } from 'node:child_process';

/**
 * Runs `script mode file` `repeat` times; the child prints its result as the last line of stdout.
 * Keeps the best time and the worst peak memory seen.
 */
export function bestOfChildRuns<R extends { ms: number; maxRssMB: number }>(script: string, mode: string, file: string, repeat: number): R {
  let best: R | undefined;
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const r = spawnSync(process.execPath, [script, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${mode} child failed: ${r.stderr}`);
    const res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as R;
    if (!best) best = res;
    else best = { ...(res.ms < best.ms ? res : best), maxRssMB: Math.max(best.maxRssMB, res.maxRssMB) };
  }
  return best as R;
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
