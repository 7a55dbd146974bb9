/**
 * V8 settings of the `pairwise` process itself, set before any command runs. Never imported by the
 * extension: the extension host is shared with other extensions, and V8's flags are per process.
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
