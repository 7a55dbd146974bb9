/**
 * The group decoder of valid UTF-8 lines gives exactly what Buffer#toString('utf8') gives, line
 * by line: on every kind of character (1 to 4 bytes, surrogate pairs, U+FEFF, noncharacters), CRLF
 * ends, blank and skipped lines, lines across group boundaries and lines too large to group.
 */
import * as assert from 'node:assert/strict';
import { ValidUtf8Lines, groupDecoding } from '../../../src/core/jsonl/validUtf8Lines';
import { RecordScanner } from '../../../src/core/jsonl/recordScanner';
import type { SourceRecord } from '../../../src/core/jsonl/sourceRecord';
import { seededRandom, type RandomSource } from '../../../src/core/base/random';

/** Characters of every UTF-8 length, and the ones decoders get wrong. */
const ALPHABET = ['a', 'Z', ' ', '"', '\\', '\t', 'é', 'ß', 'Σ', 'ж', '中', '数', 'ア', '한', '\u2028', '\ufeff', '\ufffe', '\uffff', '\ufffd', '😀', '𝄞', '\u{10ffff}', '\u0a00', '\u0100'];

function randomText(r: RandomSource, n: number, asciiOnly = false): string {
  let s = '';
  for (let i = 0; i < n; i++) s += asciiOnly ? String.fromCharCode(0x20 + Math.floor(r() * 0x5f)) : ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

/** Lines with their byte spans: [start, stop, nl] as the scanner asks for them. */
function linesOf(bytes: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  let s = 0;
  for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, s)) {
    let stop = nl;
    if (stop > s && bytes[stop - 1] === 0x0d) stop--;
    out.push([s, stop, nl]);
    s = nl + 1;
  }
  return out;
}

function makeInput(r: RandomSource, lines: number, maxLength: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    const kind = r();
    const text = kind < 0.1 ? '' : randomText(r, Math.floor(r() * maxLength), kind < 0.3);
    parts.push(text + (r() < 0.3 ? '\r\n' : '\n'));
  }
  return Buffer.from(parts.join(''), 'utf8');
}

describe('ValidUtf8Lines', () => {
  it('decodes by groups where buffer.transcode exists (Node built with ICU)', () => {
    // Not a check of the result (the tests below are): a Node without ICU would silently lose the speed.
    assert.equal(groupDecoding, true);
  });

  it('gives toString(utf8) of every line, across many groups, with random skips', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = seededRandom(seed);
      const bytes = makeInput(r, 400, seed % 2 ? 40 : 2000);
      const decoder = new ValidUtf8Lines(bytes, bytes.length);
      for (const [s, e, nl] of linesOf(bytes)) {
        // Skipped lines: the scanner does not ask for blank ones, nor for those too large.
        if (e === s || r() < 0.1) continue;
        assert.equal(decoder.text(s, e, nl), bytes.toString('utf8', s, e), `seed ${seed}, line at byte ${s}`);
      }
    }
  });

  it('copies the bytes of a group that is all ASCII, and transcodes the next one that is not', () => {
    const r = seededRandom(5);
    // About 100 KB of ASCII lines (more than a group), then lines with other characters, then ASCII again.
    const ascii = Array.from({ length: 300 }, () => randomText(r, 300, true));
    const other = Array.from({ length: 300 }, () => randomText(r, 300));
    const bytes = Buffer.from([...ascii, ...other, ...ascii].map((l, i) => l + (i % 3 ? '\n' : '\r\n')).join(''), 'utf8');
    const decoder = new ValidUtf8Lines(bytes, bytes.length);
    for (const [s, e, nl] of linesOf(bytes)) if (e > s) assert.equal(decoder.text(s, e, nl), bytes.toString('utf8', s, e));
  });

  it('starts after a BOM or at any line, and stops at the given end', () => {
    const body = Buffer.from('{"a":"é"}\n\n  \r\n{"b":"中"}\r\nnot asked\n', 'utf8');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body, Buffer.from('{"c":"\u00e9')]);
    const end = bytes.lastIndexOf(0x0a) + 1;
    const decoder = new ValidUtf8Lines(bytes, end);
    const lines = linesOf(bytes.subarray(0, end)).map(([s, e, nl]) => [s === 0 ? 3 : s, e, nl]);
    assert.equal(decoder.text(lines[0][0], lines[0][1], lines[0][2]), '{"a":"é"}');
    assert.equal(decoder.text(lines[3][0], lines[3][1], lines[3][2]), '{"b":"中"}');
  });

  it('decodes a line larger than a group, and one too large to group, as toString does', () => {
    const r = seededRandom(7);
    const huge = randomText(r, 4_000_000); // about 9.7 MB of UTF-8, over MAX_GROUP_BYTES: decoded line by line
    const big = randomText(r, 50_000); // more than one group
    const bytes = Buffer.from(`short é\n${big}\r\n${huge}\nafter 中\n`, 'utf8');
    const decoder = new ValidUtf8Lines(bytes, bytes.length);
    for (const [s, e, nl] of linesOf(bytes)) assert.equal(decoder.text(s, e, nl), bytes.toString('utf8', s, e));
  });

  it('gives the scanner the same records as decoding line by line', () => {
    const r = seededRandom(11);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(i % 97 === 0 ? '   ' : JSON.stringify({ i, text: randomText(r, Math.floor(r() * 300), i % 3 === 0) }));
    const bytes = Buffer.from(lines.map((l, i) => l + (i % 5 ? '\n' : '\r\n')).join(''), 'utf8');
    const records: SourceRecord[] = [];
    // Small reads: lines cut by chunk ends take the line-by-line path, whole ones the group path.
    const scanner = new RecordScanner('jsonl', { record: (rec) => records.push(rec), problem: (p) => assert.fail(p.message) }, { chunkBytes: 4096 });
    for (let at = 0; at < bytes.length; ) {
      scanner.prepareForRead();
      const n = Math.min(scanner.free, bytes.length - at, 4096);
      bytes.copy(scanner.buffer, scanner.end, at, at + n);
      scanner.end += n;
      at += n;
      scanner.process();
    }
    scanner.finish();
    const expected = lines.filter((l) => l.trim() !== '');
    assert.equal(records.length, expected.length);
    records.forEach((rec, k) => {
      assert.equal(rec.text, expected[k]);
      assert.deepEqual(rec.value, JSON.parse(expected[k]));
    });
  });
});
