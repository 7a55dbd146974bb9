/** One-line descriptions of a job's progress, shared by the CLI's stderr line and the VS Code notification. */
import type { JobProgress } from './jobMeter';

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(n);
}

export function formatCost(p: Pick<JobProgress, 'cost' | 'unpricedModels'>): string | undefined {
  if (p.cost === undefined) return undefined;
  const c = p.cost < 0.01 ? p.cost.toFixed(4) : p.cost.toFixed(2);
  return `$${c}${p.unpricedModels.length ? ` (+ unpriced: ${p.unpricedModels.join(', ')})` : ''}`;
}

/** e.g. `12/40 · 1 failed · 3.2 req/s · 1.2k→4.5k tokens · $0.0031` */
export function progressLine(p: JobProgress, unit = ''): string {
  const parts = [`${p.done}${p.total !== undefined ? `/${p.total}` : ''}${unit}`];
  if (p.failures) parts.push(`${p.failures} failed`);
  parts.push(`${p.requestsPerSecond.toFixed(1)} req/s`);
  parts.push(`${compact(p.tokensIn)}→${compact(p.tokensOut)} tokens`);
  const cost = formatCost(p);
  if (cost) parts.push(cost);
  return parts.join(' · ');
}
