/**
 * A choice the user made for one file (its format, its target trainer, its model), kept in
 * workspace state by file URI. It follows the file, or the folder holding it, when it is renamed
 * or moved in VS Code; an untitled editor's choice lives in memory only and dies with the editor
 * (the next "Untitled-1" is another document).
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';

export class PerFileChoice extends Disposable {
  private readonly untitled = new Map<string, string>();

  /** `onMoved` hears each file whose choice moved to it. */
  constructor(
    private readonly state: vscode.Memento,
    private readonly key: string,
    private readonly onMoved: (uri: vscode.Uri) => void,
  ) {
    super();
    this._register(vscode.workspace.onDidRenameFiles((e) => void this.move(e.files)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === 'untitled' && this.untitled.delete(d.uri.toString())));
  }

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(this.key) ?? {};
  }

  get(uri: vscode.Uri): string | undefined {
    const k = uri.toString();
    return uri.scheme === 'untitled' ? this.untitled.get(k) : Object.prototype.hasOwnProperty.call(this.all(), k) ? this.all()[k] : undefined;
  }

  /** Sets (or, with undefined, forgets) the file's choice. */
  async set(uri: vscode.Uri, value: string | undefined): Promise<void> {
    const k = uri.toString();
    if (uri.scheme === 'untitled') {
      if (value === undefined) this.untitled.delete(k);
      else this.untitled.set(k, value);
      return;
    }
    const all = { ...this.all() };
    if (value === undefined) delete all[k];
    else all[k] = value;
    await this.state.update(this.key, all);
  }

  private async move(files: readonly { oldUri: vscode.Uri; newUri: vscode.Uri }[]): Promise<void> {
    const all = { ...this.all() };
    const moved: vscode.Uri[] = [];
    for (const { oldUri, newUri } of files) {
      const from = oldUri.toString();
      for (const key of Object.keys(all)) {
        // The file itself, or a file inside a renamed folder.
        if (key !== from && !key.startsWith(from + '/')) continue;
        const to = newUri.toString() + key.slice(from.length);
        all[to] = all[key];
        delete all[key];
        moved.push(vscode.Uri.parse(to));
      }
    }
    if (moved.length === 0) return;
    await this.state.update(this.key, all);
    for (const uri of moved) this.onMoved(uri);
  }
}
