/**
 * "Pairwise: Export Preferences": labeled input + label log(s) → a preference dataset in a
 * trainer's format (written atomically by the core), the LLaMA-Factory dataset_info.json entry
 * where it applies, and a summary with agreement and win rates when there are several annotators.
 * With an argument object it asks nothing (tests, other commands).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ensureOutputDir } from '../core/jsonl';
import { updateDatasetInfo, type DatasetInfoUpdate } from '../core/datasetInfo';
import { loadLabelLogs, exportPreferences, PREFERENCE_EXPORT_FORMATS, type RankingExpansion, type ExportSummary, type PreferenceExportFormat, type RewritesSftSummary, defaultLogPath, detectInputKind, labelLogsBeside, openLabelingInput, type LabelingInput } from '../core/labeling';
import type { MergeRule } from '../core/labeling';
import { multiTurnText } from '../core/labeling';
import { getFormat } from '../core/formats';
import type { FormatOptions } from '../core/formats';
import type { AgreementView } from '../protocol/labeling';
import { agreementLine, agreementView } from './labelingAgreement';
import { pickDatasetFile } from './labelingCommands';
import { LabelingPanel } from './labelingPanel';
import { askRewrites, writeRewritesSft, type RewriteAnswers } from './exportRewrites';

export interface ExportPreferencesArgs extends RewriteAnswers {
  /** The labeled input: a descriptor, or a file path (its kind is detected). Default: the open session's. */
  input?: LabelingInput | string;
  logs?: string[];
  format?: PreferenceExportFormat;
  formatOptions?: FormatOptions;
  output?: string;
  /** `majority` (default), `unanimous`, or `annotator:NAME`. */
  rule?: string;
  container?: 'jsonl' | 'json';
  /** Pairs a ranking becomes (default `all`); asked when the logs hold rankings. */
  rankings?: RankingExpansion;
}

export interface ExportPreferencesResult {
  summary: ExportSummary;
  /** The rewrites as SFT records, when asked for. */
  rewritesSft?: RewritesSftSummary;
  datasetInfo?: DatasetInfoUpdate;
  agreement?: AgreementView;
}

// A function, not a constant: l10n.t must run in the display language, not at module load.
const formatNotes = (): Record<PreferenceExportFormat, string> => ({
  'trl-preference': vscode.l10n.t('TRL DPOTrainer/ORPO/CPO: prompt, chosen, rejected'),
  'trl-preference-implicit': vscode.l10n.t('TRL: chosen and rejected hold the whole conversation'),
  'alpaca-preference': 'LLaMA-Factory (alpaca, ranking: true)',
  'sharegpt-preference': vscode.l10n.t('LLaMA-Factory (sharegpt, ranking: true); writes its dataset_info.json entry'),
  'openai-dpo': vscode.l10n.t('OpenAI preference fine-tuning'),
  'axolotl-chatml-intel': 'Axolotl chatml.intel',
  'distilabel-dpo': vscode.l10n.t('distilabel / argilla DPO with model names'),
  'trl-unpaired': vscode.l10n.t('TRL KTOTrainer: one labeled completion per row'),
});

export function parseRule(rule: string | undefined): MergeRule {
  if (rule === undefined || rule === 'majority') return { kind: 'majority' };
  if (rule === 'unanimous') return { kind: 'unanimous' };
  const m = /^annotator:(.+)$/.exec(rule);
  if (m) return { kind: 'annotator', name: m[1] };
  throw new Error(`unknown merge rule "${rule}" (majority, unanimous or annotator:NAME)`);
}

async function resolveInput(arg: ExportPreferencesArgs['input']): Promise<LabelingInput> {
  if (typeof arg === 'object') return arg;
  const det = await detectInputKind(arg!);
  const d: LabelingInput = { kind: det.kind, path: arg! };
  if (det.format) d.format = det.format;
  return d;
}

/** The interactive part: fills what the arguments leave out; undefined when the user cancels. */
async function ask(args: ExportPreferencesArgs): Promise<Required<Pick<ExportPreferencesArgs, 'logs' | 'format' | 'output'>> & ExportPreferencesArgs & { input: LabelingInput } | undefined> {
  const session = LabelingPanel.current();
  let input: LabelingInput | undefined;
  if (args.input !== undefined) input = await resolveInput(args.input);
  else if (session) input = session.resume.input;
  else {
    const file = await pickDatasetFile(vscode.l10n.t('Labeled input to export'));
    if (!file) return undefined;
    input = await resolveInput(file);
    if (input.kind === 'sft') {
      const b = await pickDatasetFile(vscode.l10n.t("Model B's file compared with {0}", path.basename(file)), file);
      if (!b) return undefined;
      input.pathB = b;
    }
  }
  let logs = args.logs;
  if (!logs) {
    const own = session && session.resume.input.path === input.path ? session.resume.logPath : defaultLogPath(input.path);
    const found = [...new Set([own, ...(await labelLogsBeside(input.path))])];
    const items = found.map((p) => ({ label: path.basename(p), description: path.dirname(p), picked: true, file: p }));
    const browse = { label: `$(folder-opened) ${vscode.l10n.t('Other log files…')}`, picked: false, file: '' };
    const picks = await vscode.window.showQuickPick([...items, browse], { title: vscode.l10n.t('Label logs to export (one per annotator)'), canPickMany: true, ignoreFocusOut: true });
    if (!picks || picks.length === 0) return undefined;
    logs = picks.filter((p) => p.file).map((p) => p.file);
    if (picks.includes(browse)) {
      const more = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Label logs'), canSelectMany: true, filters: { [vscode.l10n.t('Label logs')]: ['jsonl'] } });
      logs.push(...(more ?? []).map((u) => u.fsPath));
    }
    if (logs.length === 0) return undefined;
  }
  let format = args.format;
  let formatOptions = args.formatOptions;
  if (!format) {
    const pick = await vscode.window.showQuickPick(
      PREFERENCE_EXPORT_FORMATS.map((id) => ({ label: id, description: getFormat(id).title, detail: formatNotes()[id] })),
      { title: vscode.l10n.t('Export as'), ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    format = pick.label as PreferenceExportFormat;
    if (format === 'trl-preference' && !formatOptions) {
      const v = await vscode.window.showQuickPick(
        [
          // TRL's own names of the two dataset types, shown translated; `variant` keeps the id.
          { label: vscode.l10n.t('conversational'), description: vscode.l10n.t('lists of messages (chat models)'), variant: 'conversational' },
          { label: vscode.l10n.t('standard'), description: vscode.l10n.t('plain strings'), variant: 'standard' },
        ],
        { title: vscode.l10n.t('TRL dataset type'), ignoreFocusOut: true },
      );
      if (!v) return undefined;
      formatOptions = { variant: v.variant };
    }
  }
  const { store } = await loadLabelLogs(logs);
  let rankings = args.rankings;
  if (rankings === undefined && !store.currentRankings()[Symbol.iterator]().next().done) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('all pairs'), description: vscode.l10n.t('every pair of each ranking, the better-ranked answer chosen'), value: 'all' as const },
        { label: vscode.l10n.t('adjacent'), description: vscode.l10n.t('each answer over the next one down'), value: 'adjacent' as const },
        { label: vscode.l10n.t('best vs rest'), description: vscode.l10n.t('the top answer over each other one'), value: 'best-vs-rest' as const },
      ],
      { title: vscode.l10n.t('Rankings become which pairs'), ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    rankings = pick.value;
  }
  let rule = args.rule;
  if (rule === undefined) {
    const annotators = store.annotators();
    if (annotators.length > 1) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('majority'), description: vscode.l10n.t('more than half of the annotators agree'), rule: 'majority' },
          { label: vscode.l10n.t('unanimous'), description: vscode.l10n.t('every annotator who labeled the pair agrees'), rule: 'unanimous' },
          ...annotators.map((a) => ({ label: vscode.l10n.t('annotator {0}', a), description: vscode.l10n.t('{0} wins; majority where {0} did not label', a), rule: `annotator:${a}` })),
        ],
        { title: vscode.l10n.t("Merge {0} annotators' decisions by", annotators.length), ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      rule = pick.rule;
    }
  }
  let output = args.output;
  if (!output) {
    const stem = input.path.replace(/\.(jsonl|json)$/i, '');
    const uri = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Export to'), defaultUri: vscode.Uri.file(`${stem}.${format}.jsonl`), filters: { 'JSON Lines': ['jsonl'], [vscode.l10n.t('JSON array')]: ['json'] } });
    if (!uri) return undefined;
    output = uri.fsPath;
  }
  const rewriteAnswers = await askRewrites(store, format, output, args);
  if (!rewriteAnswers) return undefined;
  return { ...args, ...rewriteAnswers, input, logs, format, formatOptions, rule, output, rankings };
}

export async function exportPreferencesCommand(args: ExportPreferencesArgs = {}): Promise<ExportPreferencesResult | undefined> {
  const interactive = args.input === undefined || !args.logs || !args.format || !args.output;
  const filled = interactive ? await ask(args) : { ...args, input: await resolveInput(args.input), logs: args.logs!, format: args.format!, output: args.output! };
  if (!filled) return undefined;
  const rule = parseRule(filled.rule);
  const container = filled.container ?? (filled.output.toLowerCase().endsWith('.json') ? 'json' : 'jsonl');
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0}', path.basename(filled.output)) }, async () => {
    await ensureOutputDir(path.dirname(filled.output));
    // A ranking expands to any pair of its prompt: read a candidates input with every pair.
    const input: LabelingInput = filled.input as LabelingInput;
    const opened = await openLabelingInput(input.kind === 'candidates' ? { ...input, strategy: 'all' } : input);
    try {
      await opened.queue.whenComplete();
      const summary = await exportPreferences({ queue: opened.queue, logs: filled.logs, format: filled.format, formatOptions: filled.formatOptions, output: filled.output, inputs: [filled.input.path, ...(filled.input.pathB ? [filled.input.pathB] : [])], rule, container, rankings: filled.rankings, rewrites: filled.rewrites });
      const r: ExportPreferencesResult = { summary };
      if (filled.rewritesSft) r.rewritesSft = await writeRewritesSft(filled.rewritesSft, filled.format, opened.queue, filled.logs, [filled.input.path, ...(filled.input.pathB ? [filled.input.pathB] : []), filled.output]);
      r.datasetInfo = await updateDatasetInfo(summary.format, filled.output);
      const view = await agreementView(filled.logs, { known: opened.known });
      if (view.annotators.length > 1) r.agreement = view;
      return r;
    } finally {
      await opened.queue.close();
    }
  });
  const s = result.summary;
  const ex = s.excluded;
  const parts = [
    vscode.l10n.t('{0} record(s) written to {1} ({2})', s.written, path.basename(filled.output), s.format),
    vscode.l10n.t('left out: {0} tie(s), {1} both bad, {2} skipped, {3} conflict(s)', ex.ties, ex.bothBad, ex.skipped, ex.conflicts),
  ];
  if (s.rankings.rankings) parts.push(vscode.l10n.t('{0} ranking(s) expanded ({1}) to {2} pair(s)', s.rankings.rankings, s.rankings.strategy, s.rankings.pairs));
  if (s.rewrites.rewrites) parts.push(vscode.l10n.t('{0} rewrite(s) became {1} pair(s)', s.rewrites.rewrites, s.rewrites.vsOriginal + s.rewrites.vsOther));
  if (result.rewritesSft) parts.push(vscode.l10n.t('{0} SFT record(s) of rewrites written to {1}', result.rewritesSft.written, path.basename(result.rewritesSft.output)));
  if (s.notInInput) parts.push(vscode.l10n.t('{0} decided pair(s) not in the input', s.notInInput));
  if (s.unpairedAmbiguous) parts.push(vscode.l10n.t('{0} response(s) with no net label', s.unpairedAmbiguous));
  if (s.lost.length) parts.push(vscode.l10n.t('lost: {0}', s.lost.map((l) => `${l.field} (${l.count})`).join(', ')));
  const turns = multiTurnText(s.multiTurn, s.format);
  if (turns) parts.push(turns);
  if (s.logProblems.length) parts.push(vscode.l10n.t('{0} bad log line(s) set aside', s.logProblems.length));
  if (result.datasetInfo) parts.push(vscode.l10n.t('dataset_info.json entry "{0}" {1}', result.datasetInfo.name, result.datasetInfo.action));
  if (result.agreement) {
    const line = agreementLine(result.agreement);
    if (line) parts.push(line);
    const top = result.agreement.winRates.filter((w) => w.winRate !== null).slice(0, 3);
    if (top.length) parts.push(vscode.l10n.t('win rates: {0}', top.map((w) => `${w.model} ${(100 * w.winRate!).toFixed(0)}%`).join(', ')));
    LabelingPanel.current()?.setAgreement(result.agreement);
  }
  const message = vscode.l10n.t('Pairwise: {0}.', parts.join('; '));
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal');
  void vscode.window.showInformationMessage(message, open, reveal).then(async (pick) => {
    const uri = vscode.Uri.file(filled.output);
    if (pick === open) await vscode.commands.executeCommand('vscode.open', uri);
    else if (pick === reveal) await vscode.commands.executeCommand('revealInExplorer', uri);
  });
  return result;
}

export class ExportPreferencesCommand {
  static register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.exportPreferences', async (arg?: ExportPreferencesArgs | vscode.Uri) => {
        // From the explorer context menu the argument is the file: export that input.
        const args: ExportPreferencesArgs = arg instanceof vscode.Uri ? { input: arg.fsPath } : (arg ?? {});
        try {
          return await exportPreferencesCommand(args);
        } catch (e) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: export failed: {0}', (e as Error).message));
          // A caller with arguments (a test, another command) gets the error too.
          if (arg !== undefined && !(arg instanceof vscode.Uri)) throw e;
          return undefined;
        }
      }),
    );
  }
}
