/**
 * Which response goes left: random per pair, so position bias cannot favour a model, and seeded by
 * the session seed and pair id, so a reloaded panel shows the same sides.
 */
import { seededBit } from '../base/random';

/** True when the canonical response `a` is shown on the left. */
export function leftIsA(pairId: string, sessionSeed: string): boolean {
  return seededBit(`${sessionSeed}\u0000${pairId}`);
}
