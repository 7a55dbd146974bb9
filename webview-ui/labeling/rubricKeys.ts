/**
 * The rubric's keyboard scheme, pure (no DOM, unit-tested in plain Node). The rubric is a grid: a
 * row per criterion, a cell for the left and one for the right response. In a cell, a digit sets
 * the score and moves on (left → right → the next criterion's left; after the last cell the focus
 * leaves the rubric so the decision keys work again), ↑/↓ change criterion, ←/→ change response,
 * +/− step the score, Backspace/Delete clear it, Esc/Enter leave the rubric.
 */
import type { RubricScoresView } from '../../src/protocol/labelingRubric';

export type Side = 'left' | 'right';

export interface Cell {
  row: number;
  side: Side;
}

export interface Scale {
  min: number;
  max: number;
}

/** What a key press in a cell does. */
export type RubricKeyAction =
  | { kind: 'set'; score: number }
  | { kind: 'clear' }
  | { kind: 'step'; delta: 1 | -1 }
  | { kind: 'move'; to: 'up' | 'down' | 'left' | 'right' }
  | { kind: 'leave' }
  /** A digit off the scale: swallowed, so it never reaches the decision keys (4 is "both bad"). */
  | { kind: 'ignore' };

/** The score a digit stands for: the digit itself; on a scale reaching 10 that starts above 0, `0` is 10. */
export function digitScore(key: string, scale: Scale): number | undefined {
  if (!/^[0-9]$/.test(key)) return undefined;
  let v = Number(key);
  if (v === 0 && scale.min > 0 && scale.max === 10) v = 10;
  return v >= scale.min && v <= scale.max ? v : undefined;
}

/** The action of a key pressed in a rubric cell (modifier chords are left to the panel). */
export function rubricKeyAction(e: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean }, scale: Scale): RubricKeyAction | undefined {
  if (e.ctrlKey || e.altKey || e.metaKey) return undefined;
  const score = digitScore(e.key, scale);
  if (score !== undefined) return { kind: 'set', score };
  if (/^[0-9]$/.test(e.key)) return { kind: 'ignore' };
  switch (e.key) {
    case 'ArrowUp':
      return { kind: 'move', to: 'up' };
    case 'ArrowDown':
      return { kind: 'move', to: 'down' };
    case 'ArrowLeft':
      return { kind: 'move', to: 'left' };
    case 'ArrowRight':
      return { kind: 'move', to: 'right' };
    case '+':
    case '=':
      return { kind: 'step', delta: 1 };
    case '-':
      return { kind: 'step', delta: -1 };
    case 'Backspace':
    case 'Delete':
      return { kind: 'clear' };
    case 'Escape':
    case 'Enter':
      return { kind: 'leave' };
    default:
      return undefined;
  }
}

/** The cell an arrow key leads to (staying inside the grid). */
export function moveCell(c: Cell, to: 'up' | 'down' | 'left' | 'right', rows: number): Cell {
  if (to === 'left' || to === 'right') return { row: c.row, side: to };
  const row = Math.max(0, Math.min(rows - 1, c.row + (to === 'up' ? -1 : 1)));
  return { row, side: c.side };
}

/** The cell after a score is given: the other response of the criterion, then the next criterion; undefined after the last. */
export function nextCell(c: Cell, rows: number): Cell | undefined {
  if (c.side === 'left') return { row: c.row, side: 'right' };
  return c.row + 1 < rows ? { row: c.row + 1, side: 'left' } : undefined;
}

/** Where `r` (or a click into the rubric) starts: the first cell without a score, else the first cell. */
export function firstUnscored(criteria: readonly string[], s: RubricScoresView): Cell {
  for (let row = 0; row < criteria.length; row++) {
    for (const side of ['left', 'right'] as const) if (!(criteria[row] in s[side])) return { row, side };
  }
  return { row: 0, side: 'left' };
}

/** A score one step up or down, within the scale; from no score, + starts at the bottom and − at the top. */
export function stepScore(current: number | undefined, delta: 1 | -1, scale: Scale): number {
  if (current === undefined) return delta > 0 ? scale.min : scale.max;
  return Math.max(scale.min, Math.min(scale.max, current + delta));
}

/** The scores with one cell set (a number) or cleared (undefined), as a new object. */
export function withScore(s: RubricScoresView, side: Side, criterion: string, score: number | undefined): RubricScoresView {
  const next: RubricScoresView = { left: { ...s.left }, right: { ...s.right } };
  if (score === undefined) delete next[side][criterion];
  else next[side][criterion] = score;
  return next;
}
