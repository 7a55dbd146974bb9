import * as assert from 'node:assert/strict';
import { historyParts } from '../../../webview-ui/labeling/historyParts';
import { DEFAULT_KEYS } from '../../../src/protocol/labeling';
import { indexKeys, parseKeyName } from '../../../webview-ui/labeling/logic/keys';

describe('labeling webview: multi-turn history', () => {
  it('earlier turns apart from the latest user turn; system messages aside; a single turn has no earlier part', () => {
    const p = historyParts([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'r1' },
      { role: 'user', content: 'q2' },
      { role: 'tool', content: 't' },
    ]);
    assert.deepEqual(p.system.map((m) => m.content), ['S']);
    assert.deepEqual(p.earlier.map((m) => m.content), ['q1', 'r1']);
    assert.deepEqual(p.latest.map((m) => m.content), ['q2', 't']);
    assert.deepEqual(historyParts([{ role: 'user', content: 'only' }]).earlier, []);
  });

  it('the turn keys are bound and reach their actions, no other action shares them', () => {
    const index = indexKeys(DEFAULT_KEYS);
    for (const k of DEFAULT_KEYS.turnNext) assert.equal(index.get(parseKeyName(k)), 'turnNext');
    for (const k of DEFAULT_KEYS.turnPrevious) assert.equal(index.get(parseKeyName(k)), 'turnPrevious');
    const all = Object.values(DEFAULT_KEYS).flat().map(parseKeyName);
    assert.equal(new Set(all).size, all.length, 'every default key names one action');
  });
});
