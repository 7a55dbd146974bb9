/**
 * What the Dataset View filters and searches on, taken from one parsed record: the chat roles it
 * contains, how many characters of text it holds, and its text for search. The walk is iterative
 * and bounded, so hostile nesting cannot overflow the stack.
 */

import { chatSide, hasOwn, type ChatSide } from '../formats/roleNames';

/** Keys whose string value names a speaker rather than holding text. */
const ROLE_KEYS = ['role', 'from'] as const;
const MAX_NODES = 200_000;

/** Role names found in the record's messages (`{role|from: string, ...}` objects), lower-cased. */
export function recordRoles(value: unknown): string[] {
  const roles = new Set<string>();
  walk(value, (node) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const o = node as Record<string, unknown>;
    for (const k of ROLE_KEYS) {
      const r = o[k];
      if (typeof r === 'string' && r.length > 0 && r.length <= 64 && ('content' in o || 'value' in o)) roles.add(r.toLowerCase());
    }
  });
  return [...roles];
}

/** The side of the chat each speaker of the record's messages is drawn on, by its name as written. */
export function roleSides(value: unknown): Record<string, ChatSide> {
  // No prototype: a speaker named "__proto__" is a key like any other.
  const sides = Object.create(null) as Record<string, ChatSide>;
  walk(value, (node) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const o = node as Record<string, unknown>;
    for (const k of ROLE_KEYS) {
      const r = o[k];
      if (typeof r === 'string' && r.length > 0 && r.length <= 64 && !hasOwn(sides, r)) sides[r] = chatSide(r);
    }
  });
  return sides;
}

/** Characters of text in the record: every string value except role names (keys do not count). */
export function recordChars(value: unknown): number {
  let n = 0;
  forEachText(value, (s) => (n += s.length));
  return n;
}

/** Every string value of the record except role names, in document order. */
export function forEachText(value: unknown, fn: (text: string) => void): void {
  walk(value, (node, key) => {
    if (typeof node === 'string' && !(key !== undefined && (ROLE_KEYS as readonly string[]).includes(key))) fn(node);
  });
}

/** The record's text for search: its string values joined by newlines. */
export function searchText(value: unknown): string {
  const parts: string[] = [];
  forEachText(value, (s) => parts.push(s));
  return parts.join('\n');
}

function walk(root: unknown, visit: (node: unknown, key: string | undefined) => void): void {
  const stack: [unknown, string | undefined][] = [[root, undefined]];
  let seen = 0;
  // Pushed in reverse so that values are visited in document order.
  while (stack.length > 0 && seen++ < MAX_NODES) {
    const [node, key] = stack.pop()!;
    visit(node, key);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], key]);
    } else if (node && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], entries[i][0]]);
    }
  }
}

/** Assigns each role name seen in a file one bit, so a record's roles fit in a 32-bit mask. */
export class RoleTable {
  private readonly bits = new Map<string, number>();

  mask(roles: readonly string[]): number {
    let m = 0;
    for (const r of roles) {
      let b = this.bits.get(r);
      if (b === undefined) {
        if (this.bits.size >= 32) continue; // more than 32 distinct roles: the rest are not filterable
        b = this.bits.size;
        this.bits.set(r, b);
      }
      m |= 1 << b;
    }
    return m >>> 0;
  }

  /** The bit of a role, or 0 when the file has no such role. */
  bit(role: string): number {
    const b = this.bits.get(role.toLowerCase());
    return b === undefined ? 0 : (1 << b) >>> 0;
  }

  names(): string[] {
    return [...this.bits.keys()];
  }
}
