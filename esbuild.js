// Builds every bundle of Pairwise:
//   dist/extension.js  the extension host bundle (node, cjs, `vscode` external)
//   dist/cli.js        the `pairwise` command (node)
//   dist/curateWorker.js  worker threads of parallel curation (loaded from beside the two bundles above)
//   dist/validateWorker.js  worker threads of parallel validation (the pipeline only: quick to start)
//   dist/searchWorker.js  the Dataset View's regular-expression search thread (a small bundle, quick to start)
//   dist/tokenizer-*.bin  gpt-tokenizer's BPE ranks packed for src/core/tokens/bpeTable.ts (scripts/bpe-tables.js);
//                         also beside out/bench-bundles/ and out/src/core/tokens/, where those read them
//   dist/webview/*.js  one browser bundle per webview under webview-ui/<name>/main.ts
//   out/**             src, webview-ui, test and bench transpiled file by file, for the test runners and benchmarks
//   out/bench-bundles/*.js  the benchmarks' children (validation, curation), bundled like dist/cli.js
// Flags: --production (minified, no source maps), --watch.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { writeBpeTables } = require('./scripts/bpe-tables');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

function walk(dir, pred, acc = []) {
  if (!fs.existsSync(dir)) return acc;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, pred, acc);
    else if (pred(p)) acc.push(p);
  }
  return acc;
}

const webviewEntries = fs.existsSync('webview-ui')
  ? fs
      .readdirSync('webview-ui', { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join('webview-ui', d.name, 'main.ts')))
      .map((d) => ({ in: path.join('webview-ui', d.name, 'main.ts'), out: d.name }))
  : [];

const problemMatcher = {
  name: 'report-errors',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const configs = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // jsonc-parser's `main` is a UMD build with dynamic requires that cannot be bundled; its ESM build can.
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    mainFields: ['module', 'main'],
  },
  {
    // The curation worker threads (src/core/curate/workerPool.ts loads it from beside the bundles).
    ...common,
    entryPoints: ['src/core/curate/curateWorker.ts'],
    outfile: 'dist/curateWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
  {
    // The validation worker threads: the validation pipeline only, so they start quickly.
    ...common,
    entryPoints: ['src/core/curate/validateWorker.ts'],
    outfile: 'dist/validateWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
  {
    // The regex search thread of the Dataset View (regexSearch.ts), loaded from beside the bundles too.
    ...common,
    entryPoints: ['src/core/datasetIndex/searchWorker.ts'],
    outfile: 'dist/searchWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// The benchmarks' children, bundled as dist/cli.js is (bench/validateChild.ts says why).
if (!production) {
  configs.push({
    ...common,
    entryPoints: ['bench/validateChild.ts', 'bench/curateChild.ts'],
    outdir: 'out/bench-bundles',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  });
}

// Tests and benchmarks are transpiled file by file (no bundling) so that mocha can load each test
// file and the integration suites can `require('vscode')` inside the extension host.
if (!production) {
  configs.push({
    // webview-ui too: its pure modules (logic/) are unit-tested in plain Node.
    entryPoints: [...walk('src', (p) => p.endsWith('.ts')), ...walk('webview-ui', (p) => p.endsWith('.ts')), ...walk('test', (p) => p.endsWith('.ts')), ...walk('bench', (p) => p.endsWith('.ts'))],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [problemMatcher],
  });
}

async function main() {
  writeBpeTables(production ? ['dist'] : ['dist', 'out/bench-bundles', 'out/src/core/tokens']);
  const contexts = await Promise.all(configs.filter((c) => (c.entryPoints || []).length > 0).map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] build started');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
