/**
 * Configures @vscode/l10n in a webview from the bundle the host embedded in the page (see
 * src/extension/webviewHtml.ts). Imported first by every webview's main.ts, so that it runs before
 * any l10n.t call; with no bundle (English, or a malformed block) l10n.t returns the English text.
 */
import * as l10n from '@vscode/l10n';

const block = document.getElementById('pairwise-l10n');
try {
  const contents: unknown = JSON.parse(block?.textContent ?? '{}');
  if (contents && typeof contents === 'object' && Object.keys(contents).length > 0) l10n.config({ contents: contents as Record<string, string> });
} catch {
  // A broken bundle must not break the view: it renders in English.
}
