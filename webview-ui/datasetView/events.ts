/** The Dataset View page's listeners: the query controls, the keyboard (/, j/k, arrows, Enter, Escape, T for the trainer's view), editing and scrolling. */
import type { DatasetViewContext } from './context';
import { cancelEdit, commitEdit, startEdit } from './editing';
import { applyControls, controlsFromQuery, runQuery } from './head';
import { cardOf, focusCard, refreshCard, scheduleRender } from './list';
import { toggleTrainerView } from './trainerView';

const SEARCH_DEBOUNCE_MS = 250;

export function bindEvents(ctx: DatasetViewContext): void {
  const { ui, st } = ctx;
  ui.searchInput.addEventListener('input', () => {
    if (st.searchTimer) clearTimeout(st.searchTimer);
    st.searchTimer = setTimeout(() => applyControls(ctx), SEARCH_DEBOUNCE_MS);
  });
  for (const c of [ui.regexBox.box, ui.caseBox.box, ui.errorsBox.box, ui.ruleSelect, ui.roleSelect, ui.minInput, ui.maxInput]) c.addEventListener('change', () => applyControls(ctx));
  ui.clearButton.addEventListener('click', () => {
    st.query = {};
    controlsFromQuery(ctx);
    runQuery(ctx);
  });

  ui.canvas.addEventListener('focusin', (e) => {
    const card = cardOf(e.target);
    if (card?.dataset.pos) st.focusPos = Number(card.dataset.pos);
  });
  ui.canvas.addEventListener('dblclick', (e) => {
    const t = e.target;
    if (t instanceof HTMLElement && t.classList.contains('value')) startEdit(ctx, t);
  });

  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (t instanceof HTMLTextAreaElement) {
      if (e.key === 'Escape') {
        e.preventDefault();
        cancelEdit(ctx);
      } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        commitEdit(ctx);
      }
      return;
    }
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement) {
      if (e.key === 'Escape') {
        e.preventDefault();
        t.blur();
        focusCard(ctx, st.focusPos);
      } else if (e.key === 'Enter' && t === ui.searchInput) {
        if (st.searchTimer) clearTimeout(st.searchTimer);
        applyControls(ctx);
      }
      return;
    }
    if (e.key === '/') {
      e.preventDefault();
      ui.searchInput.focus();
      ui.searchInput.select();
    } else if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      focusCard(ctx, cardOf(t) ? st.focusPos + 1 : st.focusPos);
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      focusCard(ctx, st.focusPos - 1);
    } else if ((e.key === 't' || e.key === 'T') && t.matches('article.card') && t.dataset.index) {
      e.preventDefault();
      const index = Number(t.dataset.index);
      toggleTrainerView(ctx, index);
      refreshCard(ctx, index);
      // The card is drawn again: keep the focus on it.
      requestAnimationFrame(() => focusCard(ctx, st.focusPos));
    } else if (e.key === 'Enter') {
      if (t.classList.contains('value')) {
        e.preventDefault();
        startEdit(ctx, t);
      } else if (t.matches('article.card') && t.dataset.index) {
        e.preventDefault();
        ctx.channel.post({ type: 'reveal', index: Number(t.dataset.index) });
      }
    }
  });

  ui.scroller.addEventListener('scroll', () => scheduleRender(ctx), { passive: true });
  new ResizeObserver(() => {
    st.geometry.reset(st.geometry.total);
    scheduleRender(ctx);
  }).observe(ui.scroller);
}
