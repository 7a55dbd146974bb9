import * as assert from 'node:assert/strict';
import { capProblems } from '../../../src/core/validate/displayCap';
import { IncrementalValidator } from '../../../src/core/validate/incremental';
import { LinesDocument } from '../../../src/core/validate/linesDocument';
import { validateText } from '../../../src/core/validate/pipeline';
import { seededRandom } from '../../../src/core/base/random';

const rng = seededRandom;

const sharegptLines = [
  '{"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}',
  '{"conversations": [{"from": "user", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}',
  '{"conversations": [{"from": "gpt", "value": "Hi"}, {"from": "human", "value": "Hello"}]}',
  '{"conversations": [{"role": "human", "value": "Q"}, {"from": "gpt", "value": ""}]}',
  '{"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}',
  '{"conversations": [{"from": "human", "value": "Q2"}, {"from": "gpt", "value": "A2"}], "tools": "not json"}',
  '{"conversations": [{"from": "human", "value": "broken"}',
  '[1, 2]',
  '',
  '   ',
];

const preferenceLines = [
  '{"conversations": [{"from": "human", "value": "P"}], "chosen": {"from": "gpt", "value": "A"}, "rejected": {"from": "gpt", "value": "B"}}',
  '{"conversations": [{"from": "human", "value": "P"}], "chosen": {"from": "gpt", "value": "B"}, "rejected": {"from": "gpt", "value": "A"}}',
  '{"conversations": [{"from": "human", "value": "P"}], "chosen": {"from": "gpt", "value": "A"}, "rejected": {"from": "gpt", "value": "A"}}',
  '{"conversations": [{"from": "human", "value": "Q"}], "chosen": {"from": "gpt", "value": "A"}, "rejected": {"from": "gpt", "value": "B"}}',
];

function check(inc: IncrementalValidator, doc: LinesDocument, fileName: string, what: string): void {
  const text = doc.fullText();
  const full = validateText(text, { fileName, maxProblems: 1e9 });
  assert.equal(inc.format, full.format, `${what}: format`);
  assert.deepEqual(inc.problems(), full.problems, `${what}: problems\n${text}`);
  assert.deepEqual(inc.counts(), full.bySeverity, `${what}: counts`);
}

function randomLines(r: () => number, pool: string[], n: number): string[] {
  return Array.from({ length: n }, () => pool[Math.floor(r() * pool.length)]);
}

/** Random line edits of JSON Lines files, checked against the pipeline after each one. */
function randomLineEdits(seed: number, blockSize?: number, pastes = false): void {
  const r = rng(seed);
  for (const [name, pool] of [['sft.jsonl', sharegptLines], ['pref.jsonl', preferenceLines]] as const) {
    const doc = new LinesDocument(randomLines(r, [...pool], 30).join('\n'));
    const inc = new IncrementalValidator({ fileName: name, blockSize });
    inc.reset(doc.fullText());
    check(inc, doc, name, 'initial');
    for (let step = 0; step < 120; step++) {
      const kind = r();
      const line = Math.floor(r() * doc.lineCount);
      let change;
      if (pastes && r() < 0.2) {
        // Several records pasted at once, or several lines cut: blocks grow past their limit or empty.
        const n = 2 + Math.floor(r() * 8);
        change =
          r() < 0.6 || doc.lineCount <= n + 1
            ? doc.replace(line, 0, line, 0, randomLines(r, [...pool], n).join('\n') + '\n')
            : doc.replace(Math.min(line, doc.lineCount - n - 1), 0, Math.min(line, doc.lineCount - n - 1) + n, 0, '');
      } else if (kind < 0.4) {
        change = doc.replace(line, 0, line, doc.lineText(line).length, pool[Math.floor(r() * pool.length)]);
      } else if (kind < 0.6) {
        change = doc.replace(line, 0, line, 0, pool[Math.floor(r() * pool.length)] + '\n');
      } else if (kind < 0.75 && doc.lineCount > 2) {
        const end = Math.min(doc.lineCount - 1, line + 1 + Math.floor(r() * 3));
        change = doc.replace(line, 0, end, 0, '');
      } else {
        // Typing inside a line: one character in or out.
        const t = doc.lineText(line);
        const at = Math.floor(r() * (t.length + 1));
        change = r() < 0.5 || t.length === 0 ? doc.replace(line, at, line, at, r() < 0.5 ? '"' : 'x') : doc.replace(line, Math.max(0, at - 1), line, at, '');
      }
      inc.applyChanges([change], doc);
      check(inc, doc, name, `${name} step ${step}`);
    }
  }
}

describe('IncrementalValidator', () => {
  it('gives the pipeline result after random line edits of a JSON Lines file', () => {
    randomLineEdits(7);
  });

  it('gives the pipeline result when edits cross, split and empty many position blocks', () => {
    // Blocks of 1-3 records: every insertion grows one past its limit, every deletion spans several.
    for (const [seed, blockSize] of [[11, 1], [12, 2], [13, 3]]) randomLineEdits(seed, blockSize, true);
  });

  it('gives the pipeline result after edits inside the records of a compact JSON array split into tiny blocks', () => {
    const r = rng(5);
    const records = Array.from({ length: 24 }, (_, i) => (i % 5 === 2 ? { instruction: 'same', output: 'same' } : { instruction: `Task ${i}`, output: i % 7 === 3 ? i : `Answer ${i}` }));
    for (const [name, text] of [['compact.json', JSON.stringify(records)], ['pretty.json', JSON.stringify(records, null, 2)]]) {
      const doc = new LinesDocument(text);
      const inc = new IncrementalValidator({ fileName: name, blockSize: 2 });
      inc.reset(doc.fullText());
      check(inc, doc, name, 'initial');
      for (let step = 0; step < 60; step++) {
        // Typing into a string value of a random record: the record stays one element, later ones move.
        const full = doc.fullText();
        const starts = [...full.matchAll(/"(?:Task|Answer|same) ?/g)].map((m) => m.index + m[0].length);
        const at = starts[Math.floor(r() * starts.length)];
        const pos = doc.positionAt(at);
        const insert = r() < 0.3 ? 'word \\n' : 'x';
        const res = inc.applyChanges([doc.replace(pos.line, pos.character, pos.line, pos.character, insert)], doc);
        assert.equal(res.full, false, `${name} step ${step}: incremental`);
        check(inc, doc, name, `${name} step ${step}`);
      }
    }
  });

  it('keeps positions and problems right through a long run of edits near the top of a 20 000-record file', function () {
    // Five full pipeline passes over 20 000 records for comparison: slow on a loaded machine.
    this.timeout(120_000);
    const N = 20_000;
    const ok = (i: number) => `{"conversations": [{"from": "human", "value": "Q${i}"}, {"from": "gpt", "value": "A${i}"}]}`;
    const line = (i: number) =>
      i % 101 === 7 ? sharegptLines[2] : i % 157 === 3 ? sharegptLines[0] : i % 997 === 500 ? '{"conversations": [' : i % 89 === 11 ? '' : ok(i);
    const doc = new LinesDocument(Array.from({ length: N }, (_, i) => line(i)).join('\n') + '\n');
    // Blocks of 32 records, so that edits near the top cross block boundaries and grow blocks past their limit.
    const inc = new IncrementalValidator({ fileName: 'top.jsonl', blockSize: 32 });
    inc.reset(doc.fullText());
    const r = rng(21);
    let fresh = N;
    const compare = (what: string) => {
      const full = validateText(doc.fullText(), { fileName: 'top.jsonl', maxProblems: 1e9 });
      assert.equal(inc.format, full.format, `${what}: format`);
      assert.deepEqual(inc.problems(), full.problems, `${what}: problems`);
      assert.deepEqual(inc.counts(), full.bySeverity, `${what}: counts`);
      const capped = capProblems(full.problems, full.bySeverity, 100);
      const d = inc.display(100);
      assert.deepEqual(d.problems, capped.shown, `${what}: capped list`);
      assert.deepEqual(d.hidden, capped.hidden, `${what}: hidden counts`);
    };
    compare('initial');
    for (let step = 0; step < 300; step++) {
      const at = Math.floor(r() * 40);
      const kind = r();
      let change;
      if (kind < 0.35) {
        const t = doc.lineText(at);
        const k = Math.floor(r() * (t.length + 1));
        change = doc.replace(at, k, at, k, r() < 0.3 ? '"' : 'y');
      } else if (kind < 0.6) {
        const n = 1 + Math.floor(r() * 3);
        change = doc.replace(at, 0, at, 0, Array.from({ length: n }, () => line(fresh++)).join('\n') + '\n');
      } else if (kind < 0.8) {
        change = doc.replace(at, 0, at + 1 + Math.floor(r() * 2), 0, '');
      } else if (kind < 0.9) {
        change = doc.replace(at, 0, at, doc.lineText(at).length, line(fresh++));
      } else {
        // Two lines joined into one (an invalid record), moving every later record up a line.
        change = doc.replace(at, doc.lineText(at).length, at + 1, 0, ' ');
      }
      const res = inc.applyChanges([change], doc);
      assert.equal(res.full, false, `step ${step}: incremental`);
      // Records far below the edits: each at its line and offset in the edited text.
      for (const k of [Math.floor(r() * inc.recordCount), inc.recordCount - 1]) {
        const v = inc.record(k)!;
        assert.equal(v.text, doc.lineText(v.line - 1), `step ${step}: text of record ${k}`);
        assert.equal(v.offset, doc.offsetOfLine(v.line - 1), `step ${step}: offset of record ${k}`);
        assert.equal(inc.recordAt(v.offset + 3)?.index, k, `step ${step}: record at offset`);
      }
      if (step % 100 === 99) compare(`step ${step}`);
    }
    compare('end');
  });

  it('applies several changes of one event in order (multi-cursor)', () => {
    const doc = new LinesDocument(sharegptLines.slice(0, 6).join('\n') + '\n');
    const inc = new IncrementalValidator({ fileName: 'multi.jsonl' });
    inc.reset(doc.fullText());
    // VS Code reports multi-cursor edits bottom-up, each in the coordinates left by the previous one.
    const c1 = doc.replace(4, 0, 4, doc.lineText(4).length, sharegptLines[2]);
    const c2 = doc.replace(1, 0, 1, 0, sharegptLines[0] + '\n' + sharegptLines[0] + '\n');
    const c3 = doc.replace(0, 1, 0, 1, ' ');
    const res = inc.applyChanges([c1, c2, c3], doc);
    assert.equal(res.full, false);
    check(inc, doc, 'multi.jsonl', 'after three changes');
  });

  it('re-validates only the touched record of a large file', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `{"conversations": [{"from": "human", "value": "Q${i}"}, {"from": "gpt", "value": "A${i}"}]}`);
    const doc = new LinesDocument(lines.join('\n'));
    const inc = new IncrementalValidator({ fileName: 'big.jsonl' });
    inc.reset(doc.fullText());
    const res = inc.applyChanges([doc.replace(1500, 0, 1500, doc.lineText(1500).length, sharegptLines[2])], doc);
    assert.deepEqual(res, { full: false, revalidated: 1 });
    const ps = inc.problems();
    assert.equal(ps.length, 1);
    assert.equal(ps[0].rule, 'llamafactory/role-alternation');
    assert.equal(ps[0].line, 1501);
    check(inc, doc, 'big.jsonl', 'after one edit');
  });

  it('follows edits inside the records of a JSON array and falls back to a full pass for structural edits', () => {
    const records = [
      { instruction: 'Say hi', output: 'Hi' },
      { instruction: 'Add', output: '2' },
      { instruction: 'Name a colour', output: 'Blue' },
      { instruction: 'Say hi', output: 'Hi' },
    ];
    const doc = new LinesDocument(JSON.stringify(records, null, 2) + '\n');
    const inc = new IncrementalValidator({ fileName: 'arr.json' });
    inc.reset(doc.fullText());
    check(inc, doc, 'arr.json', 'initial');
    // `"output": "2"` -> `"output": 2` (line 8, 0-based 7).
    const line = doc.lineText(7);
    const at = line.indexOf('"2"');
    let res = inc.applyChanges([doc.replace(7, at, 7, at + 3, '2')], doc);
    assert.equal(res.full, false);
    check(inc, doc, 'arr.json', 'value edit');
    // Several characters typed into a string on a line shared by nothing else.
    res = inc.applyChanges([doc.replace(2, 20, 2, 20, 'abc\\n')], doc);
    assert.equal(res.full, false);
    check(inc, doc, 'arr.json', 'typing');
    // A new element after the second: structural.
    const endOfSecond = doc.lineText(8);
    res = inc.applyChanges([doc.replace(8, endOfSecond.length, 8, endOfSecond.length, '\n  {"instruction": "x", "output": "y"},')], doc);
    assert.equal(res.full, true);
    check(inc, doc, 'arr.json', 'structural');
    // Compact arrays: several records on one line; an edit shifts the columns of the later ones.
    const compact = new LinesDocument(JSON.stringify(records));
    const inc2 = new IncrementalValidator({ fileName: 'compact.json' });
    inc2.reset(compact.fullText());
    const t = compact.lineText(0);
    const k = t.indexOf('"Add"');
    res = inc2.applyChanges([compact.replace(0, k, 0, k + 5, '"Add two numbers", "history": 3')], compact);
    assert.equal(res.full, false);
    check(inc2, compact, 'compact.json', 'compact');
  });

  it('re-detects the format when the sample changes, and keeps a forced format', () => {
    const doc = new LinesDocument(['{"instruction": "a", "output": "b"}', '{"instruction": "c", "output": "d"}'].join('\n'));
    const inc = new IncrementalValidator({ fileName: 'd.jsonl' });
    inc.reset(doc.fullText());
    assert.equal(inc.format, 'alpaca');
    inc.applyChanges([doc.replace(0, 0, 1, doc.lineText(1).length, sharegptLines[0] + '\n' + sharegptLines[0])], doc);
    assert.equal(inc.format, 'sharegpt');
    check(inc, doc, 'd.jsonl', 'redetected');
    const forced = new IncrementalValidator({ fileName: 'd.jsonl', format: 'openai-chat' });
    forced.reset(doc.fullText());
    assert.equal(forced.format, 'openai-chat');
    assert.ok(forced.problems().length > 0);
  });

  it('lists errors before warnings when the display is capped', () => {
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) lines.push(`{"instruction": "same", "output": "same"}`);
    for (let i = 0; i < 30; i++) lines.push(`{"instruction": "x${i}", "output": ${i}}`);
    const inc = new IncrementalValidator({ fileName: 'cap.jsonl' });
    inc.reset(lines.join('\n'));
    const d = inc.display(40);
    assert.equal(d.problems.length, 40);
    assert.equal(d.problems.filter((p) => p.severity === 'error').length, 30);
    assert.equal(d.total.error, 30);
    assert.equal(d.total.warning, 49);
    assert.deepEqual(d.hidden, { error: 0, warning: 39, info: 0 });
  });

  it('finds the record at an offset', () => {
    const text = '{"a": 1}\n\n{"b": 2}\n';
    const inc = new IncrementalValidator({ fileName: 'r.jsonl' });
    inc.reset(text);
    assert.equal(inc.recordAt(12)?.index, 1);
    assert.equal(inc.recordAt(12)?.line, 3);
    assert.equal(inc.recordAt(9), undefined);
    assert.equal(inc.record(0)?.text, '{"a": 1}');
  });
});
