import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertFile, defaultOutputPath } from '../../../src/core/convert/convertFile';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { readTextRecords } from '../../../src/core/jsonl/readRecords';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { identityDataset, preferenceDataset, preferenceZhDataset, toolCallDataset, writeDataset, type OwnDataset } from '../../support/ownDatasets';

async function recordsOf(file: string): Promise<unknown[]> {
  const items = readTextRecords(await fsp.readFile(file), /\.json$/.test(file) ? 'json' : 'jsonl');
  return items.map((i) => (i.kind === 'record' ? i.value : i.problem));
}

describe('convertFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-conv-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  async function assertRoundTrip(input: string, a: FormatId, b: FormatId): Promise<void> {
    const mid = path.join(dir, `mid.${b}.jsonl`);
    const back = path.join(dir, `back.json`);
    const r1 = await convertFile(input, { to: b, out: mid });
    assert.equal(r1.from, a);
    assert.deepEqual(r1.lossCounts, {});
    assert.equal(r1.out, mid);
    assert.equal(r1.written, r1.records);
    const r2 = await convertFile(mid, { to: a, out: back });
    assert.equal(r2.from, b);
    assert.deepEqual(r2.lossCounts, {});
    assert.deepEqual(await recordsOf(back), await recordsOf(input));
  }

  const ROUND_TRIPS: [() => OwnDataset, FormatId][] = [
    [identityDataset, 'sharegpt'],
    [identityDataset, 'openai-chat'],
    [preferenceDataset, 'trl-preference'],
    [preferenceZhDataset, 'openai-dpo'],
    [toolCallDataset, 'openai-chat'],
  ];
  for (const [make, b] of ROUND_TRIPS) {
    const ds = make();
    it(`round-trips ${ds.name}: ${ds.format} -> ${b} -> ${ds.format} gives the same records`, async () => {
      await assertRoundTrip(writeDataset(dir, ds), ds.format, b);
    });
  }

  const CORPUS_ROUND_TRIPS: [string, FormatId, FormatId][] = [
    ['identity.json', 'alpaca', 'sharegpt'],
    ['identity.json', 'alpaca', 'openai-chat'],
    ['dpo_en_demo.json', 'sharegpt-preference', 'trl-preference'],
    ['dpo_zh_demo.json', 'sharegpt-preference', 'openai-dpo'],
    ['glaive_toolcall_en_demo.json', 'sharegpt', 'openai-chat'],
  ];
  for (const [file, a, b] of CORPUS_ROUND_TRIPS) {
    it(`round-trips the corpus file ${file}: ${a} -> ${b} -> ${a} gives the same records`, async function () {
      needsCorpus(this);
      await assertRoundTrip(llamaFactoryFile(file), a, b);
    });
  }

  it('refuses a lossy conversion, lists losses per record and field, and leaves no file', async () => {
    const tools = toolCallDataset();
    const input = writeDataset(path.join(dir, 'in'), tools);
    const out = path.join(dir, 'out.jsonl');
    const r = await convertFile(input, { to: 'alpaca', out });
    assert.equal(r.out, undefined);
    assert.match(r.refused ?? '', /nothing was written/);
    assert.equal(r.lossCounts['tools'], tools.records.length);
    assert.ok(r.lossCounts['messages[].toolCalls'] > 0);
    assert.deepEqual(r.losses[0], { record: 0, line: 2, field: 'tools', reason: 'alpaca has no tool definitions' });
    assert.deepEqual(await fsp.readdir(dir), ['in']);
  });

  it('writes a lossy conversion when allowed, and still reports the losses', async () => {
    const tools = toolCallDataset();
    const input = writeDataset(path.join(dir, 'in'), tools);
    const out = path.join(dir, 'out.jsonl');
    const r = await convertFile(input, { to: 'alpaca', out, allowLossy: true });
    assert.equal(r.out, out);
    assert.equal(r.lossCounts['tools'], tools.records.length);
    const written = (await recordsOf(out)) as Record<string, unknown>[];
    assert.equal(written.length, r.written);
    assert.ok(written.every((w) => typeof w.instruction === 'string' && typeof w.output === 'string'));
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['in', 'out.jsonl']);
  });

  it('counts the losses of the corpus tool-call file', async function () {
    needsCorpus(this);
    const r = await convertFile(llamaFactoryFile('glaive_toolcall_en_demo.json'), { to: 'alpaca', out: path.join(dir, 'out.jsonl') });
    assert.equal(r.out, undefined);
    assert.equal(r.lossCounts['tools'], 300);
    assert.deepEqual(r.losses[0], { record: 0, line: 2, field: 'tools', reason: 'alpaca has no tool definitions' });
  });

  it('reports records with errors instead of dropping them silently', async () => {
    const input = path.join(dir, 'in.jsonl');
    await fsp.writeFile(input, ['{"instruction":"a","output":"b"}', 'not json', '{"instruction":"c","output":7}', '{"instruction":"d","output":"e"}'].join('\n'));
    const out = path.join(dir, 'out.jsonl');
    const refused = await convertFile(input, { to: 'sharegpt', out });
    assert.equal(refused.out, undefined);
    assert.equal(refused.droppedRecords, 2);
    assert.deepEqual(
      refused.losses.map((l) => [l.line, l.field]),
      [
        [2, 'record'],
        [3, 'record'],
      ],
    );
    assert.match(refused.losses[1].reason, /schema\/type/);
    const allowed = await convertFile(input, { to: 'sharegpt', out, allowLossy: true });
    assert.equal(allowed.written, 2);
    assert.equal((await recordsOf(out)).length, 2);
  });

  it('writes a JSON array when the output name ends in .json', async () => {
    const out = path.join(dir, 'out.json');
    const identity = identityDataset();
    await convertFile(writeDataset(path.join(dir, 'in'), identity), { to: 'sharegpt', out });
    const parsed = JSON.parse(await fsp.readFile(out, 'utf8')) as unknown[];
    assert.equal(parsed.length, identity.records.length);
    assert.deepEqual(parsed, await recordsOf(out));
  });

  it('leaves nothing behind when the conversion fails midway', async () => {
    const input = path.join(dir, 'in.jsonl');
    await fsp.writeFile(input, '{"instruction":"a","output":"b"}\n');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(convertFile(input, { to: 'sharegpt', from: 'alpaca', out: path.join(dir, 'out.jsonl'), signal: ac.signal }), /cancelled/);
    assert.deepEqual(await fsp.readdir(dir), ['in.jsonl']);
    await assert.rejects(convertFile(path.join(dir, 'missing.jsonl'), { to: 'sharegpt', from: 'alpaca', out: path.join(dir, 'o.jsonl') }), /ENOENT/);
    assert.deepEqual(await fsp.readdir(dir), ['in.jsonl']);
  });

  it('names the default output after the input and the target', () => {
    assert.equal(defaultOutputPath('/d/data.json', 'sharegpt'), '/d/data.sharegpt.jsonl');
  });
});
