import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { computeStats, firstWord, firstWordByRegex, recordsInBin } from '../../../src/core/curate/computeStats';
import { NO_BIN } from '../../../src/core/curate/histogram';
import { statsToMarkdown } from '../../../src/core/curate/statsMarkdown';
import { svgBarChart } from '../../../src/core/curate/svgBarChart';
import { guessScript, guessScriptParts } from '../../../src/core/curate/scriptGuess';
import { isTokenSample, offsetPicksSample } from '../../../src/core/curate/recordFeatures';
import { defaultEpochs } from '../../../src/core/curate/trainingCost';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, ktoDataset, preferenceDataset, writeDataset } from '../../support/ownDatasets';
import { jsonl, tempDir } from './tmpDir';

const m = (role: string, content: string) => ({ role, content });

describe('computeStats', () => {
  const tmp = tempDir('stats');
  after(() => tmp.cleanup());

  // Hand-computed: token counts are o200k_base pieces ("hello world" = hello + " world").
  const small = tmp.file(
    'small.jsonl',
    jsonl([
      { messages: [m('system', 'Be brief.'), m('user', 'hello world'), m('assistant', 'hi')] },
      { messages: [m('user', 'one two three four'), m('assistant', 'yes'), m('user', 'Write a poem'), m('assistant', 'red green blue')] },
      { messages: [m('user', 'Write code now'), m('assistant', 'no')] },
    ]) + 'not json\n',
  );

  it('gets every figure of a small file right', async () => {
    const stats = await computeStats(small, { contextLimit: 10, prices: { 'gpt-4o-mini-2024-07-18': { trainingPerMTok: 2 } } });
    const r = stats.report;
    assert.equal(r.format, 'openai-chat');
    assert.equal(r.records, 4);
    assert.equal(r.validRecords, 3);
    assert.equal(r.problems.error, 1);
    assert.equal(Object.values(r.problems.byRule).reduce((a, b) => a + b, 0), 1);
    assert.deepEqual(r.tokens, { tokenizer: 'o200k_base', model: undefined, approximate: false, mode: 'exact', exactRecords: 3, note: r.tokens.note });
    // turns [2, 4, 2]
    assert.deepEqual(r.turnsPerRecord, { count: 3, min: 2, p5: 2, median: 2, mean: 8 / 3, p95: 3.8, max: 4, sum: 8 });
    // tokens per record: 3+2+1 = 6, 4+1+3+3 = 11, 3+1 = 4
    assert.deepEqual(r.tokensPerRecord, { count: 3, min: 4, p5: 4.2, median: 6, mean: 7, p95: 10.5, max: 11, sum: 21 });
    // user chars 11, 18, 12, 14; assistant 2, 3, 14, 2; system 9
    const u = r.charsByRole.user;
    assert.deepEqual([u.count, u.min, u.median, u.mean, u.max, u.sum], [4, 11, 13, 13.75, 18, 55]);
    assert.ok(Math.abs(u.p5 - 11.15) < 1e-9 && Math.abs(u.p95 - 17.4) < 1e-9);
    const a = r.charsByRole.assistant;
    assert.deepEqual([a.count, a.min, a.median, a.mean, a.max], [4, 2, 2.5, 5.25, 14]);
    assert.deepEqual([r.charsByRole.system.count, r.charsByRole.system.max], [1, 9]);
    assert.deepEqual(Object.keys(r.charsByRole), ['assistant', 'system', 'user']);
    // tokens: user 2, 4, 3, 3; assistant 1, 1, 3, 1; system 3
    assert.deepEqual([r.tokensByRole.user.sum, r.tokensByRole.user.max], [12, 4]);
    assert.deepEqual([r.tokensByRole.assistant.sum, r.tokensByRole.assistant.median], [6, 1]);
    assert.equal(r.tokensByRole.system.sum, 3);
    // Over 10 tokens: record 1 (11). Billing: 6 + 10 + 4.
    assert.deepEqual(r.contextLimit, { limit: 10, over: 1, records: [1], listedAll: true });
    assert.equal(r.cost.billingTokensPerEpoch, 20);
    // Cookbook: 3 examples × 3 epochs < 100 → min(25, floor(100 / 3)) = 25 epochs.
    assert.equal(r.cost.epochs, 25);
    assert.equal(r.cost.trainingTokens, 500);
    assert.equal(r.cost.costs.length, 1);
    assert.ok(Math.abs(r.cost.costs[0].cost - 0.001) < 1e-12);
    // Tokens per record 4..11: width 1 → 8 bins from 4.
    const th = r.histograms.tokensPerRecord;
    assert.equal(th.bins.length, 8);
    assert.deepEqual(th.bins.map((b) => b.count), [1, 0, 1, 0, 0, 0, 0, 1]);
    assert.deepEqual([th.bins[0].from, th.bins[7].from], [4, 11]);
    assert.deepEqual(r.histograms.turnsPerRecord.bins.map((b) => [b.from, b.count]), [[2, 2], [3, 0], [4, 1]]);
    assert.deepEqual(Array.from(stats.recordBins.tokensPerRecord), [2, 7, 0, NO_BIN]);
    assert.deepEqual(recordsInBin(stats, 'tokensPerRecord', 2), [0]);
    assert.deepEqual(recordsInBin(stats, 'turnsPerRecord', 0), [0, 2]);
    assert.deepEqual(r.languages, [{ script: 'Latin', records: 3 }]);
    assert.deepEqual(r.firstWords, [{ word: 'hello', count: 1 }, { word: 'one', count: 1 }, { word: 'write', count: 1 }]);
    assert.equal(r.preference, undefined);
    assert.equal(r.kto, undefined);
    // JSON-serializable as it is.
    assert.deepEqual(JSON.parse(JSON.stringify(r)).tokensPerRecord, r.tokensPerRecord);
  });

  it('estimate mode counts the first records exactly and says so', async () => {
    const recs = [];
    for (let i = 0; i < 1100; i++) recs.push({ instruction: `task number ${i} please`, input: '', output: 'the answer is here' });
    const text = jsonl(recs);
    const p = tmp.file('many.jsonl', text);
    const exact = (await computeStats(p, { tokenMode: 'exact' })).report;
    const est = (await computeStats(p, { tokenMode: 'estimate' })).report;
    assert.equal(est.tokens.mode, 'estimate');
    assert.equal(est.tokens.approximate, true);
    // The first 500 exactly, then the records whose line's byte offset the hash picks (about 1 in 128).
    const offsets: number[] = [];
    let at = 0;
    for (const line of text.split('\n').slice(0, recs.length)) {
      offsets.push(at);
      at += Buffer.byteLength(line) + 1;
    }
    const picked = offsets.slice(500).filter(offsetPicksSample).length;
    assert.ok(picked >= 1 && picked <= 15, `${picked} of 600 picked`);
    assert.equal(est.tokens.exactRecords, 500 + picked);
    assert.equal(exact.tokens.exactRecords, 1100);
    assert.ok(Math.abs(est.tokensPerRecord.sum - exact.tokensPerRecord.sum) / exact.tokensPerRecord.sum < 0.02);
  });

  it('picks about one record in 128 by byte offset, evenly, for records of any fixed size', () => {
    for (const size of [1, 37, 128, 600, 4096, 65536]) {
      let n = 0;
      for (let i = 0; i < 128_000; i++) if (offsetPicksSample(i * size)) n++;
      assert.ok(n > 850 && n < 1150, `record size ${size}: ${n} of 128000 picked`);
    }
    // Offsets past 4 GiB pick too (both halves hashed).
    let far = 0;
    for (let i = 0; i < 128_000; i++) if (offsetPicksSample(2 ** 33 + i * 4294967296)) far++;
    assert.ok(far > 850 && far < 1150, `${far} past 4 GiB`);
    assert.equal(isTokenSample(500, false), true);
    assert.equal(isTokenSample(501, false), false);
    assert.equal(isTokenSample(501, true), true);
  });

  it('marks non-OpenAI models approximate and picks cl100k for gpt-4', async () => {
    assert.equal((await computeStats(small, { model: 'meta-llama/Llama-3.1-8B' })).report.tokens.approximate, true);
    const g4 = (await computeStats(small, { model: 'gpt-4-0613' })).report.tokens;
    assert.deepEqual([g4.tokenizer, g4.approximate], ['cl100k_base', false]);
  });

  /** Counts, format and label balance of an Alpaca, a ShareGPT preference and a KTO file, against the records read independently. */
  async function countsFormatLabelBalance(alpacaFile: string, dpoFile: string, ktoFile: string): Promise<void> {
    const alpaca = (await computeStats(alpacaFile)).report;
    const alpacaRecords = JSON.parse(fs.readFileSync(alpacaFile, 'utf8')) as unknown[];
    assert.equal(alpaca.format, 'alpaca');
    assert.equal(alpaca.records, alpacaRecords.length);
    assert.equal(alpaca.validRecords, alpacaRecords.length);
    assert.ok(alpaca.tokensPerRecord.min > 0 && alpaca.tokensPerRecord.max < 4096);
    assert.equal(alpaca.turnsPerRecord.min, 2);
    assert.equal(alpaca.languages[0].script, 'Latin');
    assert.equal(alpaca.histograms.tokensPerRecord.total, alpacaRecords.length);

    const dpo = (await computeStats(dpoFile)).report;
    const dpoRecords = JSON.parse(fs.readFileSync(dpoFile, 'utf8')) as { chosen: { value: string }; rejected: { value: string } }[];
    assert.equal(dpo.format, 'sharegpt-preference');
    assert.equal(dpo.records, dpoRecords.length);
    const longer = dpoRecords.filter((r) => r.chosen.value.length > r.rejected.value.length).length;
    assert.equal(dpo.preference?.pairs, dpoRecords.length);
    assert.equal(dpo.preference?.chosenLonger, longer);
    assert.ok(dpo.charsByRole['chosen assistant'] && dpo.charsByRole['rejected assistant']);

    const kto = (await computeStats(ktoFile)).report;
    const ktoRecords = JSON.parse(fs.readFileSync(ktoFile, 'utf8')) as { label: boolean }[];
    assert.equal(kto.format, 'llamafactory-kto');
    assert.deepEqual(kto.kto, { desirable: ktoRecords.filter((r) => r.label).length, undesirable: ktoRecords.filter((r) => !r.label).length });
  }

  it("reads whole files of the trainers' demo shapes: counts, format, label balance", async () => {
    await countsFormatLabelBalance(writeDataset(tmp.dir, alpacaDataset()), writeDataset(tmp.dir, preferenceDataset()), writeDataset(tmp.dir, ktoDataset()));
  });

  it('reads the LLaMA-Factory corpus: counts, format, label balance', async function () {
    needsCorpus(this);
    await countsFormatLabelBalance(llamaFactoryFile('alpaca_en_demo.json'), llamaFactoryFile('dpo_en_demo.json'), llamaFactoryFile('kto_en_demo.json'));
  });

  it('renders Markdown with escaped inline SVG charts', async () => {
    const p = tmp.file('<img src=x onerror=alert(1)>.jsonl', jsonl([{ instruction: 'Explain tables', input: '', output: 'ok' }]));
    const md = statsToMarkdown((await computeStats(p)).report);
    assert.ok(!md.includes('<img'));
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.equal((md.match(/<svg /g) ?? []).length, 2);
    assert.ok(md.includes('| explain | 1 |'));
    const svg = svgBarChart([{ label: '</text><script>x</script>', value: 3 }, { label: 'b"&', value: 1 }], { title: "t'<" });
    assert.ok(!svg.includes('<script>') && svg.includes('&lt;/text&gt;&lt;script&gt;') && svg.includes('b&quot;&amp;') && svg.includes('t&#39;&lt;'));
    // Bar heights follow the values: the tallest bar fills the plot, the other a third of it.
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((x) => Number(x[1]));
    assert.equal(heights.length, 2);
    assert.ok(Math.abs(heights[1] - heights[0] / 3) < 0.02);
  });

  it('is cancellable and reports progress', async () => {
    const ac = new AbortController();
    let calls = 0;
    const done = await computeStats(small, { onProgress: () => calls++ });
    assert.ok(calls > 0 && done.report.records === 4);
    ac.abort();
    await assert.rejects(computeStats(small, { signal: ac.signal }), /cancelled/);
  });
});

describe('scripts and epochs', () => {
  it('puts each unit at the edges of its script\'s ranges in that script', () => {
    const expected: [number, string][] = [
      [0x40, 'none'], [0x41, 'Latin'], [0x5a, 'Latin'], [0x5b, 'none'], [0x60, 'none'], [0x61, 'Latin'], [0x7a, 'Latin'], [0x7b, 'none'],
      [0xbf, 'none'], [0xc0, 'Latin'], [0xd7, 'none'], [0xf7, 'none'], [0x24f, 'Latin'], [0x250, 'other'], [0x36f, 'other'],
      [0x370, 'Greek'], [0x3ff, 'Greek'], [0x400, 'Cyrillic'], [0x52f, 'Cyrillic'], [0x530, 'other'], [0x590, 'Hebrew'], [0x5ff, 'Hebrew'],
      [0x600, 'Arabic'], [0x77f, 'Arabic'], [0x900, 'Devanagari'], [0x97f, 'Devanagari'], [0xe00, 'Thai'], [0xe7f, 'Thai'],
      [0x1100, 'Hangul'], [0x11ff, 'Hangul'], [0x1dff, 'other'], [0x1e00, 'Latin'], [0x1eff, 'Latin'], [0x1f00, 'other'],
      [0x1fff, 'other'], [0x2000, 'none'], [0x2bff, 'none'], [0x2c00, 'other'], [0x3000, 'none'], [0x303f, 'none'],
      [0x3040, 'CJK (ja)'], [0x30ff, 'CJK (ja)'], [0x3100, 'other'], [0x3130, 'Hangul'], [0x318f, 'Hangul'], [0x3400, 'CJK (zh)'],
      [0x4dbf, 'CJK (zh)'], [0x4e00, 'CJK (zh)'], [0x9fff, 'CJK (zh)'], [0xac00, 'Hangul'], [0xd7af, 'Hangul'], [0xd7b0, 'other'],
      [0xd800, 'none'], [0xdfff, 'none'], [0xf900, 'CJK (zh)'], [0xfaff, 'CJK (zh)'], [0xfb50, 'Arabic'], [0xfdff, 'Arabic'],
      [0xfe70, 'Arabic'], [0xfeff, 'Arabic'], [0xff00, 'none'], [0xffef, 'none'], [0xfff0, 'other'],
    ];
    for (const [unit, script] of expected) {
      const ch = String.fromCharCode(unit);
      // Long enough for the Latin register pass to decide, and short for the full count.
      assert.equal(guessScript(ch.repeat(200)), script, `U+${unit.toString(16)} x200`);
      assert.equal(guessScript(ch.repeat(3)), script, `U+${unit.toString(16)} x3`);
    }
  });

  it('guesses scripts from letters', () => {
    assert.equal(guessScript('Hello there'), 'Latin');
    assert.equal(guessScript('这是一个测试'), 'CJK (zh)');
    assert.equal(guessScript('これはテストです'), 'CJK (ja)');
    assert.equal(guessScript('日本語のテキスト'), 'CJK (ja)');
    assert.equal(guessScript('Привет мир'), 'Cyrillic');
    assert.equal(guessScript('مرحبا بالعالم'), 'Arabic');
    assert.equal(guessScript('안녕하세요'), 'Hangul');
    assert.equal(guessScript('नमस्ते दुनिया'), 'Devanagari');
    assert.equal(guessScript('123 !?'), 'none');
  });
  it('guesses from parts exactly as from the sample the report used to build', () => {
    // The sample: each message's first 256 characters, joined by newlines (no newline after an empty start), until 256.
    const sampleOf = (parts: string[]) => {
      let sample = '';
      for (const p of parts) {
        sample += sample ? '\n' + p.slice(0, 256) : p.slice(0, 256);
        if (sample.length >= 256) break;
      }
      return sample;
    };
    const pieces = ['', 'Hello', '这是一个测试', 'これは', 'Привет', 'x'.repeat(255), '数'.repeat(300), 'a b c ', '1234', 'ñ'];
    let seed = 3;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % k;
    };
    for (let round = 0; round < 500; round++) {
      const parts = Array.from({ length: rand(5) }, () => Array.from({ length: 1 + rand(3) }, () => pieces[rand(pieces.length)]).join(''));
      assert.equal(guessScriptParts(parts), guessScript(sampleOf(parts)), JSON.stringify(parts));
    }
    // The ASCII shortcut (records whose raw JSON is ASCII) answers as the count does, letters late in the opening included.
    const ascii = ['', ' ', '1234 ', '...', 'Hello', 'x'.repeat(255), '9'.repeat(300), 'a b', '\n'];
    for (let round = 0; round < 500; round++) {
      const parts = Array.from({ length: rand(5) }, () => Array.from({ length: 1 + rand(3) }, () => ascii[rand(ascii.length)]).join(''));
      assert.equal(guessScriptParts(parts, true), guessScriptParts(parts), JSON.stringify(parts));
    }
    assert.equal(guessScriptParts(['9'.repeat(255), 'late'], true), 'none');
    assert.equal(guessScriptParts(['9'.repeat(254), 'late'], true), 'Latin');
  });
  it('answers by the most letters in the opening 256 characters, a tie to Latin, however early Latin leads', () => {
    // Letters of known scripts, so the expected answer is a count; guessScriptParts stops early
    // once Latin has half of what it will read, which must never change the answer.
    const alphabet: [string, string][] = [['a', 'Latin'], ['é', 'Latin'], ['Б', 'Cyrillic'], ['中', 'Han'], ['カ', 'Kana'], ['α', 'Greek'], ['1', ''], [' ', '']];
    const expected = (parts: string[]): string => {
      const opening = [...parts.join('\n')].slice(0, 256);
      const n = new Map<string, number>();
      for (const ch of opening) {
        const s = alphabet.find(([c]) => c === ch)?.[1];
        if (s) n.set(s, (n.get(s) ?? 0) + 1);
      }
      const get = (k: string) => n.get(k) ?? 0;
      const cjk = get('Han') + get('Kana');
      const order: [string, number][] = [['Latin', get('Latin')], ['CJK', cjk], ['Cyrillic', get('Cyrillic')], ['Greek', get('Greek')]];
      let best = ['none', 0] as [string, number];
      for (const o of order) if (o[1] > best[1]) best = o;
      if (best[0] === 'CJK') return get('Kana') > 0 ? 'CJK (ja)' : 'CJK (zh)';
      return best[0];
    };
    let seed = 11;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % k;
    };
    for (let round = 0; round < 3000; round++) {
      // Two alphabets per text at most, in runs, around an even split of the opening.
      const a = alphabet[rand(alphabet.length)][0];
      const b = alphabet[rand(alphabet.length)][0];
      const parts = Array.from({ length: 1 + rand(3) }, () => a.repeat(rand(200)) + b.repeat(rand(200)) + (rand(2) ? a.repeat(rand(60)) : ''));
      assert.equal(guessScriptParts(parts), expected(parts), JSON.stringify(parts.map((p) => p.length)) + ' ' + a + b);
    }
    assert.equal(guessScriptParts(['a'.repeat(128) + 'Б'.repeat(128)]), 'Latin');
    assert.equal(guessScriptParts(['a'.repeat(127) + 'Б'.repeat(129)]), 'Cyrillic');
    assert.equal(guessScriptParts(['a'.repeat(127), 'Б'.repeat(128)]), 'Cyrillic'); // the newline between them is read, not a letter
  });
  it('finds the first word of a prompt exactly as the regex does', () => {
    const pieces = ['', ' ', '...', 'Hello', "don't", 'well-known', 'x'.repeat(30), 'café', '数据模型', 'Ünïcode', '’s', '42', '_', '-', "'", '\n', 'a'.repeat(199), 'THE'];
    let seed = 5;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % k;
    };
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: rand(5) }, () => pieces[rand(pieces.length)]).join(rand(2) ? ' ' : '');
      assert.equal(firstWord(text), firstWordByRegex(text), JSON.stringify(text));
    }
  });
  it('follows the cookbook epoch rule', () => {
    assert.equal(defaultEpochs(3), 25);
    assert.equal(defaultEpochs(50), 3);
    assert.equal(defaultEpochs(1000), 3);
    assert.equal(defaultEpochs(10000), 2);
    assert.equal(defaultEpochs(100000), 1);
  });
});
