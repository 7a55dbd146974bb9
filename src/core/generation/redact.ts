/**
 * Removes API keys from any text before it reaches a file, a log line, a progress event or an
 * error the user sees: the configured keys themselves, anything shaped like an OpenAI-style
 * secret (`sk-…`), and the value of any bearer or api-key header, whatever echoed it (a proxy, a
 * misconfigured server, an exception message).
 */

export const REDACTED = '[REDACTED]';

// `(?!\[REDACTED\])`: a value already replaced is left as it is. Text passes the redactor more
// than once (a reason redacted by the pool is redacted again by the job, then by the output
// channel), and "[REDACTED" would otherwise be taken for a value and gain a "]" each time.
const PATTERNS: [RegExp, string][] = [
  // `Authorization: Bearer abc`, `"Bearer abc"`, `bearer=abc`
  [/\b(Bearer)\s+(?!\[REDACTED\])[^\s"',;}\]]+/gi, `$1 ${REDACTED}`],
  // OpenAI-style secrets: sk-..., sk-proj-..., sess-...; also Anthropic/others that share the prefix.
  [/\b(sk|sess|rk)-[A-Za-z0-9_-]{8,}/g, REDACTED],
  // `api-key: xyz`, `"api_key": "xyz"`, `x-api-key=xyz`
  [/\b((?:x-)?api[-_]?key)(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])[^\s"',;}\]]+/gi, `$1$2${REDACTED}`],
];

export class Redactor {
  private readonly secrets: string[] = [];

  constructor(secrets: Iterable<string | undefined | null> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Registers a secret to remove verbatim. Very short values are ignored: they would mangle ordinary text. */
  addSecret(secret: string | undefined | null): void {
    if (!secret || secret.length < 6 || this.secrets.includes(secret)) return;
    this.secrets.push(secret);
    // Longest first, so a key that contains another is removed whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  }

  /** A redacted one-line description of anything thrown. */
  describe(error: unknown): string {
    return this.redact(describeError(error));
  }
}

export function redact(text: string, secrets: Iterable<string | undefined | null> = []): string {
  return new Redactor(secrets).redact(text);
}

/** Causes followed below an error: the openai client wraps fetch's error, which wraps the real one ("response larger than …"). */
const MAX_CAUSES = 4;

function describeError(error: unknown): string {
  if (error instanceof Error) {
    let text = error.message || error.name;
    let cause = (error as { cause?: unknown }).cause;
    for (let depth = 0; depth < MAX_CAUSES && cause instanceof Error; depth++) {
      if (cause.message && !text.includes(cause.message)) text += ` (${cause.message})`;
      cause = (cause as { cause?: unknown }).cause;
    }
    return text.replace(/\s+/g, ' ').trim();
  }
  try {
    return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
