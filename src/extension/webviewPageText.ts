/**
 * The text that goes into a webview page's HTML shell (webviewHtml.ts) from outside it: the page
 * language and the l10n bundle's JSON data block. No vscode import, so the unit tests check it in
 * plain Node.
 */

/** A BCP 47 tag for `<html lang>` from VS Code's display language ("zh-cn" → "zh-CN"); anything odd → "en". */
export function htmlLang(language: string): string {
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(language) ? language.replace(/-([a-z]{2})$/i, (_, r: string) => `-${r.toUpperCase()}`) : 'en';
}

/**
 * JSON that cannot end or escape the <script> data block it sits in: every `<`, `>` and `&` is
 * written as a \u escape (still the same JSON), so a translation containing "</script>" stays text.
 */
export function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
