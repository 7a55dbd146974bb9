/**
 * Polls a condition inside the extension host until it holds or the time is up. An async probe is
 * awaited (its promise, always truthy, once ended every wait at the first poll).
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * How long a test may wait for a real webview to load and answer. Usually about a second, but in a
 * browser VS Code loads every webview through one service worker (webview/browser/pre), and a new
 * view's worker takes over only once the previous one has settled its pending requests: a resource
 * request of a view closed while still loading is given up after 30 s (`resolveTimeout` in
 * pre/service-worker.js). Under load a test that closes such a view left the next one blank for
 * about 28 s (measured: 4 of 16 runs, 28.1-28.8 s; the others 1.2-2.1 s).
 */
export const WEBVIEW_LOAD_TIMEOUT_MS = 60_000;
