/** The Dataset View's file index over a Parquet file: rows served by row group, not by byte range. */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { FileRecordIndex } from '../../../src/core/datasetIndex/fileRecordIndex';

describe('Dataset View index of a Parquet file', () => {
  let dir: string;
  let index: FileRecordIndex | undefined;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-pq-index-'));
  });
  afterEach(async () => {
    await index?.close();
    index = undefined;
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('serves the cards of rows in several row groups, with the problems of their rows', async () => {
    const n = 25;
    const file = path.join(dir, 'chat.parquet');
    const messages = Array.from({ length: n }, (_, i) => [
      { role: 'user', content: `question ${i}` },
      // Row 18 ends on a user turn: an error of that row.
      ...(i === 17 ? [] : [{ role: 'assistant', content: `answer ${i}` }]),
    ]);
    await fsp.writeFile(file, Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'messages', data: messages, type: 'JSON' }], rowGroupSize: 4 })));
    index = FileRecordIndex.open(file);
    await index.completed;
    const s = index.summary();
    assert.equal(s.records, n);
    assert.equal(s.format, 'openai-chat');
    const cards = await index.cards([0, 5, 17, 24, 99]);
    assert.deepEqual(cards.map((c) => c.index), [0, 5, 17, 24]);
    assert.deepEqual(cards.map((c) => c.value), [0, 5, 17, 24].map((i) => ({ messages: messages[i] })));
    assert.deepEqual(cards.map((c) => c.line), [1, 6, 18, 25]);
    assert.ok(cards[2].problems.some((p) => p.severity === 'error'), JSON.stringify(cards[2].problems));
    assert.deepEqual(cards[0].problems, []);
    const re = await index.query({ search: 'answer 1[0-9]', regex: true });
    assert.deepEqual(re.matches, [10, 11, 12, 13, 14, 15, 16, 18, 19]);
    const found = await index.query({ search: 'answer 2' });
    assert.deepEqual(found.matches, [2, 20, 21, 22, 23, 24]);
  });
});
