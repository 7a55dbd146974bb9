import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filterFile, filterFileOffThread } from '../../../src/core/curate/filter';
import { AbortedError } from '../../../src/core/base/cancellation';
import { mergeFiles } from '../../../src/core/curate/merge';
import { validateFile } from '../../../src/core/validate/pipeline';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, ktoDataset, preferenceDataset, textDataset, toolCallDataset, writeDataset } from '../../support/ownDatasets';
import { jsonl, readLines, tempDir } from './tmpDir';

const m = (role: string, content: string) => ({ role, content });

describe('filter', () => {
  const tmp = tempDir('filter');
  after(() => tmp.cleanup());
  const lines = [
    { messages: [m('system', 'Be brief.'), m('user', 'hello world'), m('assistant', 'hi')] }, // 6 tokens, system
    { messages: [m('user', 'one two three four'), m('assistant', 'yes'), m('user', 'Write a poem'), m('assistant', 'red green blue')] }, // 11 tokens
    { messages: [m('user', 'Write code now'), m('assistant', 'no')] }, // 4 tokens
    { messages: [m('user', 'Write'), m('user', 'twice')] }, // a problem: no assistant reply / roles repeat
  ].map((r) => JSON.stringify(r));
  const input = tmp.file('chat.jsonl', lines.join('\n') + '\n');

  const run = async (criteria: Parameters<typeof filterFile>[1]['criteria'], tag: string) => {
    const r = await filterFile(input, { criteria, out: path.join(tmp.dir, `${tag}.kept.jsonl`), removedOut: path.join(tmp.dir, `${tag}.removed.jsonl`) });
    return { r, kept: readLines(r.out), removed: readLines(r.removedOut) };
  };

  it('filters by token range, writing kept and removed records as they were', async () => {
    const { r, kept, removed } = await run({ minTokens: 5, maxTokens: 10 }, 'tokens');
    assert.deepEqual(kept, [lines[0]]);
    assert.deepEqual(removed, [lines[1], lines[2], lines[3]]);
    assert.deepEqual(r.removedBy, { 'max-tokens': 1, 'min-tokens': 2 });
  });

  it('filters by role present and by regex on a field', async () => {
    assert.deepEqual((await run({ role: 'system' }, 'role')).kept, [lines[0]]);
    assert.deepEqual((await run({ regex: { field: 'prompt', pattern: /^Write/m } }, 'rp')).kept, [lines[1], lines[2], lines[3]]);
    assert.deepEqual((await run({ regex: { field: 'response', pattern: /green/ } }, 'rr')).kept, [lines[1]]);
    assert.deepEqual((await run({ regex: { field: 'system', pattern: /brief/ } }, 'rs')).kept, [lines[0]]);
    assert.deepEqual((await run({ regex: { field: 'any', pattern: /hello|code/ } }, 'ra')).kept, [lines[0], lines[2]]);
  });

  it('filters by problems', async () => {
    const none = await run({ problems: 'none' }, 'none');
    const has = await run({ problems: 'has' }, 'has');
    assert.deepEqual(none.kept, [lines[0], lines[1], lines[2]]);
    assert.deepEqual(has.kept, [lines[3]]);
  });

  it('counts the file-level rules as problems: duplicates and contradicting preferences, as validation reports them', async () => {
    const pref = (prompt: string, chosen: string, rejected: string) => JSON.stringify({ prompt, chosen, rejected });
    const recs = [
      pref('Capital of France?', 'Paris', 'Lyon'),
      pref('2+2?', '4', '5'),
      pref('Capital of France?', 'Paris', 'Lyon'), // exact duplicate of line 1
      pref('Capital of France?', 'Lyon', 'Paris'), // contradicts line 1
      '  ' + pref('2+2?', '4', '5') + ' ', // a duplicate with whitespace around it
      pref('Largest planet?', 'Jupiter', 'Mars'),
      '{"prompt": "cut off',
    ];
    const file = tmp.file('prefs.jsonl', recs.join('\n') + '\n');
    const v = await validateFile(file, { maxProblems: 1000 });
    assert.ok(v.problemCounts['common/duplicate-record'] === 2 && v.problemCounts['common/contradicting-preference'] === 1, JSON.stringify(v.problemCounts));
    const withProblems = new Set(v.problems.map((p) => p.record));
    const out = (tag: string) => ({ out: path.join(tmp.dir, `${tag}.kept.jsonl`), removedOut: path.join(tmp.dir, `${tag}.removed.jsonl`) });
    const has = await filterFile(file, { criteria: { problems: 'has' }, ...out('prefs-has') });
    const none = await filterFile(file, { criteria: { problems: 'none' }, ...out('prefs-none') });
    // Records are written as their text without the whitespace around it.
    assert.deepEqual(readLines(has.out), recs.filter((_, i) => withProblems.has(i)).map((l) => l.trim()));
    assert.deepEqual(readLines(none.out), [recs[0], recs[1], recs[5]]);
    assert.deepEqual(readLines(has.out), [recs[2], recs[3], recs[4].trim(), recs[6]]);
  });

  it('runs a regular-expression filter in a worker with the same outputs, and a cancellation leaves no file behind', async () => {
    const inThread = await run({ regex: { field: 'prompt', pattern: /^write/im } }, 'rx-thread');
    const off = await filterFileOffThread(input, { criteria: { regex: { field: 'prompt', pattern: /^write/im } }, out: path.join(tmp.dir, 'rx-off.kept.jsonl'), removedOut: path.join(tmp.dir, 'rx-off.removed.jsonl') });
    assert.deepEqual({ ...off, out: '', removedOut: '' }, { ...inThread.r, out: '', removedOut: '' });
    assert.deepEqual(readLines(off.out), inThread.kept);
    assert.deepEqual(readLines(off.removedOut), inThread.removed);

    // A backtracking pattern on a long prompt: the host thread keeps running and Cancel stops the worker.
    const sub = path.join(tmp.dir, 'hostile');
    fs.mkdirSync(sub);
    const hostile = path.join(sub, 'hostile.jsonl');
    fs.writeFileSync(hostile, jsonl([...Array.from({ length: 2000 }, (_, i) => ({ instruction: `fine ${i}`, input: '', output: 'ok' })), { instruction: 'a'.repeat(60) + '!', input: '', output: 'x' }]));
    const ctl = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    setTimeout(() => ctl.abort(), 400);
    try {
      await assert.rejects(filterFileOffThread(hostile, { criteria: { regex: { field: 'prompt', pattern: /(\w+\s?)+$/ } }, signal: ctl.signal }), AbortedError);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 20, `the host thread ran ${ticks} timer ticks in 400 ms`);
    assert.deepEqual(fs.readdirSync(sub), ['hostile.jsonl'], 'no output and no temporary file');
  });

  /** `--has-problems` keeps exactly the records validation flags; returns how many that was. */
  async function assertAgreesWithValidation(file: string): Promise<number> {
    const name = path.basename(file);
    const v = await validateFile(file, { maxProblems: 100000 });
    const flagged = new Set(v.problems.map((p) => p.record)).size;
    const ext = path.extname(name);
    const r = await filterFile(file, { criteria: { problems: 'has' }, out: path.join(tmp.dir, `c-${name}.kept${ext}`), removedOut: path.join(tmp.dir, `c-${name}.removed${ext}`) });
    assert.equal(r.kept, flagged, name);
    assert.equal(r.kept + r.removed, v.records, name);
    return r.kept;
  }

  it('agrees with validation on which records of whole files have problems', async () => {
    const sets = [alpacaDataset(), preferenceDataset(), ktoDataset(), toolCallDataset(), textDataset()];
    for (const ds of sets) assert.equal(await assertAgreesWithValidation(writeDataset(tmp.dir, ds)), ds.duplicates.length, ds.name);
    assert.ok(sets.some((ds) => ds.duplicates.length > 0), 'some files have duplicate records');
  });

  it('agrees with validation on which corpus records have problems', async function () {
    needsCorpus(this);
    let total = 0;
    for (const name of ['alpaca_en_demo.json', 'dpo_en_demo.json', 'kto_en_demo.json', 'glaive_toolcall_en_demo.json', 'c4_demo.jsonl']) total += await assertAgreesWithValidation(llamaFactoryFile(name));
    assert.ok(total > 0, 'the corpus has duplicate records');
  });
});

describe('merge', () => {
  const tmp = tempDir('merge');
  after(() => tmp.cleanup());

  it('merges different formats into one target with per-source counts', async () => {
    const a = tmp.file('a.jsonl', jsonl([{ instruction: 'Say hi', input: '', output: 'Hi' }, { instruction: 'Say bye', input: '', output: 'Bye' }]));
    const b = tmp.file('b.jsonl', jsonl([{ conversations: [{ from: 'human', value: 'Count' }, { from: 'gpt', value: '1 2 3' }] }]));
    const out = path.join(tmp.dir, 'merged.jsonl');
    const r = await mergeFiles([a, b], { to: 'openai-chat', out });
    assert.equal(r.out, out);
    assert.deepEqual(r.sources.map((s) => [s.format, s.records, s.written]), [['alpaca', 2, 2], ['sharegpt', 1, 1]]);
    const recs = readLines(out).map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    assert.deepEqual(recs.map((x) => x.messages.map((mm) => `${mm.role}:${mm.content}`).join('|')), ['user:Say hi|assistant:Hi', 'user:Say bye|assistant:Bye', 'user:Count|assistant:1 2 3']);
  });

  it('refuses a lossy merge unless allowed, leaving no file', async () => {
    const tools = tmp.file('tools.jsonl', jsonl([{ messages: [m('user', 'Weather?'), { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'sunny' }, m('assistant', 'Sunny.')] }]));
    const plain = tmp.file('plain.jsonl', jsonl([{ messages: [m('user', 'Hi'), m('assistant', 'Hello')] }]));
    const out = path.join(tmp.dir, 'lossy.jsonl');
    const refused = await mergeFiles([plain, tools], { to: 'alpaca', out });
    assert.ok(refused.refused);
    assert.equal(refused.out, undefined);
    assert.ok(!fs.existsSync(out));
    assert.ok(Object.keys(refused.lossCounts).length > 0);
    assert.deepEqual(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), []);
    const allowed = await mergeFiles([plain, tools], { to: 'alpaca', out, allowLossy: true });
    assert.equal(allowed.out, out);
    assert.equal(readLines(out).length, allowed.written);
  });

  /** A preference file merged with itself into trl-preference as a JSON array. */
  async function mergesTwice(dpo: string, out: string): Promise<void> {
    const r = await mergeFiles([dpo, dpo], { to: 'trl-preference', out, allowLossy: true });
    const n = (JSON.parse(fs.readFileSync(dpo, 'utf8')) as unknown[]).length;
    assert.deepEqual(r.sources.map((s) => s.records), [n, n]);
    assert.equal((JSON.parse(fs.readFileSync(out, 'utf8')) as unknown[]).length, r.written);
    assert.equal(r.written, r.sources[0].written * 2);
  }

  it('merges ShareGPT preference files into a JSON array', async () => {
    await mergesTwice(writeDataset(tmp.dir, preferenceDataset()), path.join(tmp.dir, 'prefs.json'));
  });

  it('merges the corpus preference files into a JSON array', async function () {
    needsCorpus(this);
    await mergesTwice(llamaFactoryFile('dpo_en_demo.json'), path.join(tmp.dir, 'corpus-prefs.json'));
  });
});
