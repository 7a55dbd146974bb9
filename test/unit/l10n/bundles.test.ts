import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { placeholders, scanL10nCalls } from './l10nCalls';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const readJson = (rel: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, string>;

describe('l10n bundles', () => {
  const scan = scanL10nCalls(root, ['src', 'webview-ui']);

  it('every l10n.t message is a literal the export can see', () => {
    assert.deepEqual(scan.dynamic, [], `l10n.t with a non-literal message (use a literal with {0} placeholders):\n${scan.dynamic.join('\n')}`);
  });

  it('l10n/bundle.l10n.json is the export of src/ and webview-ui/ (run `npm run l10n:export` when this fails)', () => {
    const bundle = readJson('l10n/bundle.l10n.json');
    const missing = [...scan.messages.keys()].filter((k) => !(k in bundle));
    const stale = Object.keys(bundle).filter((k) => !scan.messages.has(k));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
    for (const [k, v] of Object.entries(bundle)) assert.equal(v, k, `bundle value of ${JSON.stringify(k)}`);
  });

  it('l10n/bundle.l10n.zh-cn.json translates every message, keeps its placeholders and has no stale keys', () => {
    const zh = readJson('l10n/bundle.l10n.zh-cn.json');
    const untranslated = [...scan.messages.keys()].filter((k) => typeof zh[k] !== 'string' || zh[k].trim() === '');
    const stale = Object.keys(zh).filter((k) => !scan.messages.has(k));
    const badPlaceholders = Object.keys(zh).filter((k) => scan.messages.has(k) && placeholders(k) !== placeholders(zh[k]));
    assert.deepEqual(
      { untranslated: untranslated.length, stale, badPlaceholders },
      { untranslated: 0, stale: [], badPlaceholders: [] },
      `untranslated messages (first 40):\n${untranslated.slice(0, 40).map((k) => JSON.stringify(k)).join('\n')}`,
    );
  });

  it('the zh-cn bundle is Chinese: most translations differ from the English and contain Han characters', () => {
    const zh = readJson('l10n/bundle.l10n.zh-cn.json');
    const values = Object.entries(zh);
    const han = values.filter(([, v]) => /\p{Script=Han}/u.test(v)).length;
    // Placeholders-only or product-name messages ("{0}: {1}", "LoRA") stay as they are; they are few.
    assert.ok(values.length > 0 && han / values.length > 0.85, `${han} of ${values.length} translations contain Chinese`);
  });
});
