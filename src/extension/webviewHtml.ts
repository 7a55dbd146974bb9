/**
 * The HTML shell of every Pairwise webview: a strict Content-Security-Policy that allows only our
 * own bundled script (by nonce) and stylesheet, no inline script, no remote anything. Dataset text
 * and model output are inserted by the script as text nodes, never as HTML.
 * The l10n bundle of the display language travels in a JSON data block (not executed, so the CSP
 * needs no exception); webview-ui/l10nBundle.ts reads it before anything renders.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { htmlLang, jsonForScriptBlock } from './webviewPageText';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only the built webview code and our CSS may be loaded: never the workspace or the home folder.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${bundle}.css`));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    // Neither falls back to default-src: without them an injected <form> could post to any URL and
    // an injected <base> could redirect the relative URLs of the page.
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${htmlLang(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${title.replace(/[<>&"]/g, '')}</title>
</head>
<body>
<div id="app" role="main"></div>
<script type="application/json" id="pairwise-l10n">${jsonForScriptBlock(vscode.l10n.bundle ?? {})}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
