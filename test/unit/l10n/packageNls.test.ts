import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { placeholders } from './l10nCalls';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const readJson = (rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;

interface Localizable {
  key: string;
  value: string;
}
type PathsModule = { localizableStrings(pkg: unknown): Localizable[] };

describe('package.json localization', () => {
  let strings: Localizable[] = [];
  let nls: Record<string, unknown> = {};
  let zh: Record<string, unknown> = {};
  before(async () => {
    // The same list of user-visible fields the converter (scripts/l10n-nls.mjs) uses; an ES module, so imported.
    const mod = (await import(pathToFileURL(path.join(root, 'scripts', 'l10n-paths.mjs')).href)) as PathsModule;
    strings = mod.localizableStrings(readJson('package.json'));
    nls = readJson('package.nls.json');
    zh = readJson('package.nls.zh-cn.json');
  });

  it('every user-visible contribution string is a %key% (run `node scripts/l10n-nls.mjs` when this fails)', () => {
    assert.ok(strings.length > 50, `only ${strings.length} localizable strings found`);
    const plain = strings.filter((s) => !/^%[^%]+%$/.test(s.value)).map((s) => `${s.key}: ${JSON.stringify(s.value)}`);
    assert.deepEqual(plain, []);
  });

  it('every %key% has English in package.nls.json and Chinese in package.nls.zh-cn.json, placeholders kept', () => {
    const keys = strings.map((s) => s.value.slice(1, -1));
    const noEnglish = keys.filter((k) => typeof nls[k] !== 'string');
    const noChinese = keys.filter((k) => typeof zh[k] !== 'string' || (zh[k] as string).trim() === '');
    const badPlaceholders = keys.filter((k) => typeof nls[k] === 'string' && typeof zh[k] === 'string' && placeholders(nls[k] as string) !== placeholders(zh[k] as string));
    assert.deepEqual({ noEnglish, noChinese, badPlaceholders }, { noEnglish: [], noChinese: [], badPlaceholders: [] });
  });

  it('package.nls.json and package.nls.zh-cn.json have no stale keys', () => {
    const used = new Set(strings.map((s) => s.value.slice(1, -1)));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'stale keys in package.nls.json');
    assert.deepEqual(Object.keys(zh).filter((k) => !used.has(k)), [], 'stale keys in package.nls.zh-cn.json');
  });

  it('the zh-cn texts are Chinese where the English has words', () => {
    const notChinese = Object.entries(zh).filter(([k, v]) => typeof v === 'string' && /[a-z]{3,}/i.test(String(nls[k]).replace(/Pairwise|`[^`]*`/g, '')) && !/\p{Script=Han}/u.test(v));
    assert.deepEqual(notChinese.map(([k]) => k), []);
  });
});
