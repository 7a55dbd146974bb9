import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tempDir } from '../curate/tmpDir';
import type { FormatModule } from '../../../src/core/formats/formatModule';
import { getFormat } from '../../../src/core/formats/registry';
import { RULE_CATALOG } from '../../../src/core/formats/ruleCatalog';
import { randomBelow, seededRandom } from '../../../src/core/base/random';
import {
  collectKeys,
  contradictingPreference,
  DuplicateIndex,
  duplicateRecord,
  FILE_LEVEL_RULE_IDS,
  FILE_LEVEL_RULES,
  fileByteFetcher,
  FileLevelRules,
  sampledHash,
  UNKNOWN_FORMAT,
  type FileLevelRule,
  type KeyInput,
} from '../../../src/core/validate/fileLevelRules';
import { SmallIntMap } from '../../../src/core/validate/fileLevelRules/smallIntMap';
import type { SourceRecord } from '../../../src/core/jsonl/sourceRecord';

/** A record of a test file: its text (whitespace around it included) and the key input the pipeline would give. */
interface Rec {
  id: number;
  text: string;
  input: KeyInput;
}

function rec(id: number, text: string, format: FormatModule): Rec {
  return { id, text, input: { bytes: Buffer.from(text.trim()), value: JSON.parse(text) as Record<string, unknown>, format, formatOptions: undefined } };
}

/**
 * What the streaming index reports over `file` in order, and what the editable index reports once
 * holding the same records: for each record that conflicts with an earlier one, that earlier one.
 */
function streamed<K>(rule: FileLevelRule<K>, file: readonly Rec[]): Map<number, number> {
  const bytes = Buffer.from(file.map((r) => r.text).join('\n'));
  const index = rule.streamingIndex((offset, length) => bytes.subarray(offset, offset + length));
  const out = new Map<number, number>();
  let offset = 0;
  file.forEach((r, i) => {
    const key = rule.key(r.input);
    const length = Buffer.byteLength(r.text);
    if (key !== undefined) {
      const earlier = index.add(key, { line: i + 1, index: i, byteOffset: offset, byteLength: length }, r.input.bytes);
      if (earlier) out.set(r.id, file[earlier.index].id);
    }
    offset += length + 1;
  });
  return out;
}

/** Two long records that differ in one byte the sampled hash does not look at: same key, different text. */
const colliding = ['x', 'y'].map((c) => `{"instruction": "${'a'.repeat(49)}${c}${'b'.repeat(250)}", "output": "o"}`);

/** Records of one format, several of them equal or contradicting, some with whitespace around them. */
const POOLS: [FormatModule, string[]][] = [
  [
    getFormat('alpaca'),
    ['{"instruction": "a", "output": "b"}', ' {"instruction": "a", "output": "b"}\t', '{"instruction": "a", "output": "c"}', '{"output": "b", "instruction": "a"}', '{"instruction": "d", "output": "e"}', ...colliding],
  ],
  [
    getFormat('trl-preference'),
    ['{"prompt": "P", "chosen": "A", "rejected": "B"}', '{"prompt": "P", "chosen": "B", "rejected": "A"}', '{"prompt": "Q", "chosen": "A", "rejected": "B"}', ' {"prompt": "P", "chosen": "B", "rejected": "A"}', '{"prompt": "P", "chosen": "A", "rejected": "A"}'],
  ],
  [
    getFormat('trl-unpaired'),
    ['{"prompt": "P", "completion": "A", "label": true}', '{"prompt": "P", "completion": "A", "label": false}', '{"prompt": "P", "completion": "B", "label": false}', '{"prompt": "P", "completion": "A", "label": true} '],
  ],
];

describe('file-level rules', () => {
  it('are registered once each, documented in the rule catalog', () => {
    const ids = FILE_LEVEL_RULES.map((r) => r.id);
    assert.deepEqual(ids, ['common/duplicate-record', 'common/contradicting-preference']);
    assert.deepEqual([...FILE_LEVEL_RULE_IDS].sort(), [...ids, UNKNOWN_FORMAT].sort());
    for (const id of FILE_LEVEL_RULE_IDS) assert.ok(RULE_CATALOG[id], `${id} in the catalog`);
  });

  it('find the same records with their editable index as with their streaming one, whatever the order records come and go in', () => {
    const r = seededRandom(3);
    let nextId = 0;
    for (const [format, pool] of POOLS) {
      for (const rule of FILE_LEVEL_RULES.filter((x) => x.appliesTo(format))) {
        const editable = rule.editableIndex<Rec>();
        let file: Rec[] = [];
        // The findings as last taken: still right whenever the index says nothing changed.
        let last = new Map<number, number>();
        const access = { offsetOf: (x: Rec) => file.indexOf(x), text: (x: Rec) => x.text };
        for (let step = 0; step < 200; step++) {
          if (file.length > 0 && r() < 0.4) {
            const [gone] = file.splice(randomBelow(r, file.length), 1);
            const key = rule.key(gone.input);
            if (key !== undefined) editable.remove(gone, key);
          } else {
            const fresh = rec(nextId++, pool[randomBelow(r, pool.length)], format);
            file.splice(randomBelow(r, file.length + 1), 0, fresh);
            const key = rule.key(fresh.input);
            if (key !== undefined) editable.add(fresh, key);
          }
          if (editable.changed) {
            last = new Map();
            editable.findings(access, (item, earlier) => last.set(item.id, earlier.id));
            assert.equal(editable.changed, false, 'findings taken');
          }
          assert.deepEqual(last, streamed(rule, file), `${rule.id} over ${format.id}, step ${step}`);
        }
        file = [];
      }
    }
  });

  it('find duplicates and contradictions as the messages say', () => {
    const alpaca = getFormat('alpaca');
    const dupKey = (t: string) => duplicateRecord.key(rec(0, t, alpaca).input);
    assert.equal(dupKey(' {"a": 1}\n'), dupKey('{"a": 1}'), 'surrounding whitespace aside');
    assert.notEqual(dupKey('{"a": 1}'), dupKey('{"a":1}'));
    assert.equal(dupKey(colliding[0]), dupKey(colliding[1]), 'the key is a sample: equal keys are compared whole');
    assert.equal(duplicateRecord.message(7, dupKey('{}')!), 'Exact duplicate of the record on line 7.');
    const pref = getFormat('trl-preference');
    const k1 = contradictingPreference.key(rec(0, '{"prompt": "P", "chosen": "A", "rejected": "B"}', pref).input)!;
    const k2 = contradictingPreference.key(rec(0, '{"prompt": "P", "chosen": "B", "rejected": "A"}', pref).input)!;
    assert.equal(k1.mine, k2.opposite);
    assert.equal(k1.opposite, k2.mine);
    assert.equal(contradictingPreference.key(rec(0, '{"prompt": "P", "chosen": "A", "rejected": "A"}', pref).input), undefined, 'identical answers state no preference');
    assert.match(contradictingPreference.message(3, k2), /line 3 prefers the opposite answer/);
    const kto = contradictingPreference.key(rec(0, '{"prompt": "P", "completion": "A", "label": false}', getFormat('trl-unpaired')).input)!;
    assert.equal(contradictingPreference.message(2, kto), 'The same prompt and completion on line 2 carry the opposite label (true there, false here).');
    assert.equal(contradictingPreference.appliesTo(alpaca), false);
    assert.equal(contradictingPreference.key(rec(0, '{"instruction": "a", "output": "b"}', alpaca).input), undefined);
  });

  it('report a rule that fails on a record as a failed check, in the pipeline and in the collected keys alike', () => {
    const broken: FormatModule = {
      ...getFormat('trl-preference'),
      toCanonical: () => {
        throw new Error('no canonical form');
      },
    };
    const text = '{"prompt": "P", "chosen": "A", "rejected": "B"}';
    const source: SourceRecord = { kind: 'record', index: 4, text, line: 5, column: 1, offset: 90, byteOffset: 90, byteLength: text.length, value: JSON.parse(text) as Record<string, unknown> };
    const streamedProblems = new FileLevelRules(() => new Uint8Array(0)).afterChecks(source, Buffer.from(text), broken, undefined);
    const keys: unknown[] = [];
    const collected = collectKeys('valid', rec(0, text, broken).input, source, keys);
    for (const ps of [streamedProblems, collected]) {
      assert.equal(ps.length, 1);
      assert.equal(ps[0].rule, 'common/check-failed');
      assert.equal(ps[0].message, 'This record could not be checked: no canonical form.');
      assert.deepEqual([ps[0].line, ps[0].column, ps[0].record], [5, 1, 4]);
    }
    assert.equal(keys[FILE_LEVEL_RULES.indexOf(contradictingPreference as FileLevelRule<unknown>)], undefined);
  });
});

/**
 * Adds the lines of a file (`file`, joined by newlines) to a DuplicateIndex, reserved first when
 * asked: the earlier record's index each add found, and the index's size.
 */
function feedDuplicateIndex(file: readonly string[], hash: (b: Buffer) => number, reserve?: number): { found: (number | undefined)[]; size: number } {
  const bytes = Buffer.from(file.join('\n'));
  const index = new DuplicateIndex((offset, length) => bytes.subarray(offset, offset + length));
  if (reserve !== undefined) index.reserve(reserve);
  const found: (number | undefined)[] = [];
  let offset = 0;
  file.forEach((t, i) => {
    const b = Buffer.from(t);
    found.push(index.add(hash(b), { line: i + 1, index: i, byteOffset: offset, byteLength: b.length }, b)?.index);
    offset += b.length + 1;
  });
  return { found, size: index.size };
}

describe('DuplicateIndex', () => {
  it('finds the same earlier records whether it made room up front or grew as records came', () => {
    const rnd = seededRandom(31);
    // Records of a few distinct texts, so that most repeat an earlier one; some share a hash but not their bytes.
    const texts = Array.from({ length: 300 }, (_, i) => JSON.stringify({ text: `record ${i % 97}`, pad: 'x'.repeat(i % 5) }));
    const file: string[] = Array.from({ length: 5000 }, () => texts[randomBelow(rnd, texts.length)]);
    // A weak hash (the first byte that differs between texts, and the length), so that unequal records collide.
    const weak = (b: Buffer) => (b[10] * 31 + b.length) >>> 0;
    const grown = feedDuplicateIndex(file, weak);
    assert.equal(grown.size, new Set(file).size);
    for (const r of [0, 10, 5000, 100_000]) assert.deepEqual(feedDuplicateIndex(file, weak, r), grown, `reserve(${r})`);
    assert.ok(grown.found.filter((x) => x !== undefined).length > 4000);
  });

  it('widens lines and indexes in a later chunk and still names the records of the narrow ones', () => {
    const n = 70_000;
    const texts = Array.from({ length: n + 3 }, (_, i) => `{"r":${i}}`);
    const offsets: number[] = [];
    let at = 0;
    for (const t of texts) {
      offsets.push(at);
      at += t.length + 1;
    }
    const bytes = Buffer.from(texts.join('\n'));
    const index = new DuplicateIndex((offset, length) => bytes.subarray(offset, offset + length));
    const big = 2 ** 33;
    // Past the first chunk (65,536 records), a line and an index beyond 32 bits.
    const lineOf = (k: number) => (k < n ? k + 1 : big + k);
    const add = (k: number, line: number) => index.add(sampledHash(Buffer.from(texts[k])), { line, index: line - 1, byteOffset: offsets[k], byteLength: texts[k].length }, Buffer.from(texts[k]));
    for (let k = 0; k < texts.length; k++) assert.equal(add(k, lineOf(k)), undefined);
    for (const k of [0, 65_535, 65_536, n - 1, n, n + 2]) assert.deepEqual(add(k, big * 2 + k), { line: lineOf(k), index: lineOf(k) - 1 }, `record ${k}`);
  });

  it('names earlier records past line and index 2^32 exactly (its 32-bit columns widen)', () => {
    const texts = ['{"a":1}', '{"a":2}', '{"a":3}'];
    const bytes = Buffer.from(texts.join('\n'));
    const index = new DuplicateIndex((offset, length) => bytes.subarray(offset, offset + length));
    const at = (k: number) => texts.slice(0, k).reduce((n, t) => n + t.length + 1, 0);
    const add = (k: number, line: number, i: number) => index.add(sampledHash(Buffer.from(texts[k])), { line, index: i, byteOffset: at(k), byteLength: texts[k].length }, Buffer.from(texts[k]));
    const big = 2 ** 32 + 7;
    assert.equal(add(0, 4_000_000_000, 3_999_999_999), undefined);
    assert.equal(add(1, big, big - 1), undefined);
    assert.equal(add(2, big + 2 ** 20, big + 2 ** 20 - 1), undefined);
    assert.deepEqual(add(0, big + 9, big + 8), { line: 4_000_000_000, index: 3_999_999_999 });
    assert.deepEqual(add(1, big + 10, big + 9), { line: big, index: big - 1 });
    assert.deepEqual(add(2, big + 11, big + 10), { line: big + 2 ** 20, index: big + 2 ** 20 - 1 });
  });

  it('reads earlier records back from past byte 2^32 exactly (its 32-bit offsets widen in a later chunk)', () => {
    // A file of more than 4 GB, as a map from offset to record: a fetch at any other offset fails.
    const n = 70_000;
    const texts = Array.from({ length: n + 2 }, (_, i) => `{"r":${i}}`);
    const far = (k: number) => 2 ** 32 + 1000 * (k - n + 1);
    const offsetOf = (k: number) => (k < n ? 16 * k : far(k));
    const at = new Map(texts.map((t, k) => [offsetOf(k), Buffer.from(t)]));
    const index = new DuplicateIndex((offset, length) => {
      const b = at.get(offset);
      if (!b) throw new Error(`no record at byte ${offset}`);
      return b.subarray(0, length);
    });
    const add = (k: number, line: number, byteOffset: number) => index.add(sampledHash(Buffer.from(texts[k])), { line, index: line - 1, byteOffset, byteLength: texts[k].length }, Buffer.from(texts[k]));
    for (let k = 0; k < texts.length; k++) assert.equal(add(k, k + 1, offsetOf(k)), undefined);
    for (const k of [0, 65_535, 65_536, n - 1, n, n + 1]) assert.deepEqual(add(k, n + 10 + k, 2 ** 34 + k), { line: k + 1, index: k }, `record ${k}`);
  });

  it('finds the same records whatever it reserved, with the first chunk grown from a reservation that is not a power of two', () => {
    // 6,000 distinct records among 9,000: past a reservation of 1,100 the first chunk doubles from it.
    const rnd = seededRandom(12);
    const file = Array.from({ length: 9000 }, () => JSON.stringify({ text: `record ${randomBelow(rnd, 6000)}` }));
    const hash = (b: Buffer) => sampledHash(b) & 0xfff;
    const grown = feedDuplicateIndex(file, hash);
    assert.ok(grown.size > 4000 && grown.size < 6000, `${grown.size} distinct`);
    for (const r of [1100, 1500, 3001, 7777]) assert.deepEqual(feedDuplicateIndex(file, hash, r), grown, `reserve(${r})`);
  });

  it('finds every earlier record across chunks of 64K records, through chains of colliding records', () => {
    // 250,000 records, 150,000 distinct, over four chunks; a 12-bit hash chains records of many
    // chunks together, so a lookup walks from chunk to chunk and a new record links to a head in an
    // earlier chunk.
    const rnd = seededRandom(5);
    const file = Array.from({ length: 250_000 }, () => `{"t":${randomBelow(rnd, 150_000)}}`);
    const firstOf = new Map<string, number>();
    const expected = file.map((t, i) => {
      const first = firstOf.get(t);
      if (first === undefined) firstOf.set(t, i);
      return first;
    });
    const weak = (b: Buffer) => sampledHash(b) & 0xfff;
    for (const r of [undefined, 100_000]) {
      const fed = feedDuplicateIndex(file, weak, r);
      assert.equal(fed.size, firstOf.size, `reserve(${r})`);
      assert.deepEqual(fed.found, expected, `reserve(${r})`);
    }
  });

  it('finds the same records with each batch prefetched first, NaN keys skipped, as the table grows between batches', () => {
    const rnd = seededRandom(8);
    const file = Array.from({ length: 20_000 }, () => `{"t":${randomBelow(rnd, 9_000)}}`);
    const bytes = Buffer.from(file.join('\n'));
    const keys = new Float64Array(file.map((t, i) => (i % 7 === 3 ? NaN : sampledHash(Buffer.from(t)) & 0xffff)));
    const feed = (batch: number): (number | undefined)[] => {
      const index = new DuplicateIndex((offset, length) => bytes.subarray(offset, offset + length));
      const found: (number | undefined)[] = [];
      let offset = 0;
      const offsets = file.map((t) => {
        const at = offset;
        offset += Buffer.byteLength(t) + 1;
        return at;
      });
      for (let from = 0; from < file.length; from += batch) {
        const to = Math.min(file.length, from + batch);
        if (batch > 1) index.prefetch(keys, from, to);
        for (let j = from; j < to; j++) {
          if (Number.isNaN(keys[j])) {
            found.push(undefined);
            continue;
          }
          const length = Buffer.byteLength(file[j]);
          found.push(index.addSpan(keys[j], { line: j + 1, index: j, byteOffset: offsets[j], byteLength: length }, offsets[j], length)?.index);
        }
      }
      return found;
    };
    const one = feed(1);
    assert.ok(one.filter((x) => x !== undefined).length > 5000);
    // Prefetching past the end or an empty range reads nothing it should not.
    for (const batch of [3, 1024, 50_000]) assert.deepEqual(feed(batch), one, `batch ${batch}`);
  });

  it('compares records read back from the file as from memory, through its scratch buffers and past them (records over 1 MB)', () => {
    const tmp = tempDir('dupfetch');
    try {
      const rnd = seededRandom(5);
      const big = (k: number) => JSON.stringify({ text: `${k} ${'y'.repeat(1_200_000)}` });
      // Records of several lengths, one hash for all of a length (every add compares bytes), and two big ones.
      const file = Array.from({ length: 3000 }, (_, i) => (i === 1000 || i === 2500 ? big(1) : i === 1700 ? big(2) : JSON.stringify({ text: `r${randomBelow(rnd, 700)}`, pad: 'p'.repeat(randomBelow(rnd, 3) * 3000) })));
      const p = tmp.file('dups.jsonl', file.join('\n'));
      const fd = fs.openSync(p, 'r');
      try {
        const fromFile = new DuplicateIndex(fileByteFetcher(fd));
        const bytes = fs.readFileSync(p);
        const fromMemory = new DuplicateIndex((offset, length) => bytes.subarray(offset, offset + length));
        let offset = 0;
        let found = 0;
        file.forEach((t, i) => {
          const b = Buffer.from(t);
          const rec = { line: i + 1, index: i, byteOffset: offset, byteLength: b.length };
          const a = fromFile.addSpan(b.length, rec, offset, b.length);
          assert.deepEqual(a, fromMemory.add(b.length, rec, b), `line ${i + 1}`);
          if (a) found++;
          offset += b.length + 1;
        });
        assert.ok(found > 1000, `${found} duplicates`);
        assert.deepEqual(fromFile.addSpan(Buffer.byteLength(big(1)), { line: 3001, index: 3000, byteOffset: 0, byteLength: 1 }, file.slice(0, 2500).join('\n').length + 1, Buffer.byteLength(big(1))), { line: 1001, index: 1000 });
      } finally {
        fs.closeSync(fd);
      }
      // Into a buffer of the caller's when it is large enough, else into one of its own.
      const fd2 = fs.openSync(p, 'r');
      try {
        const fetch = fileByteFetcher(fd2);
        const into = Buffer.alloc(64);
        const got = fetch(0, 10, into);
        assert.equal(got.buffer, into.buffer);
        assert.equal(Buffer.from(got).toString(), file[0].slice(0, 10));
        assert.notEqual(fetch(0, 100, into).buffer, into.buffer);
      } finally {
        fs.closeSync(fd2);
      }
    } finally {
      tmp.cleanup();
    }
  });
});

describe('sampledHash', () => {
  it('reads every byte of a short record, and of a long one its first and last 64, 32 spread between and its length', () => {
    // Each of the four lanes and the tail of a short record: a change of any sampled byte changes the
    // hash, a change elsewhere does not.
    for (const n of [0, 1, 3, 4, 5, 63, 159, 160, 161, 200, 1000, 4099]) {
      const b = Buffer.alloc(n, 0x61);
      for (let i = 0; i < n; i++) b[i] = 0x61 + (i % 26);
      const base = sampledHash(b);
      const stride = Math.floor((n - 128) / 32);
      const sampled = (i: number) => n <= 160 || i < 64 || i >= n - 64 || ((i - 64) % stride === 0 && (i - 64) / stride < 32);
      for (let i = 0; i < n; i++) {
        const c = Buffer.from(b);
        c[i] ^= 0x20;
        assert.equal(sampledHash(c) !== base, sampled(i), `length ${n}, byte ${i}`);
      }
      assert.notEqual(sampledHash(Buffer.concat([b, Buffer.from(' ')])), base, `length ${n} + 1`);
    }
  });
});

describe('SmallIntMap', () => {
  it('holds what a Map holds through sets and deletes of colliding keys', () => {
    const r = seededRandom(8);
    const map = new SmallIntMap<number>();
    const ref = new Map<number, number>();
    // Keys 1024 apart share a home in the first table; a few near 2^30 reach the top of the range.
    const keys = [...Array.from({ length: 600 }, (_, i) => (i % 40) * 1024 + Math.floor(i / 40)), 2 ** 30 - 1, 2 ** 30 - 2, 1023];
    for (let step = 0; step < 20000; step++) {
      const k = keys[randomBelow(r, keys.length)];
      if (r() < 0.45) {
        map.delete(k);
        ref.delete(k);
      } else {
        map.set(k, step);
        ref.set(k, step);
      }
      if (step % 500 === 0 || step === 19999) {
        assert.equal(map.size, ref.size, `size at step ${step}`);
        for (const key of keys) assert.equal(map.get(key), ref.get(key), `key ${key} at step ${step}`);
      }
    }
  });
});
