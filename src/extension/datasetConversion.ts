/**
 * "Pairwise: Convert Dataset Format": converts the whole file through the canonical model
 * (src/core/convert), either into a new file (atomic write, then opened) or in place as one
 * WorkspaceEdit replacing the full text, which is one undo step. A conversion that loses data asks
 * first, listing what would be lost.
 */
import { recordValueOf } from '../core/jsonl';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { convertFile, defaultOutputPath, type ConvertResult } from '../core/convert';
import type { FormatId, FormatModule } from '../core/formats';
import { allFormats } from '../core/formats';
import type { DatasetDiagnostics } from './datasetDiagnostics';

const SAMPLE = 50;

interface Target {
  format: FormatModule;
  /** Sampled records the target can hold, and those it holds only with losses. */
  held: number;
  lossy: number;
}

export interface ConvertRequest {
  /** Skips the quick picks (scripts and tests): target format and where to write. */
  to?: FormatId;
  mode?: 'new-file' | 'in-place';
  /** Accept a lossy conversion without asking. */
  allowLossy?: boolean;
}

/** A conversion's outcome; `document` names the untitled editor that holds the result of a document not on disk. */
export type ConversionResult = ConvertResult & { document?: string };

export class DatasetConversion {
  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics): void {
    const c = new DatasetConversion(diagnostics);
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.convertDataset', async (uri?: vscode.Uri, req?: ConvertRequest) => {
        try {
          return await c.run(uri, req);
        } catch (e) {
          // A refused output (a link, an input) or an unreadable file: said plainly, not as a failed command.
          void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: conversion failed: {0}', e instanceof Error ? e.message : String(e)));
          // Callers with a request (scripts, tests) get the failure itself.
          if (req) throw e;
          return undefined;
        }
      }),
    );
  }

  private constructor(private readonly diagnostics: DatasetDiagnostics) {}

  /** Formats that can hold the sampled records, best first. */
  private targets(doc: vscode.TextDocument): { from: FormatModule; targets: Target[] } | undefined {
    const state = this.diagnostics.stateOf(doc);
    const from = state?.validator.formatModule;
    if (!state || !from) return undefined;
    const canon = [];
    for (let i = 0; i < state.validator.recordCount && canon.length < SAMPLE; i++) {
      try {
        const v = recordValueOf(JSON.parse(state.validator.record(i)!.text));
        if (v) canon.push(from.toCanonical(v, state.choice.options));
      } catch {
        // A record that does not read is reported by the conversion itself.
      }
    }
    const targets: Target[] = [];
    for (const f of allFormats()) {
      if (f.id === from.id) continue;
      let held = 0;
      let lossy = 0;
      for (const c of canon) {
        try {
          const r = f.fromCanonical(c);
          if (r.record) {
            held++;
            if (r.lost.length > 0) lossy++;
          }
        } catch {
          // Cannot hold it.
        }
      }
      if (held > 0) targets.push({ format: f, held, lossy });
    }
    targets.sort((a, b) => b.held - a.held || a.lossy - b.lossy);
    return { from, targets };
  }

  async run(uri?: vscode.Uri, req: ConvertRequest = {}): Promise<ConversionResult | undefined> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a dataset file first.'));
      return undefined;
    }
    // Opened just now (a command with a URI): wait until its format is known.
    await this.diagnostics.ready(doc);
    const found = this.targets(doc);
    if (!found) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: the format of this file is not known; set it first ("Pairwise: Set Dataset Format").'));
      return undefined;
    }
    const state = this.diagnostics.stateOf(doc)!;
    let to = req.to;
    if (!to) {
      const pick = await vscode.window.showQuickPick(
        found.targets.map((t) => ({
          label: t.format.id,
          description: t.format.title,
          detail: t.lossy > 0 ? vscode.l10n.t('loses fields in {0} of {1} sampled records', t.lossy, t.held) : vscode.l10n.t('holds the {0} sampled records', t.held),
          id: t.format.id,
        })),
        { title: vscode.l10n.t('Convert {0} to…', found.from.id) },
      );
      if (!pick) return undefined;
      to = pick.id;
    }
    // A document that is not a file on disk (an untitled editor, a remote or virtual file system)
    // has no folder to write beside: its conversion opens as a new untitled editor to save anywhere.
    const onDisk = doc.uri.scheme === 'file';
    let mode = req.mode;
    if (!mode) {
      const where = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('New file'), detail: onDisk ? defaultOutputPath(doc.uri.fsPath, to) : vscode.l10n.t('A new untitled editor'), mode: 'new-file' as const },
          { label: vscode.l10n.t('Replace this file’s text'), detail: vscode.l10n.t('One edit, undone with a single Undo'), mode: 'in-place' as const },
        ],
        { title: vscode.l10n.t('Convert to {0}: where?', to) },
      );
      if (!where) return undefined;
      mode = where.mode;
    }

    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pairwise-convert-'));
    try {
      // The document as the editor has it (unsaved edits included) is the input.
      const ext = /\.json$/i.test(doc.uri.path) && state.validator.readerMode === 'json' ? '.json' : '.jsonl';
      const input = path.join(tmp, `input${ext}`);
      // A fresh private folder; 'wx' all the same: nothing is written through a name found there.
      await fsp.writeFile(input, doc.getText(), { flag: 'wx' });
      const out = mode === 'in-place' || !onDisk ? path.join(tmp, `output${ext}`) : defaultOutputPath(doc.uri.fsPath, to);
      const opts = { to, out, from: found.from.id, fromOptions: state.choice.options, mode: state.validator.readerMode };
      let result = await convertFile(input, { ...opts, allowLossy: req.allowLossy === true });
      if (result.refused && !result.out && Object.keys(result.lossCounts).length > 0 && !req.allowLossy) {
        const lost = Object.entries(result.lossCounts)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([field, n]) => `${field}: ${n}`)
          .join('\n');
        const convertAnyway = vscode.l10n.t('Convert Anyway');
        const ok = await vscode.window.showWarningMessage(
          vscode.l10n.t('Converting to {0} loses data in {1} record(s) ({2} dropped).', to, result.lossyRecords + result.droppedRecords, result.droppedRecords),
          { modal: true, detail: vscode.l10n.t('What would be lost (field: records):\n{0}', lost) },
          convertAnyway,
        );
        if (ok !== convertAnyway) return result;
        result = await convertFile(input, { ...opts, allowLossy: true });
      }
      if (!result.out) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: conversion refused: {0}.', result.refused ?? vscode.l10n.t('nothing written')));
        return result;
      }
      if (mode === 'in-place') {
        const text = await fsp.readFile(result.out, 'utf8');
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
        await vscode.workspace.applyEdit(edit);
      } else if (!onDisk) {
        const converted = await vscode.workspace.openTextDocument({ language: doc.languageId, content: await fsp.readFile(result.out, 'utf8') });
        await vscode.window.showTextDocument(converted, { preview: false });
        // The temporary output goes with the folder below; the untitled editor holds the result.
        return { ...result, out: undefined, document: converted.uri.toString() };
      } else {
        await vscode.window.showTextDocument(vscode.Uri.file(result.out), { preview: false });
      }
      return result;
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  }
}
