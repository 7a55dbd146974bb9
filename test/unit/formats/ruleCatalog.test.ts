/**
 * Every rule id that can be emitted is documented: ids found in the sources (including the
 * per-dialect templates) and ids actually emitted by the invalid-record cases.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRecord } from '../../../src/core/formats/registry';
import { RULE_CATALOG, ruleInfo } from '../../../src/core/formats/ruleCatalog';
import { INVALID } from './ruleCases';

const coreDir = path.resolve(__dirname, '..', '..', '..', '..', 'src', 'core');
const srcDir = path.join(coreDir, 'formats');
const NAMESPACES = 'common|llamafactory|sharegpt|openai|trl|torchtune|axolotl|distilabel|ranked|candidates|pairwise|schema|jsonl|json|format';
/** The reader and the pipeline emit rules too (syntax, file-level): the editor links every one to the catalog. */
const readSources = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

describe('rule catalog', () => {
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts') && f !== 'ruleCatalog.ts').map((f) => fs.readFileSync(path.join(srcDir, f), 'utf8'));

  it('documents every literal rule id in the sources', () => {
    const re = new RegExp(`'((?:${NAMESPACES})/[a-zA-Z-]+)'`, 'g');
    const ids = new Set<string>();
    for (const s of [...sources, ...readSources(path.join(coreDir, 'jsonl')), ...readSources(path.join(coreDir, 'validate')), ...readSources(path.join(coreDir, 'validate', 'fileLevelRules'))]) for (const m of s.matchAll(re)) ids.add(m[1]);
    assert.ok(ids.size > 30);
    assert.ok(ids.has('jsonl/invalid-json') && ids.has('common/duplicate-record'), 'reader and pipeline ids are scanned');
    assert.deepEqual([...ids].filter((id) => !ruleInfo(id)), []);
  });

  it('documents every dialect rule for every dialect namespace in use', () => {
    const nsRe = /ns: '([a-z]+)'/g;
    const templRe = /`\$\{d\.ns\}\/([a-z-]+)`/g;
    const namespaces = new Set<string>();
    const templates = new Set<string>();
    for (const s of sources) {
      for (const m of s.matchAll(nsRe)) namespaces.add(m[1]);
      for (const m of s.matchAll(templRe)) templates.add(m[1]);
    }
    assert.deepEqual([...namespaces].sort(), ['llamafactory', 'openai', 'pairwise', 'torchtune', 'trl']);
    const missing: string[] = [];
    for (const ns of namespaces) for (const t of templates) {
      if (t === 'unknown-message-key' && ns !== 'openai') continue; // only strict dialects report unknown keys
      if (!ruleInfo(`${ns}/${t}`)) missing.push(`${ns}/${t}`);
    }
    assert.deepEqual(missing, []);
  });

  it('documents every id emitted by the invalid-record cases, and they cover most of the catalog', () => {
    const emitted = new Set<string>();
    for (const c of INVALID) for (const r of checkRecord(c.format, c.record, c.options)) emitted.add(r.rule);
    assert.deepEqual([...emitted].filter((id) => !ruleInfo(id)), []);
    assert.ok(emitted.size >= 60, `only ${emitted.size} rules exercised`);
  });

  it('every entry has a title, an explanation and trainers', () => {
    for (const [id, info] of Object.entries(RULE_CATALOG)) {
      assert.ok(info.title.length > 3 && info.explanation.length > 20 && info.trainers.length > 0, id);
    }
    assert.equal(ruleInfo('toString'), undefined);
  });
});
