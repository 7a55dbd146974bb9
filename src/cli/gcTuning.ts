/**
 * V8 settings of the `pairwise` process itself: one set before any command runs, one before each
 * file `pairwise validate` reads. Never imported by the extension: the extension host is shared
 * with other extensions, and V8's flags are per process.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Young-generation collections on the collecting thread alone. By default V8 splits each one
 * across its platform threads; with two worker threads already busy on two cores, those helpers
 * take a core from the other worker while this one waits for them: a statistics worker's
 * collections took 45-76 ms in all against 39-50 ms, and dedupe, statistics and validation on two
 * threads ran 2-8% slower (200 MB benchmark files, interleaved runs). One thread is unchanged. V8
 * reads the flag at each collection (ScavengerCollector::NumberOfScavengeTasks), so setting it at
 * run time is safe, unlike the concurrent-marking flags of --single-threaded-gc, which abort the
 * process once V8 has started.
 */
export function collectYoungGenerationOnOwnThread(): void {
  setFlagsFromString('--no-parallel-scavenge');
}

/** Inputs from this size on are validated with V8 favouring memory over speed (favourMemoryFor). */
export const LARGE_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * From LARGE_INPUT_BYTES of input on, V8 favours memory over speed for the rest of the process
 * (--optimize-for-size): its young generation stays a few MB instead of growing to 16 MB a space,
 * and it compacts more often. Two threads validating a 1.5 GB file peaked at 181-224 MB without it
 * and 137-143 MB with it, in 8-10% more time; on 200 MB files it saved 15 MB for 0-7% more time,
 * which is why smaller inputs go without. Those figures were measured with the flag set at run time,
 * as here, before the file is read; it is never unset. Returns whether the process now favours memory.
 */
export function favourMemoryFor(inputBytes: number, threshold = LARGE_INPUT_BYTES): boolean {
  if (inputBytes < threshold) return favouringMemory;
  if (!favouringMemory) setFlagsFromString('--optimize-for-size');
  favouringMemory = true;
  return true;
}

let favouringMemory = false;
