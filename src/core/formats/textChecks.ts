/** Cheap string predicates used by every format's rules on the hot path (no allocation for normal text). */

function isWhiteCode(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** True for '' and whitespace-only text. Looks at the first character before trimming. */
export function isBlank(s: string): boolean {
  if (s.length === 0) return true;
  if (!isWhiteCode(s.charCodeAt(0))) return false;
  return s.trim().length === 0;
}

/** Levenshtein distance capped at `max` + 1 (only used on the rare error path for misspelt keys). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Serialises like Python's `json.dumps(value, ensure_ascii=False)` (", " and ": " separators), the
 * style LLaMA-Factory's own datasets use for `tools` and `function_call` values, so that parsing and
 * re-serialising them round-trips byte for byte.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map(pythonJsonDumps).join(', ') + ']';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    parts.push(JSON.stringify(k) + ': ' + pythonJsonDumps(v));
  }
  return '{' + parts.join(', ') + '}';
}

/** Parses JSON text, returning `undefined` instead of throwing. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
