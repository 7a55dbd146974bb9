/**
 * A restored labeling or rank panel reopens the files its session was opened on, never files its
 * page's saved state names (src/extension/panelGrants.ts). The store is workspace state: a Map here,
 * behind the two Memento methods the class uses.
 */
import * as assert from 'node:assert/strict';
import { PanelGrants } from '../../../src/extension/panelGrants';
import type { LabelingResume } from '../../../src/protocol/labeling';

function memento(): { get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const m = new Map<string, unknown>();
  return {
    get: <T>(key: string) => structuredClone(m.get(key)) as T | undefined,
    update: async (key: string, value: unknown) => void m.set(key, structuredClone(value)),
  };
}

const opened: LabelingResume = {
  input: { kind: 'sft', path: '/ws/data/a.jsonl', pathB: '/ws/data/b.jsonl', format: 'alpaca' },
  logPath: '/ws/data/a.labels.jsonl',
  annotator: 'ana',
  otherLogs: ['/ws/data/a.bo.labels.jsonl'],
  rubric: '/ws/data/a.rubric.yaml',
};

describe('panel grants: what a restored panel may reopen', () => {
  it('reopens the recorded files with the page\'s progress (pair, rewrite draft)', async () => {
    const g = new PanelGrants(memento());
    await g.record('pairwise.labeling', { ...opened, index: 3 });
    const rewrite = { pair: 'p1', side: 'a', text: 'draft' } as unknown as LabelingResume['rewrite'];
    assert.deepEqual(g.restore('pairwise.labeling', { ...opened, index: 7, rewrite }), { ...opened, index: 7, rewrite });
  });

  it('a page naming files its session was not opened on gets the recorded ones, or nothing', async () => {
    const g = new PanelGrants(memento());
    await g.record('pairwise.labeling', opened);
    // Same log, other files: the recorded ones come back.
    const tampered: LabelingResume = { ...opened, annotator: 'x$(touch /tmp/pwned)', input: { kind: 'candidates', path: '/etc/passwd' }, otherLogs: ['/home/u/.ssh/id_rsa'], rubric: '/home/u/.aws/credentials', index: -4 };
    assert.deepEqual(g.restore('pairwise.labeling', tampered), opened);
    // A log no command opened, or one opened in the other panel kind: nothing to reopen.
    assert.equal(g.restore('pairwise.labeling', { ...opened, logPath: '/home/u/.bashrc' }), undefined);
    assert.equal(g.restore('pairwise.ranking', opened), undefined);
  });

  it('keeps a session\'s latest files and the 50 sessions opened last', async () => {
    const g = new PanelGrants(memento());
    await g.record('pairwise.labeling', opened);
    await g.record('pairwise.labeling', { ...opened, otherLogs: [...opened.otherLogs, '/ws/data/a.cy.labels.jsonl'] });
    assert.deepEqual(g.restore('pairwise.labeling', opened)?.otherLogs, [...opened.otherLogs, '/ws/data/a.cy.labels.jsonl']);
    for (let i = 0; i < 50; i++) await g.record('pairwise.ranking', { ...opened, logPath: `/ws/r${i}.labels.jsonl` });
    assert.equal(g.restore('pairwise.labeling', opened), undefined, 'the oldest session went');
    assert.ok(g.restore('pairwise.ranking', { ...opened, logPath: '/ws/r0.labels.jsonl' }));
  });
});
