/** Entry of the `pairwise` command (bundled to dist/cli.js). */
import './cliL10nSetup';
import { version } from '../../package.json';
import { runCli } from './run';
import { tuneV8 } from './gcTuning';

tuneV8();

function write(stream: NodeJS.WriteStream): (s: string) => void {
  return (s) => void stream.write(s);
}

// `pairwise validate big.jsonl | head` closes the pipe early: stop quietly, as Unix tools do, instead
// of dying on an unhandled EPIPE with a stack trace (exit 141, 128 + SIGPIPE, as `yes | head` gives
// under pipefail). Outputs being written go through temp files and renames (cleaned up on the next
// run), so nothing is left half done by exiting here.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 141);
    throw e;
  });
}

runCli(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr), errStream: process.stderr }, version).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pairwise: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
