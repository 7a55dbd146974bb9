/**
 * The DOM helpers every webview builds its page with. Text goes in through textContent only: no
 * helper here parses markup (dataset text and model output stay text).
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element with an optional class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A `type="button"` button, with its click handler when given. */
export function button(text: string, cls: string, onClick?: () => void): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

/** An SVG element with attributes and an optional text. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface TableOptions {
  /** The table's class. */
  className?: string;
  /** Columns from this one on hold numbers (class `num`, right-aligned by the stylesheet). */
  numericFrom?: number;
}

/** A table of text cells with a header row. */
export function table(headers: string[], rows: string[][], options: TableOptions = {}): HTMLTableElement {
  const numericFrom = options.numericFrom ?? Infinity;
  const cls = (i: number) => (i >= numericFrom ? 'num' : undefined);
  const t = el('table', options.className);
  const hr = el('tr');
  headers.forEach((h, i) => hr.append(el('th', cls(i), h)));
  t.append(el('thead'));
  t.tHead!.append(hr);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((c, i) => tr.append(el('td', cls(i), c)));
    body.append(tr);
  }
  t.append(body);
  return t;
}
