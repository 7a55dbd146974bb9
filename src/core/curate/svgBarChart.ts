/**
 * A bar chart as a standalone SVG string (no script, no external references), for Markdown reports
 * and the webview. All text is escaped; numbers are formatted, never interpolated raw.
 */
export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Bar fill; any CSS colour (escaped). Default a neutral blue. */
  color?: string;
  /** Axis label under the bars. */
  xLabel?: string;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function num(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 100) / 100) : '0';
}

export function svgBarChart(bars: readonly BarDatum[], opts: BarChartOptions = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 240;
  const top = opts.title ? 28 : 10;
  const bottom = opts.xLabel ? 48 : 34;
  const left = 48;
  const right = 10;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const color = escapeXml(opts.color ?? '#4a7fc1');
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="sans-serif" font-size="10">`);
  if (opts.title) parts.push(`<text x="${num(width / 2)}" y="16" text-anchor="middle" font-size="13">${escapeXml(opts.title)}</text>`);
  parts.push(`<line x1="${left}" y1="${num(top + plotH)}" x2="${num(left + plotW)}" y2="${num(top + plotH)}" stroke="#888"/>`);
  parts.push(`<text x="${left - 4}" y="${num(top + 4)}" text-anchor="end">${escapeXml(String(max))}</text>`);
  parts.push(`<text x="${left - 4}" y="${num(top + plotH)}" text-anchor="end">0</text>`);
  const n = bars.length;
  const slot = n > 0 ? plotW / n : plotW;
  const gap = Math.min(4, slot * 0.15);
  // Label every k-th bar so the labels do not overlap.
  const every = Math.max(1, Math.ceil((n * 44) / plotW));
  bars.forEach((b, i) => {
    const h = (Math.max(0, b.value) / max) * plotH;
    const x = left + i * slot + gap / 2;
    parts.push(`<rect x="${num(x)}" y="${num(top + plotH - h)}" width="${num(Math.max(1, slot - gap))}" height="${num(h)}" fill="${color}"><title>${escapeXml(`${b.label}: ${b.value}`)}</title></rect>`);
    if (i % every === 0) parts.push(`<text x="${num(x + (slot - gap) / 2)}" y="${num(top + plotH + 14)}" text-anchor="middle">${escapeXml(b.label)}</text>`);
  });
  if (opts.xLabel) parts.push(`<text x="${num(left + plotW / 2)}" y="${num(height - 8)}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
