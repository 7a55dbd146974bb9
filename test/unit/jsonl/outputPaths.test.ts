/**
 * Outputs never replace an input nor each other, through every path a user can name them by
 * (relative, through a symbolic link to the file or to its folder), and one file has one writing
 * job at a time. The core functions refuse before anything is written.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputClaims, OutputPathError, refuseUnsafeOutputs, samePath } from '../../../src/core/jsonl/outputPaths';
import { convertFile } from '../../../src/core/convert/convertFile';
import { dedupeFile } from '../../../src/core/curate/dedupe';
import { filterFile, filterFileOffThread } from '../../../src/core/curate/filter';
import { mergeFiles } from '../../../src/core/curate/merge';
import { sampleFile } from '../../../src/core/curate/sample';
import { jsonl, tempDir } from '../curate/tmpDir';

const alpaca = (i: number) => ({ instruction: `Question ${i}`, input: '', output: `Answer ${i}` });

describe('output paths: no output over an input, one writer per file', () => {
  const tmp = tempDir('outputs');
  after(() => tmp.cleanup());

  it('samePath sees through relative paths and symbolic links, to the file and to a folder of a file not yet written', () => {
    const file = tmp.file('data.jsonl', jsonl([alpaca(1)]));
    const link = path.join(tmp.dir, 'link.jsonl');
    fs.symlinkSync(file, link);
    const dirLink = path.join(tmp.dir, 'dirlink');
    fs.symlinkSync(tmp.dir, dirLink);
    assert.ok(samePath(file, link));
    assert.ok(samePath(file, path.relative(process.cwd(), file)));
    assert.ok(samePath(path.join(tmp.dir, 'new.jsonl'), path.join(dirLink, 'new.jsonl')), 'a file not yet written, through a linked folder');
    assert.ok(!samePath(file, path.join(tmp.dir, 'other.jsonl')));
  });

  it('refuseUnsafeOutputs names the output that is an input, or that two outputs share', () => {
    const file = path.join(tmp.dir, 'data.jsonl');
    assert.throws(() => refuseUnsafeOutputs([file], [path.join(tmp.dir, 'ok.jsonl'), path.join(tmp.dir, 'link.jsonl')]), (e: Error) => e instanceof OutputPathError && /link\.jsonl is an input; inputs are never overwritten/.test(e.message));
    assert.throws(() => refuseUnsafeOutputs([file], [path.join(tmp.dir, 'a.jsonl'), path.join(tmp.dir, 'dirlink', 'a.jsonl')]), /two outputs would be written to .*a\.jsonl/);
    assert.doesNotThrow(() => refuseUnsafeOutputs([file], [path.join(tmp.dir, 'a.jsonl'), path.join(tmp.dir, 'b.jsonl')]));
  });

  it('OutputClaims: a second job on a held file is refused, claiming nothing; released on success and on failure', async () => {
    const claims = new OutputClaims();
    const a = path.join(tmp.dir, 'a.jsonl');
    const b = path.join(tmp.dir, 'b.jsonl');
    const release = claims.claim([a]);
    assert.throws(() => claims.claim([b, path.join(tmp.dir, 'dirlink', 'a.jsonl')]), (e: Error) => e instanceof OutputPathError && /another Pairwise job is writing a\.jsonl/.test(e.message));
    // The refused claim took nothing: b is free.
    claims.claim([b])();
    release();
    release(); // twice is harmless
    await assert.rejects(claims.with([a], () => Promise.reject(new Error('job failed'))), /job failed/);
    assert.equal(await claims.with([a], () => Promise.resolve(7)), 7, 'a failed job released its file');
  });

  it('every curation writer refuses an output that is its input, and leaves the input as it was', async () => {
    const text = jsonl([1, 2, 3, 4, 1].map(alpaca));
    const input = tmp.file('input.jsonl', text);
    const link = path.join(tmp.dir, 'input-link.jsonl');
    fs.symlinkSync(input, link);
    const refused = /is an input; inputs are never overwritten/;
    await assert.rejects(sampleFile(input, { n: 2, out: link }), refused);
    await assert.rejects(filterFile(input, { criteria: { maxTokens: 5 }, out: input }), refused);
    await assert.rejects(filterFile(input, { criteria: { maxTokens: 5 }, removedOut: link }), refused);
    await assert.rejects(filterFileOffThread(input, { criteria: { regex: { field: 'prompt', pattern: /1/ } }, out: input }), refused);
    await assert.rejects(dedupeFile(input, { out: input }), refused);
    await assert.rejects(dedupeFile(input, { report: link }), refused);
    await assert.rejects(mergeFiles([input, tmp.file('other.jsonl', jsonl([alpaca(9)]))], { to: 'alpaca', out: link }), refused);
    await assert.rejects(convertFile(input, { to: 'sharegpt', out: input }), refused);
    await assert.rejects(dedupeFile(input, { out: path.join(tmp.dir, 'same.jsonl'), report: path.join(tmp.dir, 'same.jsonl') }), /two outputs would be written/);
    assert.equal(fs.readFileSync(input, 'utf8'), text);
    assert.deepEqual(fs.readdirSync(tmp.dir).filter((n) => n.endsWith('.tmp') || n.startsWith('same')), []);
  });

  it('dedupe whose report folder does not exist fails without leaving the kept file or a temporary file', async () => {
    const dir = path.join(tmp.dir, 'dedupe-missing');
    fs.mkdirSync(dir);
    const input = path.join(dir, 'in.jsonl');
    fs.writeFileSync(input, jsonl([1, 2, 1].map(alpaca)));
    await assert.rejects(dedupeFile(input, { report: path.join(dir, 'missing', 'report.jsonl') }), /ENOENT/);
    assert.deepEqual(fs.readdirSync(dir), ['in.jsonl']);
  });
});
