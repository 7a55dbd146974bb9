/**
 * The sessions a restored labeling or rank panel may reopen, kept on the host (workspace state).
 * A panel restored after a reload used to take its files from the page's saved state (the log to
 * append decisions to, the input, the logs beside it, the rubric): a page that was compromised
 * could name `~/.bashrc` as the log. Now the page's state only names which session it showed (its
 * log) and where it was in it (the pair, a rewrite being typed); the files are those a command the
 * user ran opened the session on, as recorded here when it opened.
 */
import type { Memento } from 'vscode';
import type { LabelingResume } from '../protocol/labeling';

/** What a session opened on: everything of a resume but the progress the page keeps. */
type Grant = Omit<LabelingResume, 'index' | 'rewrite'> & { view: string };

const KEY = 'pairwise.panelSessions';
/** Sessions remembered per workspace, the most recently opened kept. */
const MAX_GRANTS = 50;

export class PanelGrants {
  constructor(private readonly memento: Pick<Memento, 'get' | 'update'>) {}

  /** Records the session `resume` opened on (a panel opened by a command, or its files changed by the host). */
  async record(view: string, resume: LabelingResume): Promise<void> {
    const { index: _index, rewrite: _rewrite, ...files } = resume;
    const grant: Grant = { ...structuredClone(files), view };
    const others = this.all().filter((g) => !(g.view === view && g.logPath === resume.logPath));
    await this.memento.update(KEY, [grant, ...others].slice(0, MAX_GRANTS));
  }

  /**
   * The resume of a restored panel: the recorded session whose log the page names, with the page's
   * progress; undefined when no command opened a session on that log in this workspace.
   */
  restore(view: string, page: LabelingResume): LabelingResume | undefined {
    const grant = this.all().find((g) => g.view === view && g.logPath === page.logPath);
    if (!grant) return undefined;
    const { view: _view, ...files } = structuredClone(grant);
    const progress: Pick<LabelingResume, 'index' | 'rewrite'> = {};
    if (Number.isInteger(page.index) && (page.index as number) >= 0) progress.index = page.index;
    if (page.rewrite !== undefined) progress.rewrite = page.rewrite;
    return { ...files, ...progress };
  }

  private all(): Grant[] {
    const v = this.memento.get<unknown>(KEY);
    return Array.isArray(v) ? (v.filter((g) => !!g && typeof g === 'object' && typeof (g as Grant).logPath === 'string' && typeof (g as Grant).view === 'string') as Grant[]) : [];
  }
}

let current: PanelGrants | undefined;

/** The grants of this window's workspace (set when the panels register, at activation). */
export function panelGrants(): PanelGrants {
  if (!current) throw new Error('panel grants used before the panels were registered');
  return current;
}

export function initPanelGrants(memento: Pick<Memento, 'get' | 'update'>): void {
  current = new PanelGrants(memento);
}
