/**
 * "Pairwise: Generate Candidates": every prompt of a dataset, answered by one or more
 * endpoint/model pairs, into the output core names beside the input (candidatesOutputFor; resumable, see
 * src/core/generation/candidatesJob.ts). Interactive from the palette or the explorer; with an
 * argument object (`GenerateCandidatesArgs`) it asks nothing but key consent, which is how tests
 * and automation run it.
 *
 * Endpoints that take OpenAI's Batch API (api.openai.com, or `"batch": true` in pairwise.endpoints)
 * offer to run the job as a batch (see src/core/generation/batchJob.ts): cancelling the progress
 * stops polling only, the batch keeps running server-side, and running the command again on the
 * same dataset resumes polling (or cancels the batch) instead of creating another.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { refuseCandidatesOutputOverInput, runCandidatesJob, type CandidateTarget, type GenerationParams, startingProgress, type JobProgress, CandidatesJobStore, candidatesOutputFor, readDatasetPrompts, formatCost, batchPollingMeter, cancelBatchJob, readBatchState, runBatchJob, type BatchProgress } from '../core/generation';
import { AbortedError } from '../core/base';
import { generationDefaults, readPrices, readEndpoints } from './endpointSettings';
import { askNumber, pathOfArg, pickFile, pickModels, type ModelChoice } from './generationInputs';
import type { GenerationServices } from './generationServices';
import { askTurns } from './generationTurns';
import type { TurnsOption } from '../core/labeling';

export interface GenerateCandidatesArgs {
  /** Dataset path (or file URI string). */
  input: string;
  targets: ModelChoice[];
  responsesPerModel?: number;
  temperature?: number;
  maxTokens?: number;
  /** Replaces the records' own system prompt. */
  system?: string;
  seed?: number;
  /** Default: candidatesOutputFor(input), beside the input. */
  output?: string;
  /** When the output exists: resume it (default; refused if made with other settings), or start over. */
  ifExists?: 'resume' | 'overwrite';
  /** Cancels the job like the notification's Cancel button. */
  signal?: AbortSignal;
  /** Run through the OpenAI Batch API (every target's endpoint must support it). */
  batch?: boolean;
  /** `each`: one prompt per assistant turn of each conversation (default `last`: its last user turn). */
  turns?: TurnsOption;
  /** A batch already pending for the output: poll it (and merge when done) or cancel it. Targets then come from the job's recorded spec (CandidatesJobStore). */
  pendingBatch?: 'resume' | 'cancel';
  /** First wait between batch polls (default 10 s; tests shorten it). */
  pollIntervalMs?: number;
}

export interface GenerationRunSummary {
  output: string;
  cancelled: boolean;
  progress: JobProgress;
  warnings: string[];
  prompts: number;
  /** Input records that gave no prompt. */
  skippedRecords: number;
  /** Batch jobs: still running server-side (`pending`), merged into the output, or cancelled at the server. */
  batch?: { state: 'pending' | 'merged' | 'cancel-requested'; batchIds: string[] };
}

/** True for endpoints that take the Batch API: OpenAI itself, or marked `"batch": true` in the setting. */
export function supportsBatch(endpoint: string): boolean {
  const raw = (vscode.workspace.getConfiguration('pairwise').get<unknown[]>('endpoints') ?? []).find(
    (e): e is { name: string; baseURL?: unknown; batch?: unknown } => !!e && typeof e === 'object' && (e as { name?: unknown }).name === endpoint,
  );
  if (!raw) return false;
  if (raw.batch === true) return true;
  try {
    return new URL(String(raw.baseURL)).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.stat(p);
    return true;
  } catch {
    return false;
  }
}

export class GenerateCandidatesCommand {
  static register(context: vscode.ExtensionContext, services: GenerationServices): GenerateCandidatesCommand {
    const c = new GenerateCandidatesCommand(services);
    context.subscriptions.push(vscode.commands.registerCommand('pairwise.generateCandidates', (arg?: unknown) => c.run(arg)));
    return c;
  }

  private constructor(private readonly services: GenerationServices) {}

  async run(arg?: unknown): Promise<GenerationRunSummary | undefined> {
    if (!this.services.ensureTrusted()) return undefined;
    try {
      const args = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as GenerateCandidatesArgs) : undefined;
      return args ? await this.runWith(args) : await this.interactive(pathOfArg(arg));
    } catch (e) {
      const msg = this.services.output.describe(e);
      this.services.output.appendLine(`generate candidates failed: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Generate Candidates: {0}', msg));
      return undefined;
    }
  }

  private async interactive(given?: string): Promise<GenerationRunSummary | undefined> {
    const title = vscode.l10n.t('Generate Candidates');
    const input = given ?? (await pickFile(vscode.l10n.t('Generate Candidates: dataset with the prompts'), (p) => !/\.(labels|judgements|candidates)\.jsonl$|\.(progress|failures)\.jsonl$/i.test(p)));
    if (!input) return undefined;
    const pendingOutput = candidatesOutputFor(input);
    if (await readBatchState(pendingOutput)) {
      const resume = vscode.l10n.t('Resume Polling');
      const cancel = vscode.l10n.t('Cancel Batch');
      const pick = await vscode.window.showInformationMessage(
        vscode.l10n.t('A Batch API job for {0} is still pending. Check it now (its results are merged once it has finished) or cancel it at the server?', path.basename(pendingOutput)),
        { modal: true },
        resume,
        cancel,
      );
      if (!pick) return undefined;
      return this.runWith({ input, targets: [], output: pendingOutput, pendingBatch: pick === resume ? 'resume' : 'cancel' });
    }
    const targets = await pickModels(readEndpoints(), vscode.l10n.t('Generate Candidates: models to ask'));
    if (!targets) return undefined;
    let batch = false;
    if (targets.every((t) => supportsBatch(t.endpoint))) {
      const now = { label: vscode.l10n.t('Send the requests now'), batch: false };
      const later = { label: vscode.l10n.t('Run as a Batch job (50% cheaper, up to 24 h)'), detail: vscode.l10n.t('Uploads the requests to the Batch API and polls; closing the window leaves the batch running'), batch: true };
      const how = await vscode.window.showQuickPick([now, later], { title });
      if (!how) return undefined;
      batch = how.batch;
    }
    const d = generationDefaults();
    const responsesPerModel = await askNumber(title, vscode.l10n.t('Responses per model and prompt'), d.responsesPerModel, (n) => (Number.isInteger(n) && n >= 1 && n <= 64 ? undefined : vscode.l10n.t('An integer from 1 to 64')));
    if (responsesPerModel === undefined) return undefined;
    const temperature = await askNumber(title, vscode.l10n.t('Temperature'), d.temperature, (n) => (n >= 0 && n <= 2 ? undefined : vscode.l10n.t('From 0 to 2')));
    if (temperature === undefined) return undefined;
    const maxTokens = await askNumber(title, vscode.l10n.t('Maximum tokens per response'), d.maxTokens, (n) => (Number.isInteger(n) && n >= 1 ? undefined : vscode.l10n.t('A positive integer')));
    if (maxTokens === undefined) return undefined;
    const system = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t("System prompt (optional; replaces the records' own). Leave empty to keep theirs."), value: '' });
    if (system === undefined) return undefined;
    const turns = await askTurns(input, title);
    if (turns === undefined) return undefined;
    const output = candidatesOutputFor(input);
    let ifExists: GenerateCandidatesArgs['ifExists'] = 'resume';
    const args: GenerateCandidatesArgs = { input, targets, responsesPerModel, temperature, maxTokens, system: system || undefined, seed: d.seed, output, batch, turns };
    if (await exists(output)) {
      const same = await new CandidatesJobStore(output).sameSpec(this.targetsOf(args), responsesPerModel);
      const resume = vscode.l10n.t('Resume');
      const overwrite = vscode.l10n.t('Overwrite');
      const pick = same
        ? await vscode.window.showInformationMessage(vscode.l10n.t('{0} exists from the same job. Resume it (only missing responses are requested) or start over?', path.basename(output)), { modal: true }, resume, overwrite)
        : await vscode.window.showWarningMessage(vscode.l10n.t('{0} exists (made with other settings or by hand). Overwrite it?', path.basename(output)), { modal: true }, overwrite);
      if (!pick) return undefined;
      ifExists = pick === resume ? 'resume' : 'overwrite';
    }
    return this.runWith({ ...args, ifExists });
  }

  private targetsOf(args: GenerateCandidatesArgs): CandidateTarget[] {
    const params: GenerationParams = {
      ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
      ...(args.maxTokens !== undefined ? { max_tokens: args.maxTokens } : {}),
      ...(args.system ? { system: args.system } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
    };
    return args.targets.map((t) => ({ endpoint: t.endpoint, model: t.model, params }));
  }

  async runWith(args: GenerateCandidatesArgs): Promise<GenerationRunSummary | undefined> {
    const input = pathOfArg(args.input);
    if (!input) throw new Error('no input file given');
    const output = pathOfArg(args.output) ?? candidatesOutputFor(input);
    refuseCandidatesOutputOverInput(input, output);
    // One job per output at a time, in this window or any other process: a second one's Overwrite
    // would delete files the first appends to, and both would pay for every request.
    return this.services.holdOutputs([output], 'Pairwise: Generate Candidates', (lost) =>
      this.runClaimed(input, output, { ...args, signal: args.signal ? AbortSignal.any([args.signal, lost]) : lost }),
    );
  }

  private async runClaimed(input: string, output: string, args: GenerateCandidatesArgs): Promise<GenerationRunSummary | undefined> {
    if (args.pendingBatch) return this.pendingBatch(input, output, args);
    if (!Array.isArray(args.targets) || args.targets.length === 0) throw new Error('no targets given');
    const responsesPerModel = args.responsesPerModel ?? generationDefaults().responsesPerModel;
    const targets = this.targetsOf(args);
    if (args.batch) {
      const unsupported = targets.find((t) => !supportsBatch(t.endpoint));
      if (unsupported) throw new Error(vscode.l10n.t('endpoint "{0}" does not take the Batch API (only api.openai.com, or endpoints with "batch": true in pairwise.endpoints)', unsupported.endpoint));
      if (args.ifExists === 'overwrite') {
        await new CandidatesJobStore(output).remove();
      }
      return this.runBatch(input, output, targets, responsesPerModel, args);
    }
    const out = this.services.output;
    const read = await readDatasetPrompts(input, { turns: args.turns });
    for (const p of read.problems.slice(0, 50)) out.appendLine(`${path.basename(input)}:${p.line}: skipped: ${p.message}`);
    if (read.prompts.length === 0) throw new Error(vscode.l10n.t('{0} has no prompts to answer', path.basename(input)));
    if (args.ifExists === 'overwrite') await new CandidatesJobStore(output).remove();
    const pool = await this.services.openPool(targets.map((t) => t.endpoint));
    if (!pool) return undefined;
    out.appendLine(`generating: ${read.prompts.length} prompts (${read.format}) × ${targets.map((t) => `${t.endpoint}/${t.model}`).join(', ')} × ${responsesPerModel} → ${output}`);
    try {
      const r = await this.services.withProgress(vscode.l10n.t('Generating candidates for {0}', path.basename(input)), vscode.l10n.t(' requests'), args.signal, (signal, report) =>
        runCandidatesJob({ pool, prompts: read.prompts, targets, responsesPerTarget: responsesPerModel, outputPath: output, prices: readPrices(), signal, onProgress: report, log: (l) => out.appendLine(l) }),
      );
      const summary: GenerationRunSummary = { output, cancelled: r.cancelled, progress: r.progress, warnings: r.warnings, prompts: read.prompts.length, skippedRecords: read.problems.length };
      this.report(summary);
      return summary;
    } catch (e) {
      if (e instanceof AbortedError) return undefined;
      throw e;
    } finally {
      pool.close();
    }
  }

  /** A batch recorded beside the output: poll (and merge) it with the targets of the job's recorded spec, or cancel it. */
  private async pendingBatch(input: string, output: string, args: GenerateCandidatesArgs): Promise<GenerationRunSummary | undefined> {
    const state = await readBatchState(output);
    if (!state) throw new Error(vscode.l10n.t('no pending Batch API job for {0}', path.basename(output)));
    const store = new CandidatesJobStore(output);
    const spec = await store.readSpec();
    if (!spec) throw new Error(vscode.l10n.t('{0} is missing or damaged: the pending batch cannot be matched to its settings', path.basename(store.paths.spec)));
    if (args.pendingBatch === 'cancel') {
      const pool = await this.services.openPool(state.batches.map((b) => b.endpoint));
      if (!pool) return undefined;
      try {
        const ids = await cancelBatchJob(pool, output, args.signal);
        const text = vscode.l10n.t('Asked the server to cancel batch {0}. Run Generate Candidates on {1} again to collect what it finished; the rest is recorded as failed requests.', ids.join(', ') || '-', path.basename(input));
        this.services.output.appendLine(text);
        void vscode.window.showInformationMessage(text);
        return { output, cancelled: false, progress: startingProgress(), warnings: [], prompts: 0, skippedRecords: 0, batch: { state: 'cancel-requested', batchIds: ids } };
      } finally {
        pool.close();
      }
    }
    return this.runBatch(input, output, spec.targets, spec.responsesPerTarget, args);
  }

  private async runBatch(input: string, output: string, targets: CandidateTarget[], responsesPerTarget: number, args: GenerateCandidatesArgs): Promise<GenerationRunSummary | undefined> {
    const out = this.services.output;
    const read = await readDatasetPrompts(input, { turns: args.turns });
    for (const p of read.problems.slice(0, 50)) out.appendLine(`${path.basename(input)}:${p.line}: skipped: ${p.message}`);
    if (read.prompts.length === 0) throw new Error(vscode.l10n.t('{0} has no prompts to answer', path.basename(input)));
    const pool = await this.services.openPool(targets.map((t) => t.endpoint));
    if (!pool) return undefined;
    out.appendLine(`batch generation: ${read.prompts.length} prompts × ${targets.map((t) => `${t.endpoint}/${t.model}`).join(', ')} × ${responsesPerTarget} → ${output}`);
    try {
      const r = await this.services.withProgress(vscode.l10n.t('Batch API job for {0}', path.basename(input)), vscode.l10n.t(' requests'), args.signal, (signal, report) => {
        const polling = batchPollingMeter();
        const onBatchProgress = (b: BatchProgress): void => report(polling(b));
        return runBatchJob({ pool, prompts: read.prompts, targets, responsesPerTarget, outputPath: output, prices: readPrices(), signal, onProgress: report, onBatchProgress, pollIntervalMs: args.pollIntervalMs, log: (l) => out.appendLine(l) });
      });
      if (r.state === 'pending') {
        const text = vscode.l10n.t(
          'Stopped polling. Batch {0} keeps running at the server (results within 24 h); run Generate Candidates on {1} again to collect them, or cancel the batch.',
          r.batchIds.join(', '),
          path.basename(input),
        );
        out.appendLine(text);
        const cancel = vscode.l10n.t('Cancel Batch');
        void Promise.resolve(vscode.window.showInformationMessage(text, cancel))
          .then(async (pick) => {
            if (pick === cancel) await this.pendingBatch(input, output, { input, targets: [], output, pendingBatch: 'cancel' });
          })
          .catch((e: unknown) => out.appendLine(`cancel batch: ${out.describe(e)}`));
        return { output, cancelled: true, progress: startingProgress(), warnings: [], prompts: read.prompts.length, skippedRecords: read.problems.length, batch: { state: 'pending', batchIds: r.batchIds } };
      }
      const m = r.merge!;
      // Requests: the batch's, not the (unused) pool's.
      const summary: GenerationRunSummary = { output, cancelled: m.cancelled, progress: { ...m.progress, requests: m.progress.done }, warnings: m.warnings, prompts: read.prompts.length, skippedRecords: read.problems.length, batch: { state: 'merged', batchIds: r.batchIds } };
      this.report(summary);
      return summary;
    } catch (e) {
      if (e instanceof AbortedError) return undefined;
      throw e;
    } finally {
      pool.close();
    }
  }

  private report(s: GenerationRunSummary): void {
    const p = s.progress;
    const cost = formatCost(p);
    const text =
      (s.cancelled ? vscode.l10n.t('Cancelled: {0} prompt(s) answered', p.promptsWritten) : vscode.l10n.t('Done: {0} prompt(s) answered', p.promptsWritten)) +
      (p.promptsSkipped ? vscode.l10n.t(', {0} already done', p.promptsSkipped) : '') +
      (p.failures ? vscode.l10n.t(', {0} request(s) failed', p.failures) : '') +
      vscode.l10n.t(' · {0} requests · {1}→{2} tokens', p.requests, p.tokensIn, p.tokensOut) +
      `${cost ? ` · ${cost}` : ''} → ${path.basename(s.output)}` +
      (s.cancelled ? vscode.l10n.t('. Run the command again and choose Resume to continue.') : '');
    this.services.output.appendLine(text);
    for (const w of s.warnings) this.services.output.appendLine(`warning: ${w}`);
    const show = async (): Promise<void> => {
      const commands = await vscode.commands.getCommands(true);
      const buttons: string[] = [];
      const startLabeling = vscode.l10n.t('Start Labeling');
      const retryFailures = vscode.l10n.t('Retry Failures');
      const open = vscode.l10n.t('Open');
      if (commands.includes('pairwise.startLabeling') && p.promptsWritten + p.promptsSkipped > 0) buttons.push(startLabeling);
      if (p.failures > 0) buttons.push(retryFailures);
      buttons.push(open);
      const pick = p.failures > 0 ? await vscode.window.showWarningMessage(text, ...buttons) : await vscode.window.showInformationMessage(text, ...buttons);
      const uri = vscode.Uri.file(s.output);
      if (pick === startLabeling) await vscode.commands.executeCommand('pairwise.startLabeling', uri);
      else if (pick === retryFailures) await vscode.commands.executeCommand('pairwise.retryFailedGenerations', uri);
      else if (pick === open) await vscode.window.showTextDocument(uri);
    };
    // The command returns at once (tests, automation wait for its result); the message stays for a person.
    void show().catch((e: unknown) => this.services.output.appendLine(`after generation: ${this.services.output.describe(e)}`));
  }
}
