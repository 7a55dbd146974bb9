/**
 * V8 settings of the `pairwise` process itself: one set before any command runs, one before each
 * file `pairwise validate` reads. Never imported by the extension: the extension host is shared
 * with other extensions, and V8's flags are per process.
 */
import { setFlagsFromString } from 'node:v8';
import { onWorkerHeapSetUp } from '../core/curate';

/**
 * The V8 settings of the `pairwise` process, set before any command runs.
 *
 * The young generation:
 * - Collected on the collecting thread alone. By default V8 splits each young-generation
 *   collection across its platform threads; with two worker threads already busy on two cores,
 *   those helpers take a core from the other worker while this one waits for them: a statistics
 *   worker's collections took 45-76 ms in all against 39-50 ms, and dedupe, statistics and
 *   validation on two threads ran 2-8% slower (200 MB benchmark files, interleaved runs). One
 *   thread is unchanged. V8 reads the flag at each collection
 *   (ScavengerCollector::NumberOfScavengeTasks), so setting it at run time is safe, unlike the
 *   concurrent-marking flags of --single-threaded-gc, which abort the process once V8 has started.
 * - Kept from growing: at the 4 MB it has once the bundle has loaded (two semi-spaces of 2 MB), as
 *   small as the workers' (WORKER_YOUNG_GENERATION_MB). What a record allocates is dead by the next
 *   one, so growing buys nothing, and on the virtual machines these benchmarks run on each 4 KB of
 *   memory the process touches for the first time costs a page fault of some 11 µs. V8 grew this
 *   thread's to 16 MB: validating 200 MB of ShareGPT or OpenAI chat on one thread took 18,500-24,000
 *   page faults and 88-91 MB, against 9,000-9,300 and 72 MB without growing (the floor takes 6,000),
 *   in 3-6% less time. V8 reads --semi-space-growth-factor each time it would grow
 *   (NewSpace::Grow), so it too is safe to set at run time; --max-semi-space-size is not (it is
 *   read once, when the heap is set up). The flag is the process's, and V8 raises it back to 2
 *   each time it sets up an isolate's heap (Heap::ConfigureHeap), so it is set again as each
 *   worker thread comes up (workerPool.ts, onWorkerHeapSetUp).
 *
 * Optimizing compiles, in the worker threads started after this: on the thread that asks for them
 * (--no-concurrent-recompilation). By default V8 hands them to a helper thread, which gets no core
 * while this thread and a worker keep both busy, so the worker runs its hot functions unoptimized
 * meanwhile. A validating thread beside a sibling thread that only spins took 467-754 ms on a 100
 * MB half (most runs over 600) against 399-469 alone, and 480-496 with V8's helper threads off
 * (--single-threaded). Two threads: validation 794 against 815 ms (ShareGPT) and 818 against 853
 * (Alpaca), statistics 1,858 against 1,909, exact dedupe 1,289 against 1,338 (200 MB, medians of
 * 6-8, interleaved). V8 reads
 * the flag when it sets up an isolate (Isolate::Init makes the helper's queue only with it), so it
 * holds for every worker started later and leaves this thread's own isolate as it was: set on the
 * command line, for this thread too, it gave 5-8% instead of 3-4%, which `pairwise` cannot ask of
 * how its users start it.
 */
export function tuneV8(): void {
  setFlagsFromString('--no-parallel-scavenge');
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-concurrent-recompilation');
  // V8 raises the growth factor to 2 whenever it sets up an isolate's heap, a worker's too; set it
  // again as each worker comes up. Without this, this thread's young generation grew from 4 to 32
  // MB while two threads validated 200 MB: 3-8% more time (2.8% on long OpenAI chats), and on
  // 600-byte records 177 against 158 MB at the peak. It may still double once, in the moments
  // before this thread hears that the worker is up.
  onWorkerHeapSetUp(() => setFlagsFromString('--semi-space-growth-factor=1'));
}

/** Inputs from this size on are validated with V8 favouring memory over speed (favourMemoryFor). */
export const LARGE_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * From LARGE_INPUT_BYTES of input on, V8 favours memory over speed for the rest of the process
 * (--optimize-for-size): it compacts more often. Two threads validating a 1.5 GB file peaked at
 * 181-224 MB without it and 137-143 MB with it, in 8-10% more time; on 200 MB files it saved 15 MB
 * for 0-7% more time, which is why smaller inputs go without. Those figures were measured with the
 * flag set at run time, as here, before the file is read; it is never unset. With the young
 * generation kept small (tuneV8) two threads on the 1.6 GB benchmark file still peak at
 * 189 MB without it against 138 MB with it, though in 4.8 s against 5.2-6.3 s on the second
 * machine; the bound kept it. Returns whether the process now favours memory.
 */
export function favourMemoryFor(inputBytes: number, threshold = LARGE_INPUT_BYTES): boolean {
  if (inputBytes < threshold) return favouringMemory;
  if (!favouringMemory) setFlagsFromString('--optimize-for-size');
  favouringMemory = true;
  return true;
}

let favouringMemory = false;
