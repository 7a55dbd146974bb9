#!/usr/bin/env node
// `npm start`: builds Pairwise and opens VS Code with it loaded on samples/.
// - With a desktop `code` command on PATH: `code --extensionDevelopmentPath=<repo> samples/`.
// - Otherwise: code-server on 127.0.0.1 with the extension installed, printing the URL to open.
//   Ctrl-C stops it and everything it started. PAIRWISE_PORT picks the port (default 8080, or a free one).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = path.join(root, 'samples');

const build = spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

function desktopCode() {
  if (process.env.PAIRWISE_USE_CODE_SERVER) return undefined;
  const r = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const bin = r.status === 0 ? r.stdout.trim() : '';
  if (!bin) return undefined;
  // code-server installs a `code` shim on some machines; only the desktop app takes --extensionDevelopmentPath.
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return v.status === 0 && !/code-server/i.test(v.stdout) ? bin : undefined;
}

const code = desktopCode();
if (code) {
  console.log(`Opening VS Code (${code}) with Pairwise on ${samples}`);
  const r = spawnSync(code, [`--extensionDevelopmentPath=${root}`, samples], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

const require = createRequire(import.meta.url);
const host = require('../out/test/support/codeServer.js');
try {
  host.ensureTestHost(undefined, false);
} catch (e) {
  console.error(String(e.message ?? e));
  process.exit(2);
}

const state = process.env.PAIRWISE_START_STATE ?? path.join(host.CACHE_DIR, 'start');
const extensionsDir = path.join(state, 'extensions');
host.linkExtension(extensionsDir);
const wanted = Number(process.env.PAIRWISE_PORT ?? 8080);
const port = await new Promise((resolve) => {
  // Use the wanted port when it is free, else any free one.
  import('node:net').then(({ createServer }) => {
    const s = createServer();
    s.once('error', () => host.freePort().then(resolve));
    s.listen(wanted, '127.0.0.1', () => s.close(() => resolve(wanted)));
  });
});

const server = await host.startCodeServer({
  folder: samples,
  port,
  userDataDir: path.join(state, 'user-data'),
  extensionsDir,
  // A user trying Pairwise sees Restricted Mode prompts only if they ask for them.
  workspaceTrust: false,
  onOutput: (l) => process.env.PAIRWISE_DEBUG && console.error(`[code-server] ${l}`),
});

console.log(`\nPairwise is running in VS Code (code-server) on the sample workspace:\n\n    ${server.url}/?folder=${encodeURIComponent(samples)}\n\nOpen that URL in a browser. Press Ctrl-C to stop.\n`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));
server.process.on('exit', (c) => {
  if (!stopping) {
    console.error(`code-server exited (${c})`);
    process.exit(1);
  }
});
