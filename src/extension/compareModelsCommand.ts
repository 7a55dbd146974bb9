/**
 * "Pairwise: Compare Models": did the fine-tune help? A held-out prompts file answered once by a
 * baseline and once by a candidate model (Generate Candidates with those two targets, one answer
 * each, resumable), then the labeling panel on the answers, blind: random sides per pair, no model
 * names (per-model figures wait until every pair is labeled, see comparisonBlinding.ts). The
 * report is "Pairwise: Show Model Comparison Report" (compareModelsReport.ts).
 *
 * Thin on purpose: it chains pairwise.generateCandidates and pairwise.startLabeling with
 * arguments. With an argument object (`CompareModelsArgs`) it asks nothing, which is how tests and
 * automation (a keybinding with `args`) run it.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CandidatesJobStore, type CandidateTarget } from '../core/generation';
import { comparisonOutputFor } from '../core/labeling';
import { generationDefaults, readEndpoints } from './endpointSettings';
import type { GenerateCandidatesArgs, GenerationRunSummary } from './generateCandidatesCommand';
import { pathOfArg, pickFile, pickModel, type ModelChoice } from './generationInputs';
import type { StartLabelingOptions } from './labelingCommands';

export interface CompareModelsArgs {
  /** The held-out prompts (path or file URI string). */
  input: string;
  /** Model A, e.g. the base model. */
  baseline: ModelChoice;
  /** Model B, e.g. the fine-tune. */
  candidate: ModelChoice;
  /** Default: pairwise.generation.temperature. */
  temperature?: number;
  /** Default: pairwise.generation.maxTokens. */
  maxTokens?: number;
  /** Replaces the records' own system prompt, for both models. */
  system?: string;
  /** Default: pairwise.generation.seed. */
  seed?: number;
  /** When the answers file exists: resume it (default) or start over. */
  ifExists?: 'resume' | 'overwrite';
  /** Label log and annotator of the labeling panel (defaults as Start Labeling's). */
  logPath?: string;
  annotator?: string;
  signal?: AbortSignal;
}

export interface CompareModelsResult {
  /** The answers of both models: the candidates file labeled, and read by the report. */
  output: string;
  generation: GenerationRunSummary;
  /** Whether the labeling panel was opened (there was at least one answered prompt). */
  labeling: boolean;
}

function same(a: ModelChoice, b: ModelChoice): boolean {
  return a.endpoint === b.endpoint && a.model === b.model;
}

function isChoice(v: unknown): v is ModelChoice {
  return !!v && typeof v === 'object' && typeof (v as ModelChoice).endpoint === 'string' && typeof (v as ModelChoice).model === 'string';
}

export class CompareModelsCommand {
  static register(context: vscode.ExtensionContext): void {
    const c = new CompareModelsCommand();
    context.subscriptions.push(vscode.commands.registerCommand('pairwise.compareModels', (arg?: unknown) => c.run(arg)));
  }

  async run(arg?: unknown): Promise<CompareModelsResult | undefined> {
    try {
      const args = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as CompareModelsArgs) : await this.ask(pathOfArg(arg));
      return args ? await this.runWith(args) : undefined;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Compare Models: {0}', (e as Error).message));
      return undefined;
    }
  }

  /** The prompts file, the baseline and the candidate; the rest from the generation settings. */
  private async ask(given?: string): Promise<CompareModelsArgs | undefined> {
    const input = given ?? (await pickFile(vscode.l10n.t('Compare Models: held-out prompts'), (p) => !/\.(labels|judgements|candidates)\.jsonl$|\.(progress|failures)\.jsonl$/i.test(p)));
    if (!input) return undefined;
    const baseline = await pickModel(readEndpoints(), vscode.l10n.t('Compare Models: model A, the baseline (e.g. the base model)'), vscode.l10n.t('Baseline model'));
    if (!baseline) return undefined;
    const candidate = await pickModel(readEndpoints(), vscode.l10n.t('Compare Models: model B, the candidate (e.g. the fine-tune)'), vscode.l10n.t('Candidate model'));
    if (!candidate) return undefined;
    const args: CompareModelsArgs = { input, baseline, candidate };
    const output = comparisonOutputFor(input, { baseline: baseline.model, candidate: candidate.model });
    if (await fsp.stat(output).then(() => true, () => false)) {
      const sameJob = await new CandidatesJobStore(output).sameSpec(this.targetsOf(args), 1);
      const resume = vscode.l10n.t('Resume');
      const overwrite = vscode.l10n.t('Overwrite');
      const pick = sameJob
        ? await vscode.window.showInformationMessage(vscode.l10n.t('{0} exists from the same comparison. Resume it (only missing answers are requested; labels are kept) or start over?', path.basename(output)), { modal: true }, resume, overwrite)
        : await vscode.window.showWarningMessage(vscode.l10n.t('{0} exists (made with other settings). Overwrite it?', path.basename(output)), { modal: true }, overwrite);
      if (!pick) return undefined;
      args.ifExists = pick === resume ? 'resume' : 'overwrite';
    }
    return args;
  }

  /** The two targets as Generate Candidates records them in its job spec (to tell a resume from another job). */
  private targetsOf(args: CompareModelsArgs): CandidateTarget[] {
    const d = generationDefaults();
    const seed = args.seed ?? d.seed;
    const params = {
      temperature: args.temperature ?? d.temperature,
      max_tokens: args.maxTokens ?? d.maxTokens,
      ...(args.system ? { system: args.system } : {}),
      ...(seed !== undefined ? { seed } : {}),
    };
    return [args.baseline, args.candidate].map((t) => ({ endpoint: t.endpoint, model: t.model, params }));
  }

  async runWith(args: CompareModelsArgs): Promise<CompareModelsResult | undefined> {
    const input = pathOfArg(args.input);
    if (!input) throw new Error(vscode.l10n.t('no prompts file given'));
    if (!isChoice(args.baseline) || !isChoice(args.candidate)) throw new Error(vscode.l10n.t('name the baseline and the candidate as {"endpoint", "model"}'));
    if (same(args.baseline, args.candidate)) throw new Error(vscode.l10n.t('the baseline and the candidate are the same model ({0} on {1})', args.baseline.model, args.baseline.endpoint));
    const output = comparisonOutputFor(input, { baseline: args.baseline.model, candidate: args.candidate.model });
    const d = generationDefaults();
    const gen: GenerateCandidatesArgs = {
      input,
      // The baseline first: the candidates file, its job spec and the report keep that order.
      targets: [args.baseline, args.candidate],
      responsesPerModel: 1,
      temperature: args.temperature ?? d.temperature,
      maxTokens: args.maxTokens ?? d.maxTokens,
      system: args.system,
      seed: args.seed ?? d.seed,
      output,
      ifExists: args.ifExists ?? 'resume',
      signal: args.signal,
    };
    const generation = await vscode.commands.executeCommand<GenerationRunSummary | undefined>('pairwise.generateCandidates', gen);
    if (!generation) return undefined; // not trusted, cancelled, or failed: Generate Candidates said why
    const answered = generation.progress.promptsWritten + generation.progress.promptsSkipped;
    if (answered === 0) return { output, generation, labeling: false };
    const options: StartLabelingOptions = { kind: 'candidates', strategy: 'all', ...(args.logPath ? { logPath: args.logPath } : {}), ...(args.annotator ? { annotator: args.annotator } : {}) };
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(output), options);
    const report = vscode.l10n.t('Show Report');
    void Promise.resolve(
      vscode.window.showInformationMessage(
        vscode.l10n.t('Label the pairs of {0} blind (sides are random, model names hidden), then see which model won.', path.basename(output)),
        report,
      ),
    ).then((pick) => (pick === report ? vscode.commands.executeCommand('pairwise.showComparisonReport', vscode.Uri.file(output)) : undefined));
    return { output, generation, labeling: true };
  }
}
