/** Entry of the `pairwise` command (bundled to dist/cli.js). */
import './cliL10nSetup';
import { version } from '../../package.json';
import { runCli } from './run';

function write(stream: NodeJS.WriteStream): (s: string) => void {
  return (s) => void stream.write(s);
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
