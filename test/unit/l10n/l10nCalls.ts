/**
 * The messages of every `l10n.t(...)` / `vscode.l10n.t(...)` call in a source tree, read with the
 * TypeScript parser: the same keys `@vscode/l10n-dev export` writes to l10n/bundle.l10n.json, in a
 * fraction of its time (the export parses with a WASM grammar at about half a second per file).
 * l10nCalls.test.ts checks on sample files that both agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface L10nCallScan {
  /** Message → message, as in the exported bundle. */
  messages: Map<string, string>;
  /** Calls whose message is not a plain literal: the export cannot see them, so they never get translated. */
  dynamic: string[];
}

function isL10nT(call: ts.CallExpression, sf: ts.SourceFile): boolean {
  const c = call.expression;
  return ts.isPropertyAccessExpression(c) && c.name.text === 't' && /(^|\.)l10n$/.test(c.expression.getText(sf));
}

export function scanL10nCalls(root: string, dirs: string[]): L10nCallScan {
  const messages = new Map<string, string>();
  const dynamic: string[] = [];
  const visitFile = (file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('l10n')) return;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && isL10nT(n, sf)) {
        const a = n.arguments[0];
        if (a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))) messages.set(a.text, a.text);
        else {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
          dynamic.push(`${path.relative(root, file)}:${line + 1}: ${n.getText(sf).slice(0, 80)}`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  };
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) visitFile(p);
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return { messages, dynamic };
}

/** The `{0}`-style placeholders of a message, sorted, with repeats. */
export function placeholders(message: string): string {
  return (message.match(/\{\d+\}/g) ?? []).sort().join(' ');
}
