/**
 * Cancellation: the one error every core operation throws when its AbortSignal aborts, and the one
 * test for it (as VS Code's CancellationError / isCancellationError), so the adapters tell "the
 * user cancelled" from a failure the same way.
 */
export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    // The name DOM's AbortController and fetch use, so code that checks names sees one cancellation.
    this.name = 'AbortError';
  }
}

/**
 * True for a cancellation: an AbortedError, an error named AbortError (fetch, the OpenAI client),
 * or one whose message is AbortedError's (an AbortedError rebuilt from a worker's reply).
 */
export function isCancellation(e: unknown): boolean {
  return e instanceof AbortedError || (e instanceof Error && (e.name === 'AbortError' || e.message === 'cancelled'));
}
