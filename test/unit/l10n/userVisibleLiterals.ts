/**
 * Finds user-visible text written as a plain literal instead of going through l10n: a TypeScript AST
 * scan of the places VS Code's API (and the webviews' DOM) shows text to the user. Strings without
 * words (codicons like "$(check)", numbers, punctuation, file names, setting and command ids) are fine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface LiteralFinding {
  file: string;
  line: number;
  column: number;
  where: string;
  text: string;
}

/** Calls whose string arguments (all of them: message and buttons) are shown. */
const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
/** Calls whose options object carries shown texts; items of a quick pick too. */
const OPTION_CALLS = new Set(['showInputBox', 'showQuickPick', 'withProgress', 'report', 'showOpenDialog', 'showSaveDialog', 'createStatusBarItem']);
/** Object properties that hold text shown to the user wherever they appear in extension code. */
const TEXT_PROPS = new Set(['prompt', 'placeHolder', 'placeholder', 'title', 'label', 'description', 'detail', 'tooltip', 'openLabel', 'saveLabel', 'validationMessage']);
/** Property assignments (`x.text = '…'`) that put text on screen. */
const ASSIGNED_PROPS = new Set(['text', 'tooltip', 'placeholder', 'title', 'prompt', 'textContent', 'validationMessage', 'description', 'detail', 'label']);

/** True when the text has words a translator must see. */
export function hasWords(text: string): boolean {
  const t = text
    .replace(/\$\([\w~-]+\)/g, ' ') // codicons
    .replace(/\{\d+\}/g, ' ')
    .replace(/\b[\w*.-]+\.(jsonl|json|ya?ml|md|py|txt|vsix)\b/gi, ' ') // file names and globs
    .replace(/\bpairwise(\.\w+)+\b/g, ' ') // setting and command ids
    .replace(/\bhttps?:\/\/\S+/g, ' ');
  return /\p{L}{2,}/u.test(t);
}

function literalTexts(e: ts.Expression): string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isTemplateExpression(e)) return [e.head.text, ...e.templateSpans.map((s) => s.literal.text)];
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return literalTexts(e.expression);
  if (ts.isConditionalExpression(e)) return [...literalTexts(e.whenTrue), ...literalTexts(e.whenFalse)];
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.PlusToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...literalTexts(e.left), ...literalTexts(e.right)];
  }
  return [];
}

function calleeName(call: ts.CallExpression): string | undefined {
  const c = call.expression;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  if (ts.isIdentifier(c)) return c.text;
  return undefined;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  return p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
}

/** Every shown-text literal of one source file. `webview` switches to the DOM rules of webview-ui. */
export function scanSource(file: string, text: string, webview: boolean): LiteralFinding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: LiteralFinding[] = [];
  // A node reached by two rules (a quick pick item is also an object literal) is reported once.
  const seen = new Set<ts.Node>();
  const flag = (e: ts.Expression, where: string) => {
    if (seen.has(e)) return;
    seen.add(e);
    for (const t of literalTexts(e)) {
      if (!hasWords(t)) continue;
      const { line, character } = sf.getLineAndCharacterOfPosition(e.getStart(sf));
      out.push({ file, line: line + 1, column: character + 1, where, text: t });
      return;
    }
  };
  const flagObject = (o: ts.Expression, where: string) => {
    if (ts.isArrayLiteralExpression(o)) {
      for (const el of o.elements) if (ts.isObjectLiteralExpression(el)) flagObject(el, where);
      else flag(el, `${where} item`);
      return;
    }
    if (!ts.isObjectLiteralExpression(o)) return;
    for (const p of o.properties) {
      const name = propName(p);
      if (name && ts.isPropertyAssignment(p) && (TEXT_PROPS.has(name) || name === 'message' || name === 'text')) flag(p.initializer, `${where} ${name}`);
    }
  };
  const visit = (n: ts.Node): void => {
    if (webview) {
      // DOM: textContent / placeholder / title assigned a literal; el(tag, cls, 'text'); setAttribute('aria-label' | 'title' | 'placeholder', 'text').
      if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.EqualsToken || n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) && ts.isPropertyAccessExpression(n.left)) {
        if (['textContent', 'placeholder', 'title', 'innerText'].includes(n.left.name.text)) flag(n.right, `.${n.left.name.text} =`);
      } else if (ts.isCallExpression(n)) {
        const name = calleeName(n);
        if ((name === 'el' || name === 'svg') && n.arguments.length >= 3) flag(n.arguments[2], `${name}() text`);
        else if (name === 'button' && n.arguments.length >= 1) flag(n.arguments[0], 'button() text');
        else if (name === 'createTextNode' && n.arguments.length >= 1) flag(n.arguments[0], 'createTextNode()');
        else if (name === 'setAttribute' && n.arguments.length >= 2 && ts.isStringLiteral(n.arguments[0]) && ['aria-label', 'title', 'placeholder', 'alt'].includes(n.arguments[0].text)) {
          flag(n.arguments[1], `setAttribute('${n.arguments[0].text}')`);
        }
      }
    } else if (ts.isCallExpression(n)) {
      const name = calleeName(n);
      if (name && MESSAGE_CALLS.has(name)) {
        for (const a of n.arguments) if (ts.isObjectLiteralExpression(a)) flagObject(a, `${name} option`);
        else flag(a, `${name}()`);
      } else if (name && OPTION_CALLS.has(name)) {
        for (const a of n.arguments) flagObject(a, `${name}()`);
      } else if (name === 'createWebviewPanel' && n.arguments.length >= 2) flag(n.arguments[1], 'createWebviewPanel() title');
    } else if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        const name = propName(p);
        if (name && ts.isPropertyAssignment(p) && TEXT_PROPS.has(name)) flag(p.initializer, `{ ${name} }`);
      }
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && ASSIGNED_PROPS.has(n.left.name.text)) {
      flag(n.right, `.${n.left.name.text} =`);
    }
    // Inside l10n.t(...) literals are exactly what we want: do not descend.
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 't' && /l10n$/.test(n.expression.expression.getText(sf))) return;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Scans every .ts file under `dir` (recursively). */
export function scanTree(root: string, dir: string, webview: boolean): LiteralFinding[] {
  const out: LiteralFinding[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(...scanSource(path.relative(root, p), fs.readFileSync(p, 'utf8'), webview));
    }
  };
  walk(path.join(root, dir));
  return out;
}
