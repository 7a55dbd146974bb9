/**
 * V8 settings of the `pairwise` process itself, set before any command runs. Never imported by the
 * extension: the extension host is shared with other extensions, and V8's flags are per process.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Young-generation collections on the collecting thread alone. By default V8 splits each one
 * across its platform threads; with two worker threads already busy on two cores, those helpers
 * wait for a core while the worker waits for them: every collection of the statistics workers
 * took 2.4x as long, and dedupe, statistics and validation on two threads ran 4-8% slower (200 MB
 * benchmark files, interleaved runs). One thread is unchanged. V8 reads the flag at each
 * collection (ScavengerCollector::NumberOfScavengeTasks), so setting it at run time is safe, unlike
 * the concurrent-marking flags of --single-threaded-gc, which abort the process once V8 started.
 */
export function collectYoungGenerationOnOwnThread(): void {
  setFlagsFromString('--no-parallel-scavenge');
}
