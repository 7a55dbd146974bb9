import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../../src/core/jsonl/lineIndex';

describe('LineIndex', () => {
  const text = 'first\r\nsecond\n\nfourth é\nlast';

  it('maps offsets to lines and columns and back', () => {
    const idx = LineIndex.fromText(text);
    assert.equal(idx.lineCount, 5);
    for (let off = 0; off <= text.length; off++) {
      const { line, column } = idx.positionAt(off);
      assert.equal(idx.offsetAt(line, column), off);
      const before = text.slice(0, off);
      assert.equal(line, before.split('\n').length);
      assert.equal(column, before.length - before.lastIndexOf('\n'));
    }
    assert.equal(idx.lineEnd(1, text), 5);
    assert.equal(text.slice(idx.lineStart(4), idx.lineEnd(4, text)), 'fourth é');
  });

  it('indexes a file in byte offsets, in chunks', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-idx-'));
    try {
      const f = path.join(dir, 'a.jsonl');
      await fsp.writeFile(f, text);
      const idx = await LineIndex.fromFile(f, 3);
      const buf = Buffer.from(text);
      assert.deepEqual(idx, LineIndex.fromBuffer(buf));
      assert.equal(buf.subarray(idx.lineStart(4), idx.lineEnd(4)).toString(), 'fourth é');
      assert.equal(idx.lineStart(5), buf.length - 4);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
