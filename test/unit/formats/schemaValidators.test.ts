import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { allFormats, getFormat } from '../../../src/core/formats/registry';
import { compileValidator, loadPrecompiledValidator, PRECOMPILED_FOLDER, precompiledValidatorFile } from '../../../src/core/formats/schemaValidators';
import { REPO_ROOT } from '../curate/tmpDir';
import { INVALID, VALID } from './ruleCases';

/** Values of every JSON type, put in place of a value to break a record's shape. */
const REPLACEMENTS: unknown[] = [null, true, 1.5, 'x', [null], { role: 1 }];

/** The record, and the record with each value at depth ≤ 2 removed or replaced by each of REPLACEMENTS. */
function variants(record: unknown): unknown[] {
  const out: unknown[] = [record];
  const visit = (path: (string | number)[], value: unknown, depth: number) => {
    if (depth > 2 || value === null || typeof value !== 'object') return;
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (const k of keys) {
      for (const r of [undefined, ...REPLACEMENTS]) out.push(replaced(record, [...path, k], r));
      visit([...path, k], (value as Record<string | number, unknown>)[k], depth + 1);
    }
  };
  visit([], record, 0);
  return out;
}

/** A copy of `record` with the value at `at` replaced (`undefined`: removed). */
function replaced(record: unknown, at: (string | number)[], r: unknown): unknown {
  const copy = structuredClone(record) as Record<string | number, unknown>;
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (r !== undefined) o[last] = structuredClone(r);
  else if (Array.isArray(o)) o.splice(last as number, 1);
  else delete o[last];
  return copy;
}

/** The validator's answer and its errors, written out (schema parts and data included) to compare as text. */
function verdict(v: ValidateFunction, record: unknown): string {
  const valid = v(record) as boolean;
  return JSON.stringify({ valid, errors: v.errors satisfies ErrorObject[] | null | undefined });
}

describe("each format's schema validator generated at build time (schemaValidators.ts)", () => {
  // Every fourth variant (12,600 in all take 5 s): some 3,200 records, each against every format's schema.
  const records = [...allFormats().map((f) => f.example), ...VALID.map((c) => c.record), ...INVALID.map((c) => c.record)].flatMap(variants).filter((_, i) => i % 4 === 0);

  it('the build wrote one for every format, from its current schema, beside the out/ modules and the bundles', () => {
    for (const dir of [path.join(REPO_ROOT, 'out', 'src', 'core', 'formats', PRECOMPILED_FOLDER), path.join(REPO_ROOT, 'dist', PRECOMPILED_FOLDER)]) {
      assert.deepEqual(fs.readdirSync(dir).sort(), allFormats().map((f) => `${f.id}.js`).sort(), dir);
      for (const f of allFormats()) assert.equal(typeof loadPrecompiledValidator(f, dir), 'function', `${f.id} in ${dir}`);
    }
  });

  it("the worker bundles leave ajv's schema compiler out (they use these), the CLI keeps it for a build without them", () => {
    // ajv's compiler carries JSON Schema's draft-07 meta-schema, whose id survives minifying.
    const hasCompiler = (bundle: string) => fs.readFileSync(path.join(REPO_ROOT, 'dist', bundle), 'utf8').includes('json-schema.org/draft-07/schema');
    assert.equal(hasCompiler('cli.js'), true);
    assert.equal(hasCompiler('validateWorker.js'), false);
    assert.equal(hasCompiler('curateWorker.js'), false);
  });

  it('gives the verdict and the errors of the schema compiled at run time, on valid, invalid and broken records of every format', () => {
    assert.ok(records.length > 3000, `${records.length} records`);
    let invalid = 0;
    for (const f of allFormats()) {
      const built = loadPrecompiledValidator(f)!;
      const compiled = compileValidator(f);
      assert.notEqual(built, compiled);
      for (const r of records) {
        const a = verdict(built, r);
        const b = verdict(compiled, r);
        if (a !== b) assert.equal(a, b, `${f.id} on ${JSON.stringify(r)}`);
        if (!built.errors !== (a.startsWith('{"valid":true')) || !a.startsWith('{"valid":')) assert.fail(`${f.id}: ${a}`);
        if (built.errors) invalid++;
      }
    }
    // Both accept and both reject, with errors to compare.
    assert.ok(invalid > 1000 && invalid < records.length * allFormats().length, `${invalid} rejected`);
  });

  describe('is used only when it is whole and made from the schema in the source', () => {
    const f = getFormat('alpaca');
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-validators-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (text: string) => fs.writeFileSync(precompiledValidatorFile(f.id, dir), text);

    it('missing: none', () => {
      assert.equal(loadPrecompiledValidator(f, dir), undefined);
    });
    it('made from another schema (a build older than the source): none', () => {
      write(`module.exports = { schemaText: ${JSON.stringify(JSON.stringify({ ...f.schema, required: ['instruction'] }))}, validate: () => true };`);
      assert.equal(loadPrecompiledValidator(f, dir), undefined);
    });
    it('damaged: none', () => {
      write('module.exports = { schemaText: ');
      assert.equal(loadPrecompiledValidator(f, dir), undefined);
      fs.writeFileSync(precompiledValidatorFile('trl-text', dir), `module.exports = { schemaText: ${JSON.stringify(JSON.stringify(getFormat('trl-text').schema))}, validate: 'not a function' };`);
      assert.equal(loadPrecompiledValidator(getFormat('trl-text'), dir), undefined);
    });
    it('made from this schema: its function', () => {
      write(`const validate = () => 'this one'; module.exports = { schemaText: ${JSON.stringify(JSON.stringify(f.schema))}, validate };`);
      assert.equal(loadPrecompiledValidator(f, dir)!({}), 'this one');
    });
  });
});
