// Loads exports of the TypeScript source into a build script: `entry` (TypeScript re-exports,
// resolved from src/<folder>) bundled in memory by esbuild and compiled as a module, so that what
// the build writes ahead of time comes from the same code the product runs.
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');

function loadSourceModule(folder, entry) {
  const resolveDir = path.join(ROOT, 'src', folder);
  const built = esbuild.buildSync({
    stdin: { contents: entry, resolveDir, sourcefile: 'buildEntry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(resolveDir, 'buildEntry.js');
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(resolveDir);
  m._compile(built.outputFiles[0].text, file);
  return m.exports;
}

module.exports = { loadSourceModule };
