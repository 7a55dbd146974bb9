import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workerScript, type WorkerName } from '../../../src/core/curate/workerPool';

/** Every file the script's module graph loads, as resolved (builtins left out). */
function modulesLoadedBy(script: string): string[] {
  // The worker entries return at once outside a worker thread (no parentPort), once loaded.
  const hook = `
    const Module = require('node:module');
    const seen = new Set();
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (...args) { const f = resolve.apply(this, args); seen.add(f); return f; };
    process.on('exit', () => process.stdout.write(JSON.stringify([...seen])));
    require(${JSON.stringify(script)});`;
  const run = spawnSync(process.execPath, ['-e', hook], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as string[]).filter((f) => path.isAbsolute(f));
}

/** Whether Node loads the file as an ES module: .mjs, or .js under a package.json of "type": "module". */
function isEsModule(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
  }
  return false;
}

function esModulesOf(name: WorkerName): string[] {
  const script = workerScript(name);
  assert.ok(script, `${name} is built`);
  return modulesLoadedBy(script).filter(isEsModule);
}

describe('curate: what the worker threads load', () => {
  // Workers with resourceLimits must load no ES module: Node 20 aborted now and then while several
  // such workers loaded one at once (jobQueue.ts). The tests run the transpiled entries of out/,
  // which load packages as they are; the bundles in dist/ are CommonJS throughout.
  for (const name of ['curateWorker', 'validateWorker'] as const) {
    it(`${name}, which runs with a small young generation, loads no ES module`, () => {
      assert.deepEqual(esModulesOf(name), []);
    });
  }

  it('the filter worker loads the Parquet reader and writer, which are ES modules (the check above can fail)', () => {
    const packages = esModulesOf('filterWorker').map((f) => /node_modules\/(hyparquet[^/]*)\//.exec(f)?.[1]);
    assert.ok(packages.includes('hyparquet') && packages.includes('hyparquet-writer'), packages.join(', '));
  });
});
