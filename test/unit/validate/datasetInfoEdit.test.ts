/** One dataset_info.json entry edited in the file's own text: everything else keeps its bytes. */
import * as assert from 'node:assert/strict';
import { withDatasetInfoEntry } from '../../../src/core/datasetInfo/datasetInfoEdit';

const ENTRY = { file_name: 'new.jsonl', formatting: 'sharegpt' };

describe('dataset_info.json entry edit', () => {
  it('a new file: the one entry, two-space indented', () => {
    const r = withDatasetInfoEntry(undefined, 'dataset_info.json', 'new', ENTRY);
    assert.equal(r.text, '{\n  "new": {\n    "file_name": "new.jsonl",\n    "formatting": "sharegpt"\n  }\n}\n');
    assert.equal(r.had, false);
  });

  it('CRLF, tabs and a BOM stay; other entries keep their bytes; a new entry goes last', () => {
    const text = '\uFEFF{\r\n\t"a": {"file_name": "a.json"},\r\n\t"b": {\r\n\t\t"file_name": "b.json"\r\n\t}\r\n}\r\n';
    const r = withDatasetInfoEntry(text, 'dataset_info.json', 'new', ENTRY);
    assert.ok(r.text.startsWith('\uFEFF{\r\n\t"a": {"file_name": "a.json"},\r\n\t"b": {\r\n\t\t"file_name": "b.json"\r\n\t}'), r.text);
    assert.ok(!/[^\r]\n/.test(r.text), 'no bare LF');
    assert.ok(r.text.includes('\r\n\t"new": {\r\n\t\t"file_name": "new.jsonl",'), r.text);
    assert.deepEqual(Object.keys(JSON.parse(r.text.slice(1)) as object), ['a', 'b', 'new']);
  });

  it('an existing entry is replaced where it stands, and the previous one is returned', () => {
    const text = '{\n    "a": {"file_name": "a.json"},\n    "new": {"file_name": "old.json"},\n    "z": {"file_name": "z.json"}\n}\n';
    const r = withDatasetInfoEntry(text, 'dataset_info.json', 'new', ENTRY);
    assert.equal(r.had, true);
    assert.deepEqual(r.previous, { file_name: 'old.json' });
    assert.deepEqual(Object.keys(JSON.parse(r.text) as object), ['a', 'new', 'z']);
    assert.deepEqual((JSON.parse(r.text) as Record<string, unknown>).new, ENTRY);
    assert.ok(r.text.startsWith('{\n    "a": {"file_name": "a.json"},\n    "new": '));
    assert.ok(r.text.endsWith('    "z": {"file_name": "z.json"}\n}\n'));
  });

  it('refuses what LLaMA-Factory could not load, naming the file', () => {
    assert.throws(() => withDatasetInfoEntry('{"a": {},}', 'x/dataset_info.json', 'n', ENTRY), /x\/dataset_info\.json is not valid JSON/);
    assert.throws(() => withDatasetInfoEntry('[1]', 'dataset_info.json', 'n', ENTRY), /must hold a JSON object of dataset entries/);
  });
});
