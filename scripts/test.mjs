#!/usr/bin/env node
// `npm test`: builds, then runs every layer of tests and prints one closing line with the totals.
//   node scripts/test.mjs [static|unit|integration|e2e ...]
// Integration and end-to-end layers need a real VS Code: code-server and Debian's Chromium are
// installed into .vscode-test/ on first use (see test/support/codeServer.ts).
// One line says whether ../shared/corpus (real datasets, absent from a clone elsewhere) was found:
// the tests that read it are skipped without it (test/support/corpus.ts).
// PAIRWISE_TEST_CPU_HOGS=N runs N busy-looping processes beside the e2e layer, as a busy machine would.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATS = '##pairwise-stats ';
const all = ['static', 'unit', 'integration', 'e2e'];
const layers = process.argv.slice(2).filter((a) => all.includes(a));
const selected = layers.length ? layers : all;

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const stats = [];
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const at = line.indexOf(STATS);
        if (at >= 0) stats.push(JSON.parse(line.slice(at + STATS.length)));
        else process.stdout.write(line + '\n');
      }
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stats }));
  });
}

const mochaBin = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const reporter = path.join(root, 'out', 'test', 'support', 'statsReporter.js');

const npx = (bin) => path.join(root, 'node_modules', '.bin', bin);
// Type-check and lint are part of the test: a red lint is a red build.
async function staticChecks() {
  const tsc = await run(npx('tsc'), ['--noEmit', '-p', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  console.log(`tsc --noEmit: ${tsc.code === 0 ? 'clean' : 'errors'}`);
  const eslint = await run(npx('eslint'), ['.', '--max-warnings', '0']);
  console.log(`eslint: ${eslint.code === 0 ? 'clean' : 'problems'}`);
  const passes = (tsc.code === 0 ? 1 : 0) + (eslint.code === 0 ? 1 : 0);
  return { code: passes === 2 ? 0 : 1, stats: [{ passes, failures: 2 - passes, pending: 0 }] };
}

const commands = {
  static: staticChecks,
  // The CLI speaks the locale's language; the tests that spawn it expect English unless they set a locale themselves.
  unit: () => run(process.execPath, [mochaBin, '--reporter', reporter, '--recursive', '--timeout', '20000', 'out/test/unit'], { env: { ...process.env, PAIRWISE_LANG: 'en' } }),
  // The suites in a trusted workspace, then the hostile workspace suite in Restricted Mode.
  integration: async () => {
    const trusted = await run(process.execPath, [path.join(root, 'scripts', 'runIntegration.mjs')]);
    const restricted = await run(process.execPath, [path.join(root, 'scripts', 'runIntegration.mjs'), '--restricted']);
    return { code: trusted.code || restricted.code, stats: [...trusted.stats, ...restricted.stats] };
  },
  e2e: () => run(process.execPath, [mochaBin, '--reporter', reporter, '--recursive', '--timeout', '120000', 'out/test/e2e']),
};

// The same place test/support/corpus.ts looks.
const corpusRoot = process.env.PAIRWISE_CORPUS ? path.resolve(process.env.PAIRWISE_CORPUS) : path.resolve(root, '..', 'shared', 'corpus');
const hasCorpus = fs.existsSync(corpusRoot) && fs.statSync(corpusRoot).isDirectory();

/** N child processes spinning on a core each until they are killed. */
function startCpuHogs(n) {
  const hogs = [];
  for (let i = 0; i < n; i++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return hogs;
}
const hogCount = Number(process.env.PAIRWISE_TEST_CPU_HOGS ?? 0);
let hogs = [];
const stopHogs = () => {
  for (const h of hogs) h.kill('SIGKILL');
  hogs = [];
};
process.on('exit', stopHogs);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopHogs();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

const build = await run(process.execPath, [path.join(root, 'esbuild.js')]);
if (build.code !== 0) {
  console.error('build failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let corpusRead = 0;
let corpusSkipped = 0;
let bad = false;
for (const layer of selected) {
  console.log(`\n=== ${layer} tests ===`);
  if (layer === 'e2e' && hogCount > 0) {
    hogs = startCpuHogs(hogCount);
    console.log(`${hogCount} CPU hogs running beside the e2e tests (PAIRWISE_TEST_CPU_HOGS)`);
  }
  const r = await commands[layer]();
  stopHogs();
  const s = r.stats.reduce(
    (a, b) => ({ passes: a.passes + b.passes, failures: a.failures + b.failures, pending: a.pending + b.pending, corpusRead: a.corpusRead + (b.corpusRead ?? 0), corpusSkipped: a.corpusSkipped + (b.corpusSkipped ?? 0) }),
    { passes: 0, failures: 0, pending: 0, corpusRead: 0, corpusSkipped: 0 },
  );
  console.log(`${layer}: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped (exit ${r.code})`);
  passed += s.passes;
  failed += s.failures;
  skipped += s.pending;
  corpusRead += s.corpusRead;
  corpusSkipped += s.corpusSkipped;
  // A layer that exits non-zero, or reports nothing, failed: a harness that ran no test proves nothing.
  if (r.code !== 0 || r.stats.length === 0 || s.passes === 0) bad = true;
}
const corpusName = path.relative(root, corpusRoot) || corpusRoot;
console.log(
  hasCorpus
    ? `\ncorpus: found at ${corpusRoot}, read by ${corpusRead} tests`
    : `\ncorpus: skipped, ${corpusName} not found (${corpusSkipped} tests)`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad || failed > 0 ? 1 : 0);
