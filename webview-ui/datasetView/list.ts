/**
 * The virtual list: only the cards of the visible window plus a margin are in the DOM; the others
 * are asked of the host as they come into view. The scroll position is anchored on the first
 * visible card when measurements land above it.
 */
import * as l10n from '@vscode/l10n';
import type { DatasetViewContext } from './context';
import { GAP_PX, placeholder, renderCard } from './renderCard';
import { toggleTrainerView } from './trainerView';

const MARGIN_PX = 800;

const indexAt = (ctx: DatasetViewContext, pos: number) => (ctx.st.matches ? ctx.st.matches[pos] : pos);

function dropLive(ctx: DatasetViewContext, pos: number): void {
  const { st } = ctx;
  const item = st.live.get(pos);
  if (!item) return;
  if (st.editing && item.el.contains(st.editing.area)) return;
  item.el.remove();
  st.live.delete(pos);
}

/** Draws a record's card again (its trainer's view opened, closed or answered). */
export function refreshCard(ctx: DatasetViewContext, index: number): void {
  for (const [pos, item] of ctx.st.live) if (item.index === index) dropLive(ctx, pos);
  scheduleRender(ctx);
}

export function clearLive(ctx: DatasetViewContext): void {
  for (const pos of [...ctx.st.live.keys()]) dropLive(ctx, pos);
}

export function renderList(ctx: DatasetViewContext): void {
  const { ui, st } = ctx;
  const geo = st.geometry;
  const total = geo.total;
  ui.emptyEl.textContent = st.host && total === 0 ? (st.host.indexing.done ? l10n.t('No record matches.') : l10n.t('Indexing…')) : '';
  const top = ui.scroller.scrollTop;
  const view = ui.scroller.clientHeight || 600;
  if (total === 0) {
    clearLive(ctx);
    ui.canvas.style.height = '0px';
    return;
  }
  const first = geo.positionAt(Math.max(0, top - MARGIN_PX));
  const last = Math.min(total - 1, geo.positionAt(top + view + MARGIN_PX));
  for (const [pos, item] of st.live) if (pos < first || pos > last || item.index !== indexAt(ctx, pos) || (!item.real && st.cache.has(item.index))) dropLive(ctx, pos);
  const missing: number[] = [];
  const cardOptions = {
    readOnly: !!st.host?.readOnly,
    reveal: (index: number) => ctx.channel.post({ type: 'reveal', index }),
    trainerView: (index: number) => st.trainerViews.get(index),
    toggleTrainerView: (index: number) => {
      toggleTrainerView(ctx, index);
      refreshCard(ctx, index);
    },
    selectModel: () => ctx.channel.post({ type: 'selectModel' }),
  };
  for (let pos = first; pos <= last; pos++) {
    const index = indexAt(ctx, pos);
    const have = st.live.get(pos);
    if (have) {
      // A card kept from before a data change: shown until its fresh copy arrives.
      if (!have.real && !st.cache.has(index) && !st.requested.has(index)) missing.push(index);
      continue;
    }
    const card = st.cache.get(index);
    const node = card ? renderCard(card, pos, cardOptions) : placeholder(index, pos);
    if (!card && !st.requested.has(index)) missing.push(index);
    ui.canvas.append(node);
    st.live.set(pos, { index, el: node, real: !!card });
  }
  // Measure, then keep the first visible card where it was on screen; but a view scrolled to the
  // end stays at the end, so the last records come into view even when the cards measured there are
  // taller than the estimate (anchored on the first visible card, the end moved away with every
  // measurement, and when a render came in between, the last card left the window again).
  const atEnd = top > 0 && ui.scroller.clientHeight > 0 && top + ui.scroller.clientHeight >= ui.scroller.scrollHeight - 1;
  const anchor = geo.positionAt(top);
  const anchorShift = top - geo.offsetOf(anchor);
  for (const [pos, item] of st.live) if (item.real) geo.measure(pos, item.el.offsetHeight + GAP_PX);
  for (const [pos, item] of st.live) item.el.style.top = `${geo.offsetOf(pos)}px`;
  ui.canvas.style.height = `${geo.totalHeight()}px`;
  const wanted = atEnd ? Math.max(0, geo.totalHeight() - ui.scroller.clientHeight) : geo.offsetOf(anchor) + anchorShift;
  if (Math.abs(wanted - top) > 1) ui.scroller.scrollTop = wanted;
  if (missing.length) {
    missing.forEach((i) => st.requested.add(i));
    ctx.channel.post({ type: 'window', id: ctx.channel.newId(), indexes: missing });
  }
}

export function scheduleRender(ctx: DatasetViewContext): void {
  if (ctx.st.renderQueued) return;
  ctx.st.renderQueued = true;
  requestAnimationFrame(() => {
    ctx.st.renderQueued = false;
    renderList(ctx);
  });
}

/** Focuses the card at list position `pos` (clamped), scrolling it into view. */
export function focusCard(ctx: DatasetViewContext, pos: number): void {
  const { ui, st } = ctx;
  const geo = st.geometry;
  if (geo.total === 0) return;
  st.focusPos = Math.max(0, Math.min(geo.total - 1, pos));
  const top = geo.offsetOf(st.focusPos);
  const h = geo.heightOf(st.focusPos);
  if (top < ui.scroller.scrollTop) ui.scroller.scrollTop = top;
  else if (top + h > ui.scroller.scrollTop + ui.scroller.clientHeight) ui.scroller.scrollTop = top + h - ui.scroller.clientHeight;
  renderList(ctx);
  st.live.get(st.focusPos)?.el.focus({ preventScroll: true });
}

/** The card a node is inside. */
export function cardOf(node: EventTarget | null): HTMLElement | undefined {
  return node instanceof HTMLElement ? (node.closest('article.card') as HTMLElement | null) ?? undefined : undefined;
}
