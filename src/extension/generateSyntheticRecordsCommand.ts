/**
 * "Pairwise: Generate Synthetic Records": new records in the dataset's own format, appended to it
 * (src/core/generation/syntheticJob.ts: one record per request from a topic and seed records,
 * validated by the formats engine, exact and near duplicates dropped, resumable). Interactive on
 * the active dataset (or a picked file); with an argument object (`GenerateSyntheticArgs`) it asks
 * nothing but key consent, which is how tests and automation run it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FormatId } from '../core/formats';
import { isFormatId } from '../core/formats';
import { formatCost, runSyntheticJob, syntheticJobPaths, type SyntheticProgress } from '../core/generation';
import { AbortedError } from '../core/base';
import { generationDefaults, readEndpoints, readPrices, type ResolvedEndpoint } from './endpointSettings';
import { activeFilePath, askNumber, pathOfArg, pickFile, type ModelChoice } from './generationInputs';
import type { GenerationServices } from './generationServices';

export interface GenerateSyntheticArgs {
  /** Dataset path (or file URI string); new records are appended to it. */
  input: string;
  topic: string;
  count: number;
  /** Seed records shown per request (default 3). */
  seedCount?: number;
  target: ModelChoice;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  /** Read the dataset as this format instead of detecting it. */
  format?: FormatId;
  /** Near-duplicate Jaccard threshold (default 0.8). */
  nearThreshold?: number;
  /** Add `count` more even if an earlier run of the same job reached it. */
  restart?: boolean;
  /** Cancels the job like the notification's Cancel button. */
  signal?: AbortSignal;
}

export interface SyntheticRunSummary {
  input: string;
  format: FormatId;
  cancelled: boolean;
  stoppedEarly?: string;
  progress: SyntheticProgress;
  rejectedReport: string;
  warnings: string[];
}

/** Files the job writes itself, or other generation outputs: not datasets to add records to. */
const NOT_A_DATASET = /\.(labels|judgements|candidates)\.jsonl$|\.(progress|failures|rejected)\.jsonl$|\.synthetic\.|\.job\.json$/i;

function isDatasetPath(p: string): boolean {
  return /\.(jsonl|json)$/i.test(p) && !NOT_A_DATASET.test(p) && path.basename(p) !== 'dataset_info.json';
}

/** One endpoint/model pair (the shared picker's placeholder speaks of a judge). */
async function pickTarget(endpoints: ResolvedEndpoint[], title: string): Promise<ModelChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: ModelChoice };
  const items: Item[] = [];
  for (const e of endpoints) {
    if (e.problems.length || e.config.models.length === 0) continue;
    items.push({ label: e.config.name, kind: vscode.QuickPickItemKind.Separator });
    for (const model of e.config.models) {
      const where = e.workspaceConfigured ? vscode.l10n.t('{0} · from workspace settings', e.config.name) : e.config.name;
      items.push({ label: model, description: where, detail: e.config.baseURL, choice: { endpoint: e.config.name, model } });
    }
  }
  if (!items.some((i) => i.choice)) {
    const manage = vscode.l10n.t('Manage Endpoints');
    const pick = await vscode.window.showInformationMessage(vscode.l10n.t('No endpoint with models is configured (setting pairwise.endpoints).'), manage);
    if (pick === manage) await vscode.commands.executeCommand('pairwise.manageEndpoints');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Model that writes the new records'), matchOnDescription: true });
  return pick?.choice;
}

export class GenerateSyntheticRecordsCommand {
  static register(context: vscode.ExtensionContext, services: GenerationServices): GenerateSyntheticRecordsCommand {
    const c = new GenerateSyntheticRecordsCommand(services);
    context.subscriptions.push(vscode.commands.registerCommand('pairwise.generateSyntheticRecords', (arg?: unknown) => c.run(arg)));
    return c;
  }

  private constructor(private readonly services: GenerationServices) {}

  async run(arg?: unknown): Promise<SyntheticRunSummary | undefined> {
    if (!this.services.ensureTrusted()) return undefined;
    try {
      const args = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as GenerateSyntheticArgs) : undefined;
      return args ? await this.runWith(args) : await this.interactive(pathOfArg(arg));
    } catch (e) {
      const msg = this.services.output.describe(e);
      this.services.output.appendLine(`generate synthetic records failed: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Generate Synthetic Records: {0}', msg));
      return undefined;
    }
  }

  private async interactive(given?: string): Promise<SyntheticRunSummary | undefined> {
    const title = vscode.l10n.t('Generate Synthetic Records');
    const active = activeFilePath();
    const input = given ?? (active && isDatasetPath(active) ? active : await pickFile(vscode.l10n.t('{0}: dataset to add records to', title), isDatasetPath));
    if (!input) return undefined;
    const topic = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} for {1}', title, path.basename(input)),
      prompt: vscode.l10n.t('What should the new records be about? (The model also sees a few records of the dataset.)'),
      placeHolder: vscode.l10n.t('e.g. polite answers to customer questions about late deliveries'),
      validateInput: (s) => (s.trim() ? undefined : vscode.l10n.t('Describe the topic')),
    });
    if (topic === undefined) return undefined;
    const count = await askNumber(title, vscode.l10n.t('How many new records?'), 10, (n) => (Number.isInteger(n) && n >= 1 && n <= 100000 ? undefined : vscode.l10n.t('An integer from 1 to 100000')));
    if (count === undefined) return undefined;
    const seedCount = await askNumber(title, vscode.l10n.t('Seed records of the dataset shown with each request'), 3, (n) =>
      Number.isInteger(n) && n >= 0 && n <= 20 ? undefined : vscode.l10n.t('An integer from 0 to 20'),
    );
    if (seedCount === undefined) return undefined;
    const target = await pickTarget(readEndpoints(), vscode.l10n.t('{0}: model', title));
    if (!target) return undefined;
    const d = generationDefaults();
    return this.runWith({ input, topic, count, seedCount, target, temperature: d.temperature, maxTokens: d.maxTokens, seed: d.seed }, true);
  }

  async runWith(args: GenerateSyntheticArgs, interactive = false): Promise<SyntheticRunSummary | undefined> {
    const input = pathOfArg(args.input);
    if (!input) throw new Error(vscode.l10n.t('no dataset file given'));
    if (typeof args.topic !== 'string' || !args.topic.trim()) throw new Error(vscode.l10n.t('no topic given'));
    if (!args.target || typeof args.target.endpoint !== 'string' || typeof args.target.model !== 'string') throw new Error(vscode.l10n.t('no endpoint and model given'));
    if (args.format !== undefined && !isFormatId(args.format)) throw new Error(vscode.l10n.t('unknown format "{0}"', String(args.format)));
    // Appending under an editor with unsaved changes would make the user choose between two versions.
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'file' && doc.uri.fsPath === input);
    if (open?.isDirty) throw new Error(vscode.l10n.t('{0} has unsaved changes; save it first, then run the command again', path.basename(input)));
    const out = this.services.output;
    const pool = await this.services.openPool([args.target.endpoint]);
    if (!pool) return undefined;
    out.appendLine(`synthetic records: ${args.count} for ${input} from ${args.target.endpoint}/${args.target.model}, topic: ${args.topic.trim()}`);
    try {
      // Two jobs appending to one dataset would each rewrite a .json array from the bytes it read.
      const r = await this.services.holdOutputs([input], 'Pairwise: Generate Synthetic Records', (lost) => this.services.withProgress(vscode.l10n.t('Generating synthetic records for {0}', path.basename(input)), vscode.l10n.t(' records'), args.signal ? AbortSignal.any([args.signal, lost]) : lost, (signal, report) =>
        runSyntheticJob({
          pool,
          datasetPath: input,
          format: args.format,
          topic: args.topic,
          count: args.count,
          seedCount: args.seedCount,
          endpoint: args.target.endpoint,
          model: args.target.model,
          temperature: args.temperature,
          maxTokens: args.maxTokens,
          seed: args.seed,
          nearThreshold: args.nearThreshold,
          restart: args.restart,
          prices: readPrices(),
          signal,
          onProgress: report,
          log: (l) => out.appendLine(l),
        }),
      ));
      const summary: SyntheticRunSummary = {
        input,
        format: r.format,
        cancelled: r.cancelled,
        stoppedEarly: r.stoppedEarly,
        progress: r.progress,
        rejectedReport: syntheticJobPaths(input).rejected,
        warnings: r.warnings,
      };
      this.report(summary, interactive ? args : undefined);
      return summary;
    } catch (e) {
      if (e instanceof AbortedError) return undefined;
      throw e;
    } finally {
      pool.close();
    }
  }

  private report(s: SyntheticRunSummary, rerun: GenerateSyntheticArgs | undefined): void {
    const p = s.progress;
    const cost = formatCost(p);
    const name = path.basename(s.input);
    const lead = s.cancelled
      ? vscode.l10n.t('Cancelled: {0} of {1} records in {2}.', p.done, p.requested, name)
      : s.stoppedEarly
        ? vscode.l10n.t('Stopped early: {0} of {1} records in {2}.', p.done, p.requested, name)
        : vscode.l10n.t('Done: {0} of {1} records in {2}.', p.done, p.requested, name);
    const counts = vscode.l10n.t(
      'This run added {0}; rejected as invalid {1}; duplicates dropped: {2} exact, {3} near; failed requests {4}; {5} requests, {6}→{7} tokens',
      p.accepted,
      p.rejected,
      p.duplicatesExact,
      p.duplicatesNear,
      p.failures,
      p.requests,
      p.tokensIn,
      p.tokensOut,
    );
    const tail = s.cancelled ? ' ' + vscode.l10n.t('Run the command again with the same settings to continue.') : '';
    const text = `${lead} ${counts}${cost ? ` · ${cost}` : ''}.${tail}`;
    this.services.output.appendLine(text);
    for (const w of s.warnings) this.services.output.appendLine(`warning: ${w}`);
    const openLabel = vscode.l10n.t('Open');
    const rejectedLabel = vscode.l10n.t('Show Dropped Records');
    const moreLabel = vscode.l10n.t('Generate {0} More', p.requested);
    const show = async (): Promise<void> => {
      const buttons = [openLabel];
      if (p.rejected + p.duplicatesExact + p.duplicatesNear > 0) buttons.push(rejectedLabel);
      // An earlier run of the same job had already reached the target: offer to add as many again.
      if (rerun && !s.cancelled && p.accepted === 0 && p.acceptedBefore >= p.requested) buttons.push(moreLabel);
      const warn = s.stoppedEarly || p.failures > 0 || p.rejected > 0;
      const pick = warn ? await vscode.window.showWarningMessage(text, ...buttons) : await vscode.window.showInformationMessage(text, ...buttons);
      if (pick === openLabel) await vscode.window.showTextDocument(vscode.Uri.file(s.input));
      else if (pick === rejectedLabel) await vscode.window.showTextDocument(vscode.Uri.file(s.rejectedReport));
      else if (pick === moreLabel && rerun) await this.run({ ...rerun, restart: true });
    };
    // The command returns at once (tests, automation wait for its result); the message stays for a person.
    void show().catch((e: unknown) => this.services.output.appendLine(`after synthetic generation: ${this.services.output.describe(e)}`));
  }
}
