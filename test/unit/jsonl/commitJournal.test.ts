/**
 * The journal of an output set is data in a folder the user may not trust: recovery honours only a
 * journal beside one of its outputs, renames only temps named after their targets onto targets that
 * are what they were when the journal was written, and never follows a link.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recoverOutputSets, writeJournal } from '../../../src/core/jsonl/commitJournal';
import { HOST_TAG, removeStaleTemps } from '../../../src/core/jsonl/tempFiles';
import { sweepOutputDir } from '../../../src/core/jsonl/atomicWrite';

describe('output set journals', () => {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-journal-'));
    dir = path.join(root, 'workspace');
    outside = path.join(root, 'elsewhere');
    fs.mkdirSync(dir);
    fs.mkdirSync(outside);
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  const temp = (target: string) => path.join(path.dirname(target), `.${path.basename(target)}.99999999.${HOST_TAG}00000000.tmp`);

  /** Old outputs a and b, their new temps and the set's journal. */
  async function journaledSet(a: string, b: string): Promise<string[]> {
    fs.writeFileSync(a, 'old a\n');
    fs.writeFileSync(b, 'old b\n');
    fs.writeFileSync(temp(a), 'new a\n');
    fs.writeFileSync(temp(b), 'new b\n');
    return writeJournal([{ temp: temp(a), target: a }, { temp: temp(b), target: b }]);
  }

  it('rolls a journal forward: every rename not done yet, then the journal goes', async () => {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    await journaledSet(a, b);
    fs.renameSync(temp(a), a); // the killed run got this far
    assert.deepEqual(await recoverOutputSets(dir), [b]);
    assert.deepEqual([fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8')], ['new a\n', 'new b\n']);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.jsonl', 'b.jsonl']);
  });

  /** `dedupe data/d.jsonl -o clean/d.jsonl`: the kept file in one folder, the report in another, journaled. */
  async function twoFolderSet(): Promise<{ a: string; b: string; journals: string[] }> {
    const a = path.join(dir, 'kept.jsonl');
    const b = path.join(outside, 'report.jsonl');
    return { a, b, journals: await journaledSet(a, b) };
  }

  it('a set across two folders: each holds the journal, so the sweep of either rolls the set forward instead of taking its temp for litter', async () => {
    const { a, b, journals } = await twoFolderSet();
    assert.deepEqual(journals.map((j) => path.dirname(j)), [dir, outside]);
    fs.renameSync(temp(a), a); // the killed run got this far
    // The next write into the report's folder sweeps it first: temps of dead processes go, journals before them.
    await sweepOutputDir(outside);
    assert.deepEqual([fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8')], ['new a\n', 'new b\n']);
    assert.deepEqual([fs.readdirSync(dir), fs.readdirSync(outside)], [['kept.jsonl'], ['report.jsonl']]);
  });

  it('a set whose journal did not reach every folder, and whose temp there was swept, stays the old set whole', async () => {
    const { a, b, journals } = await twoFolderSet();
    fs.unlinkSync(journals[1]); // killed before the second copy was written
    assert.deepEqual(await removeStaleTemps(outside), [path.basename(temp(b))]);
    assert.deepEqual(await recoverOutputSets(dir), []);
    assert.deepEqual([fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8')], ['old a\n', 'old b\n']);
    assert.deepEqual([fs.readdirSync(dir), fs.readdirSync(outside)], [['kept.jsonl'], ['report.jsonl']]);
  });

  it('leaves a target the user changed since the journal alone, and removes its temp', async () => {
    const a = path.join(dir, 'a.jsonl');
    fs.writeFileSync(a, 'old a\n');
    fs.writeFileSync(temp(a), 'new a\n');
    const b = path.join(dir, 'b.jsonl');
    fs.writeFileSync(temp(b), 'new b\n');
    await writeJournal([{ temp: temp(a), target: a }, { temp: temp(b), target: b }]);
    fs.writeFileSync(a, 'edited by hand, longer than before\n');
    fs.writeFileSync(b, 'created since\n');
    assert.deepEqual(await recoverOutputSets(dir), []);
    assert.equal(fs.readFileSync(a, 'utf8'), 'edited by hand, longer than before\n');
    assert.equal(fs.readFileSync(b, 'utf8'), 'created since\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.jsonl', 'b.jsonl']);
  });

  it('ignores a planted journal: one naming targets in another folder, a temp not named after its target, a link as temp or journal', async () => {
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'victim\n');
    fs.writeFileSync(temp(victim), 'planted\n');
    const plant = (name: string, renames: unknown[]) => fs.writeFileSync(path.join(dir, name), JSON.stringify({ pairwiseOutputSet: 1, renames }));
    const st = fs.lstatSync(victim, { bigint: true });
    const before = { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) };
    plant(`.pairwise-commit.1.${HOST_TAG}00000001.json`, [{ temp: temp(victim), target: victim, before }]);
    const inside = path.join(dir, 'data.jsonl');
    plant(`.pairwise-commit.1.${HOST_TAG}00000002.json`, [{ temp: path.join(dir, 'innocent.txt'), target: inside, before: null }]);
    fs.writeFileSync(path.join(dir, 'innocent.txt'), 'not a temp\n');
    fs.symlinkSync(temp(victim), temp(inside));
    plant(`.pairwise-commit.1.${HOST_TAG}00000003.json`, [{ temp: temp(inside), target: inside, before: null }]);
    fs.writeFileSync(path.join(outside, 'journal.json'), JSON.stringify({ pairwiseOutputSet: 1, renames: [{ temp: temp(victim), target: victim, before }] }));
    fs.symlinkSync(path.join(outside, 'journal.json'), path.join(dir, `.pairwise-commit.1.${HOST_TAG}00000004.json`));
    assert.deepEqual(await recoverOutputSets(dir), []);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'victim\n');
    assert.equal(fs.readFileSync(temp(victim), 'utf8'), 'planted\n');
    assert.equal(fs.existsSync(inside), false);
  });
});
