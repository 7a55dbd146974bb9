/** Entry point: only wires the UI surfaces together; each registers itself. */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { DatasetConversion } from './datasetConversion';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { DatasetFormatOverrides } from './datasetFormatOverrides';
import { DatasetHover } from './datasetHover';
import { DatasetStatusBar } from './datasetStatusBar';
import { TrainerStatusBar } from './trainerStatusBar';
import { TrainerConfigIndex } from './trainerConfigIndex';
import { DatasetQuickFixes } from './quickFixes';
import { RuleDocs } from './ruleDocs';
import { WorkspaceValidation, type WorkspaceValidationSummary } from './workspaceValidation';
import { DatasetViewProvider } from './datasetViewProvider';
import { ExportPreferencesCommand } from './exportPreferencesCommand';
import { GenerationCommands, type GenerationTestApi } from './generationCommands';
import { HubModels } from './hubModels';
import { LabelingCommands } from './labelingCommands';
import { LabelingPanel } from './labelingPanel';
import { RankingPanel } from './rankingPanel';
import { CompareModelsCommand } from './compareModelsCommand';
import { ComparisonReportPanel } from './compareModelsReport';
import { CurationCommands } from './curationCommands';
import { StatisticsPanel } from './statisticsPanel';
import { TrainConfigCommand } from './trainConfigCommand';
import { WalkthroughSamples } from './walkthroughSamples';
import { TrainerViews } from './trainerViews';
import { ModelStatusBar } from './modelStatusBar';
import { PreflightPanel } from './preflightPanel';
import { PairwiseLog } from './webviewMessageGate';

/**
 * Returned by `activate` only when the extension runs its integration tests (ExtensionMode.Test),
 * which read what the UI shows through it; an installed extension exports nothing.
 */
export interface PairwiseTestApi {
  statusBarText(): string | undefined;
  /** The model status item's text (undefined while hidden). */
  modelStatus(): string | undefined;
  /** The target-trainer status item's text and tooltip (undefined while hidden). */
  trainerStatus(): { text: string; tooltip: string } | undefined;
  validateWorkspace(signal?: AbortSignal): Promise<WorkspaceValidationSummary>;
  /** The labeling panel last shown: its message handler (as if the webview sent it), the state it last sent, its webview. */
  labelingPanelForTest(): Pick<LabelingPanel, 'handleMessage' | 'lastState' | 'disposeAndWait' | 'panel'> | undefined;
  /** The rank-mode panel last shown, likewise. */
  rankingPanelForTest(): Pick<RankingPanel, 'handleMessage' | 'lastState' | 'disposeAndWait' | 'panel'> | undefined;
  /** Generation commands: the output channel's text, the key-consent answer, cancelling a job. */
  generation: GenerationTestApi;
  /** The statistics report last shown: the report it holds, its message handler (as if the webview sent it), Save as Markdown to a path, its webview. */
  statisticsPanelForTest(): Pick<StatisticsPanel, 'lastReport' | 'lastState' | 'handleMessage' | 'saveMarkdown' | 'whenComputed' | 'panel'> | undefined;
  /** The pre-flight report last shown: its state, its message handler, its webview. */
  preflightPanelForTest(): Pick<PreflightPanel, 'lastState' | 'handleMessage' | 'whenDone' | 'panel'> | undefined;
  /** The model comparison report last shown: its state, its message handler, its webview. */
  comparisonReportForTest(): Pick<ComparisonReportPanel, 'lastState' | 'handleMessage' | 'whenComputed' | 'panel'> | undefined;
  /** The lines of the "Pairwise" output channel (dropped webview messages). */
  logLines(): readonly string[];
}

export function activate(context: vscode.ExtensionContext): PairwiseTestApi | undefined {
  // src/core speaks through @vscode/l10n: give it VS Code's bundle for the display language (none for English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  PairwiseLog.register(context);
  RuleDocs.register(context);
  const formats = DatasetFormatOverrides.register(context, TrainerConfigIndex.register(context));
  const diagnostics = DatasetDiagnostics.register(context, formats);
  const statusBar = DatasetStatusBar.register(context, diagnostics, formats);
  const trainerBar = TrainerStatusBar.register(context, diagnostics, formats);
  // The model per dataset (status bar, Select Model) and the trainer's view of its records.
  const trainerViews = TrainerViews.register(context, formats);
  const modelBar = ModelStatusBar.register(context, diagnostics, trainerViews);
  // Pairwise: Pre-flight, with its report.
  PreflightPanel.register(context, trainerViews, formats);
  const workspace = WorkspaceValidation.register(context, diagnostics, formats);
  DatasetQuickFixes.register(context, diagnostics);
  DatasetHover.register(context, diagnostics, trainerViews);
  DatasetConversion.register(context, diagnostics);
  // Also registers the large-file variant and the pairwise.openDatasetView / pairwise.datasetView.filter commands.
  DatasetViewProvider.register(context, trainerViews);
  // Also registers the labeling panel and its serializer.
  LabelingCommands.register(context);
  ExportPreferencesCommand.register(context);
  // Generate Candidates, Retry Failed Generations, Judge Pairs, Manage Endpoints, Set API Key.
  const generation = GenerationCommands.register(context);
  // Compare Models (generate with two models, label blind) and its report.
  CompareModelsCommand.register(context);
  ComparisonReportPanel.register(context);
  // Show Dataset Statistics; Deduplicate, Split, Filter, Sample, Merge, Register in dataset_info.json.
  StatisticsPanel.register(context);
  CurationCommands.register(context);
  TrainConfigCommand.register(context, formats);
  WalkthroughSamples.register(context);
  // Set / Clear Hugging Face Token; resolveModelReference (a model folder or Hub id → a folder).
  HubModels.register(context);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    statusBarText: () => statusBar.lastText,
    modelStatus: () => modelBar.lastText,
    trainerStatus: () => (trainerBar.lastText === undefined ? undefined : { text: trainerBar.lastText, tooltip: trainerBar.lastTooltip ?? '' }),
    validateWorkspace: (signal) => workspace.run(signal),
    labelingPanelForTest: () => LabelingPanel.current(),
    rankingPanelForTest: () => RankingPanel.current(),
    generation,
    statisticsPanelForTest: () => StatisticsPanel.current(),
    preflightPanelForTest: () => PreflightPanel.current(),
    comparisonReportForTest: () => ComparisonReportPanel.current(),
    logLines: () => PairwiseLog.lines(),
  };
}

export function deactivate(): void {
  /* every surface is disposed through context.subscriptions */
}
