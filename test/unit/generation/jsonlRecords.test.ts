/** The reader of the files generation writes (candidates, journal, failures, judgements). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonlRecordStream, readJsonlRecords } from '../../../src/core/generation/jsonlRecords';
import { tempDir } from '../curate/tmpDir';

describe('generation JSONL records', () => {
  const tmp = tempDir('jsonlrec');
  const dir = tmp.dir;
  after(() => tmp.cleanup());

  it('marks a line over the cap bad without holding it, and reads on (a 600 MiB line stopped judge with a RangeError)', async () => {
    const file = path.join(dir, 'x.judgements.jsonl');
    fs.writeFileSync(file, ['{"id":"a"}', `{"id":"${'x'.repeat(5000)}"}`, '{"id":"c"}', '[1]', 'not json', '', '{"id":"d"}'].join('\r\n'));
    const items = [];
    for await (const it of jsonlRecordStream(file, 1024)) items.push(it.ok ? [it.line, it.value.id] : [it.line, 'bad']);
    assert.deepEqual(items, [[1, 'a'], [2, 'bad'], [3, 'c'], [4, 'bad'], [5, 'bad'], [7, 'd']]);
  });

  it('reads a file opening with a byte order mark, and a missing file as empty', async () => {
    const file = path.join(dir, 'bom.jsonl');
    fs.writeFileSync(file, '\ufeff{"id":"a"}\n{"id":"b"}\n');
    const ids: unknown[] = [];
    assert.deepEqual(await readJsonlRecords(file, (v) => ids.push(v.id)), { lines: 2, badLines: [] });
    assert.deepEqual(ids, ['a', 'b']);
    assert.deepEqual(await readJsonlRecords(path.join(dir, 'none.jsonl'), () => assert.fail()), { lines: 0, badLines: [] });
  });
});
