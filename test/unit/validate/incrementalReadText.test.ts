import * as assert from 'node:assert/strict';
import { IncrementalValidator } from '../../../src/core/validate/incremental';
import { LinesDocument } from '../../../src/core/validate/linesDocument';
import { seededRandom } from '../../../src/core/base/random';

describe('IncrementalValidator, text the reader sees differently', () => {
  it('checks an edited record as the reader will see it (a lone surrogate reads as U+FFFD)', () => {
    // The reader sees a lone surrogate as U+FFFD (UTF-8 cannot hold it); the first pass keeps the
    // document's text except where the two differ, and an edited record must be checked the same way,
    // or a record with a lone surrogate stops being a duplicate of its copy once it is edited.
    const pool = [
      '{"instruction": "lone \ud800 high", "output": "x"}',
      '{"instruction": "real \ufffd replacement", "output": "x"}',
      '{"instruction": "same", "output": "same"}',
      '{"instruction": "emoji 😀", "output": "é"}',
      '{"instruction": "broken"',
    ];
    const r = seededRandom(21);
    const doc = new LinesDocument(Array.from({ length: 12 }, () => pool[Math.floor(r() * pool.length)]).join('\n'));
    const inc = new IncrementalValidator({ fileName: 'odd.jsonl' });
    inc.reset(doc.fullText());
    for (let step = 0; step < 40; step++) {
      const line = 1 + Math.floor(r() * (doc.lineCount - 2));
      // Join a line to the next (the record above is re-read from its kept text), or split it again.
      const change = r() < 0.5 ? doc.replace(line, doc.lineText(line).length, line + 1, 0, '') : doc.replace(line, 0, line, 0, pool[Math.floor(r() * pool.length)] + '\n');
      inc.applyChanges([change], doc);
      const fresh = new IncrementalValidator({ fileName: 'odd.jsonl' });
      fresh.reset(doc.fullText());
      assert.deepEqual(inc.problems(), fresh.problems(), `step ${step}\n${doc.fullText()}`);
    }
  });
});
