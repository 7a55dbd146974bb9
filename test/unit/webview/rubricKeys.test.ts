/** The rubric's keyboard scheme (webview-ui/labeling/rubricKeys.ts): digits score and move on, arrows move, the last cell leaves. */
import * as assert from 'node:assert/strict';
import { digitScore, firstUnscored, moveCell, nextCell, rubricKeyAction, stepScore, withScore } from '../../../webview-ui/labeling/rubricKeys';

const press = (key: string, mods: { ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean } = {}) => ({ key, ctrlKey: false, altKey: false, metaKey: false, ...mods });
const FIVE = { min: 1, max: 5 };

describe('rubric keys', () => {
  it('a digit is its score when on the scale; 0 is 10 on a scale from 1 to 10', () => {
    assert.equal(digitScore('4', FIVE), 4);
    assert.equal(digitScore('6', FIVE), undefined);
    assert.equal(digitScore('0', FIVE), undefined);
    assert.equal(digitScore('0', { min: 1, max: 10 }), 10);
    assert.equal(digitScore('0', { min: 0, max: 10 }), 0);
    assert.equal(digitScore('a', FIVE), undefined);
  });

  it('maps keys to actions and leaves chords to the panel', () => {
    assert.deepEqual(rubricKeyAction(press('3'), FIVE), { kind: 'set', score: 3 });
    assert.deepEqual(rubricKeyAction(press('9'), FIVE), { kind: 'ignore' }, 'off the scale: swallowed, never a decision key');
    assert.deepEqual(rubricKeyAction(press('4'), { min: 0, max: 3 }), { kind: 'ignore' });
    assert.equal(rubricKeyAction(press('3', { ctrlKey: true }), FIVE), undefined);
    assert.equal(rubricKeyAction(press('z'), FIVE), undefined, 'undo and the other panel keys pass through');
    assert.deepEqual(rubricKeyAction(press('ArrowDown'), FIVE), { kind: 'move', to: 'down' });
    assert.deepEqual(rubricKeyAction(press('ArrowLeft'), FIVE), { kind: 'move', to: 'left' });
    assert.deepEqual(rubricKeyAction(press('+'), FIVE), { kind: 'step', delta: 1 });
    assert.deepEqual(rubricKeyAction(press('-'), FIVE), { kind: 'step', delta: -1 });
    assert.deepEqual(rubricKeyAction(press('Backspace'), FIVE), { kind: 'clear' });
    assert.deepEqual(rubricKeyAction(press('Escape'), FIVE), { kind: 'leave' });
  });

  it('moves left → right → next criterion, and out after the last cell', () => {
    assert.deepEqual(nextCell({ row: 0, side: 'left' }, 2), { row: 0, side: 'right' });
    assert.deepEqual(nextCell({ row: 0, side: 'right' }, 2), { row: 1, side: 'left' });
    assert.equal(nextCell({ row: 1, side: 'right' }, 2), undefined);
    assert.deepEqual(moveCell({ row: 0, side: 'right' }, 'up', 3), { row: 0, side: 'right' });
    assert.deepEqual(moveCell({ row: 2, side: 'left' }, 'down', 3), { row: 2, side: 'left' });
    assert.deepEqual(moveCell({ row: 1, side: 'left' }, 'right', 3), { row: 1, side: 'right' });
  });

  it('starts at the first cell without a score; steps stay on the scale; setting a score copies', () => {
    assert.deepEqual(firstUnscored(['a', 'b'], { left: { a: 1 }, right: { a: 2 } }), { row: 1, side: 'left' });
    assert.deepEqual(firstUnscored(['a'], { left: { a: 1 }, right: { a: 2 } }), { row: 0, side: 'left' });
    assert.equal(stepScore(undefined, 1, FIVE), 1);
    assert.equal(stepScore(undefined, -1, FIVE), 5);
    assert.equal(stepScore(5, 1, FIVE), 5);
    assert.equal(stepScore(1, -1, FIVE), 1);
    const before = { left: { a: 1 }, right: {} };
    const after = withScore(before, 'right', 'a', 4);
    assert.deepEqual(after, { left: { a: 1 }, right: { a: 4 } });
    assert.deepEqual(before.right, {});
    assert.deepEqual(withScore(after, 'left', 'a', undefined), { left: {}, right: { a: 4 } });
  });
});
