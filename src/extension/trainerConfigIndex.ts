/**
 * The trainer configs and scripts of the workspace (Axolotl, torchtune, LLaMA-Factory and ms-swift
 * YAML, ms-swift shell scripts, xtuner and TRL Python files) and the dataset files they name, kept
 * current as they change. Configs are read as text and never run; symbolic links, files over 1 MB
 * and files whose real path is outside the workspace folders (reached through a linked folder,
 * which file search follows) are skipped, so a planted link cannot point the reader outside the
 * workspace; a dataset_info.json outside them is not read either. Reading is
 * harmless in Restricted Mode: a config only makes a trainer the target, it runs nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configReferences, isConfigCandidate, MAX_CONFIG_BYTES, targetFromConfigs, type ConfigReference, type ConfigVerdict } from '../core/trainerConfigs';
import { Disposable } from './disposable';

const GLOB = '**/*.{yaml,yml,py,sh}';
const EXCLUDE = '**/{node_modules,.git,.venv,venv,__pycache__,site-packages,.vscode-test}/**';
/** A workspace with more candidate files than this is read up to it (the rest is not looked at). */
const MAX_FILES = 3000;

/** True when the real path `real` is one of `realRoots` or inside one. */
function inside(real: string, realRoots: readonly string[]): boolean {
  return realRoots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

/** The real paths of the workspace folders on disk (a folder that is itself a link counts as its target). */
function realRoots(roots: readonly string[]): string[] {
  return roots.flatMap((r) => {
    try {
      return [fs.realpathSync(r)];
    } catch {
      return [];
    }
  });
}

/** `dir/dataset_info.json`, when it is a plain file inside the workspace folders and small enough. */
function datasetInfoReader(roots: readonly string[]): (dir: string) => string | undefined {
  const real = realRoots(roots);
  return (dir) => {
    try {
      const p = path.join(dir, 'dataset_info.json');
      const st = fs.lstatSync(p);
      return st.isFile() && st.size <= MAX_CONFIG_BYTES && inside(fs.realpathSync(p), real) ? fs.readFileSync(p, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}

export class TrainerConfigIndex extends Disposable {
  private readonly byConfig = new Map<string, ConfigReference[]>();
  /** Per scan under way: the configs created, changed or deleted since it started. */
  private readonly touchedDuringScans = new Set<Set<string>>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when what the configs name may have changed. */
  readonly onDidChange = this.changed.event;
  private ready: Promise<void>;

  static register(context: vscode.ExtensionContext): TrainerConfigIndex {
    const index = new TrainerConfigIndex();
    context.subscriptions.push(index);
    return index;
  }

  private constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(GLOB));
    this._register(watcher.onDidCreate((u) => void this.update(u)));
    this._register(watcher.onDidChange((u) => void this.update(u)));
    this._register(watcher.onDidDelete((u) => void this.update(u)));
    // LLaMA-Factory configs name datasets through dataset_info.json: read them again when one changes.
    const info = this._register(vscode.workspace.createFileSystemWatcher('**/dataset_info.json'));
    const rescan = () => void (this.ready = this.scanAll());
    this._register(info.onDidCreate(rescan));
    this._register(info.onDidChange(rescan));
    this._register(info.onDidDelete(rescan));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(rescan));
    this.ready = this.scanAll();
  }

  private roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  private async scanAll(): Promise<void> {
    // A file created or changed while the scan runs is read by update() at once and kept as read
    // then: a scan that is slow (a busy search service) must neither hold that up nor undo it.
    const touched = new Set<string>();
    this.touchedDuringScans.add(touched);
    let files: vscode.Uri[];
    try {
      files = await vscode.workspace.findFiles(GLOB, EXCLUDE, MAX_FILES);
    } catch {
      this.touchedDuringScans.delete(touched);
      return;
    }
    // The configs known already are read again too: a file search that has not caught up with a
    // new file must not drop it (one that is gone reads as naming nothing).
    const paths = new Set([...files.map((u) => u.fsPath), ...this.byConfig.keys()]);
    const next = new Map<string, ConfigReference[]>();
    await Promise.all(
      [...paths].map(async (p) => {
        const refs = await this.refsOf(vscode.Uri.file(p));
        if (refs.length) next.set(p, refs);
      }),
    );
    this.touchedDuringScans.delete(touched);
    for (const p of touched) {
      const refs = this.byConfig.get(p);
      if (refs) next.set(p, refs);
      else next.delete(p);
    }
    this.byConfig.clear();
    for (const [p, refs] of next) this.byConfig.set(p, refs);
    this.changed.fire();
  }

  /** The dataset files a config names ([] when it is not one, or gone, unreadable, a link, too big, outside the workspace). */
  private async refsOf(uri: vscode.Uri): Promise<ConfigReference[]> {
    if (uri.scheme !== 'file' || !isConfigCandidate(uri.fsPath)) return [];
    try {
      const st = await fs.promises.lstat(uri.fsPath);
      const roots = this.roots();
      if (st.isFile() && st.size <= MAX_CONFIG_BYTES && inside(await fs.promises.realpath(uri.fsPath), realRoots(roots))) {
        const text = await fs.promises.readFile(uri.fsPath, 'utf8');
        return configReferences(uri.fsPath, text, { roots, readDatasetInfo: datasetInfoReader(roots) });
      }
    } catch {
      // Gone or unreadable: it names nothing.
    }
    return [];
  }

  private async update(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !isConfigCandidate(uri.fsPath)) return;
    for (const t of this.touchedDuringScans) t.add(uri.fsPath);
    const refs = await this.refsOf(uri);
    const had = this.byConfig.has(uri.fsPath);
    if (refs.length) this.byConfig.set(uri.fsPath, refs);
    else this.byConfig.delete(uri.fsPath);
    if (had || refs.length > 0) this.changed.fire();
  }

  /** What the workspace's configs say about `uri`; undefined when none names it. */
  async verdictFor(uri: vscode.Uri): Promise<ConfigVerdict | undefined> {
    if (uri.scheme !== 'file') return undefined;
    // The first scan of a large workspace must not hold up a file's first diagnostics: after half a
    // second they go ahead with what is indexed, and the scan's end (onDidChange) checks them again.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)))]);
    clearTimeout(timer);
    return targetFromConfigs([...this.byConfig.values()].flat(), uri.fsPath);
  }
}
