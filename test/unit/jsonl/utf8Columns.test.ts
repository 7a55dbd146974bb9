/**
 * Positions over bytes that are not valid UTF-8 count characters as the editor shows them:
 * TextDecoder (WHATWG) turns every maximal invalid subpart into one U+FFFD. Bytes 0xF5-0xFF were
 * counted as two columns each (as if they started a 4-byte sequence), so a problem's column could
 * pass the end of its line.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTextRecords, scanFile } from '../../../src/core/jsonl/readRecords';
import type { SourceRecord } from '../../../src/core/jsonl/sourceRecord';
import { utf16Length, utf16Span } from '../../../src/core/jsonl/utf8';
import { seededRandom, type RandomSource } from '../../../src/core/base/random';
import type { Problem } from '../../../src/core/base/problem';

const decoder = new TextDecoder();

/** Bytes weighted toward what breaks UTF-8: leads, continuations, 0xC0/0xC1, 0xF5-0xFF, line feeds. */
function hostileBytes(r: RandomSource, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    const x = r();
    b[i] =
      x < 0.15 ? 0x20 + Math.floor(r() * 0x5f)
      : x < 0.2 ? 0x0a
      : x < 0.45 ? 0x80 + Math.floor(r() * 0x40)
      : x < 0.75 ? 0xc0 + Math.floor(r() * 0x35)
      : x < 0.9 ? 0xf5 + Math.floor(r() * 11)
      : Math.floor(r() * 256);
  }
  return b;
}

/** Valid text (ASCII, accents, CJK, emoji) encoded, with invalid bytes spliced in. */
function mixedBytes(r: RandomSource, n: number): Buffer {
  const parts: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const x = r();
    const p = x < 0.6 ? Buffer.from(['a', 'é', '中', '🙂', '\n', ' '][Math.floor(r() * 6)], 'utf8') : hostileBytes(r, 1 + Math.floor(r() * 3));
    parts.push(p);
    len += p.length;
  }
  return Buffer.concat(parts);
}

describe('UTF-8 positions over invalid bytes', () => {
  it('counts code units, line feeds and the last line as TextDecoder decodes random byte strings', () => {
    const r = seededRandom(16);
    for (let round = 0; round < 20000; round++) {
      const b = round % 2 ? hostileBytes(r, 1 + Math.floor(r() * 24)) : mixedBytes(r, 1 + Math.floor(r() * 24));
      const text = decoder.decode(b);
      const span = utf16Span(b, 0, b.length);
      const hex = b.toString('hex');
      assert.equal(span.units, text.length, hex);
      assert.equal(utf16Length(b, 0, b.length), text.length, hex);
      assert.equal(span.newlines, text.split('\n').length - 1, hex);
      assert.equal(span.afterLastNewline, text.length - (text.lastIndexOf('\n') + 1), hex);
      assert.equal(span.stop, b.length);
    }
  });

  it('adds up over chunks cut anywhere, counting a cut sequence with the chunk that completes it', () => {
    const r = seededRandom(17);
    for (let round = 0; round < 5000; round++) {
      const b = mixedBytes(r, 4 + Math.floor(r() * 40));
      let units = 0;
      let from = 0;
      for (let cut = 1 + Math.floor(r() * 4); cut < b.length; cut += 1 + Math.floor(r() * 4)) {
        const span = utf16Span(b, from, cut, false);
        units += span.units;
        from = span.stop;
      }
      units += utf16Span(b, from, b.length, true).units;
      assert.equal(units, decoder.decode(b).length, b.toString('hex'));
    }
  });

  it('puts the binary-file problem at the NUL byte\'s column as the editor shows it, inside its line', () => {
    // 0xF5-0xFF are one U+FFFD each; so are a stray continuation byte and a sequence cut short.
    const b = Buffer.concat([Buffer.from('{"a":'), Buffer.from([0xf5, 0xf8, 0xfe, 0xff, 0x80, 0xe2, 0x82]), Buffer.from('x'), Buffer.from([0]), hostileBytes(seededRandom(3), 2000).map((x) => x || 1)]);
    const problems: Problem[] = [];
    for (const i of readTextRecords(b, 'jsonl')) if (i.kind === 'problem') problems.push(i.problem);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].rule, 'jsonl/binary-file');
    const before = decoder.decode(b.subarray(0, b.indexOf(0)));
    assert.equal(before, '{"a":\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDx');
    assert.equal(problems[0].column, before.length + 1);
    assert.match(problems[0].message, new RegExp(`NUL byte at line 1, column ${before.length + 1}`));
  });

  it('keeps later records at the editor\'s offsets after skipping too-large records with invalid bytes, in any chunking', async function () {
    // 20 files scanned in many chunkings: a guard against a hang, not a time limit (6.7 s alone,
    // past mocha's 20 s on a loaded machine).
    this.timeout(120_000);
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pairwise-utf8-'));
    try {
      const r = seededRandom(18);
      for (const mode of ['jsonl', 'json'] as const) {
        for (let round = 0; round < 10; round++) {
          // Multi-byte characters for the chunks to cut, and three invalid sequences (more would make
          // the file look binary). Over 8 KiB, so that the scanner (which starts after an 8 KiB
          // binary sniff) meets the array's first element before its end, as a file's reader does.
          const valid = () => Buffer.from(Array.from({ length: 1000 }, () => ['a', 'é', '中', '🙂', ' '][Math.floor(r() * 5)]).join(''), 'utf8');
          const junk = () => Buffer.concat([Buffer.from('{"t":"'), valid(), Buffer.from([0xff]), valid(), Buffer.from([0x80, 0xbf]), valid(), Buffer.from([0xf0, 0x9f]), valid(), Buffer.from('"}')]);
          const small = Buffer.from('{"ok":"é🙂"}');
          const body =
            mode === 'jsonl' ? Buffer.concat([junk(), Buffer.from('\n'), small, Buffer.from('\n'), junk(), Buffer.from('\n'), small, Buffer.from('\n')])
            : Buffer.concat([Buffer.from('[\n  '), junk(), Buffer.from(',\n  '), small, Buffer.from(',\n  '), junk(), Buffer.from(',\n  '), small, Buffer.from('\n]\n')]);
          const f = path.join(dir, `f.${mode}`);
          await fsp.writeFile(f, body);
          const recs: SourceRecord[] = [];
          await scanFile(f, { record: (rec) => void recs.push(rec), problem: () => undefined }, { chunkBytes: 3 + Math.floor(r() * 13), maxRecordBytes: 64, mode });
          const text = decoder.decode(body);
          // The small records after each skipped one, where the editor has them (a record that is
          // read whole must sit at its own text too).
          const oks = recs.filter((x) => x.text.startsWith('{"ok"'));
          assert.deepEqual(
            oks.map((x) => x.offset),
            [text.indexOf('{"ok"'), text.lastIndexOf('{"ok"')],
            `${mode}, round ${round}`,
          );
          for (const x of recs) {
            assert.equal(text.slice(x.offset, x.offset + x.text.length), x.text, `${mode}, round ${round}, record ${x.index}`);
            const lineStart = text.lastIndexOf('\n', x.offset - 1) + 1;
            assert.deepEqual([x.line, x.column], [text.slice(0, x.offset).split('\n').length, x.offset - lineStart + 1]);
          }
        }
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
