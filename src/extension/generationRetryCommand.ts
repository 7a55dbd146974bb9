/**
 * "Pairwise: Retry Failed Generations": re-runs only the prompts of a candidates file that have a
 * recorded failure and are still missing, with the targets the job recorded (CandidatesJobStore).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readOpenFailures, retryFailures, CandidatesJobStore, isCandidatesOutput } from '../core/generation';
import { AbortedError } from '../core/base';
import { readPrices } from './endpointSettings';
import { pathOfArg, pickFile } from './generationInputs';
import type { GenerationRunSummary } from './generateCandidatesCommand';
import type { GenerationServices } from './generationServices';

export class GenerationRetryCommand {
  static register(context: vscode.ExtensionContext, services: GenerationServices): void {
    const c = new GenerationRetryCommand(services);
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.retryFailedGenerations', (arg?: unknown) => {
        const a = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as { output?: string; signal?: AbortSignal }) : undefined;
        return c.run(a ? a.output : arg, a?.signal);
      }),
    );
  }

  private constructor(private readonly services: GenerationServices) {}

  async run(arg: unknown, external?: AbortSignal): Promise<GenerationRunSummary | undefined> {
    if (!this.services.ensureTrusted()) return undefined;
    const out = this.services.output;
    try {
      const output = pathOfArg(arg) ?? (await pickFile(vscode.l10n.t('Retry Failed Generations: candidates file'), isCandidatesOutput));
      if (!output) return undefined;
      const open = await readOpenFailures(output);
      if (open.prompts.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no failed prompts left to retry.', path.basename(output)));
        return undefined;
      }
      const store = new CandidatesJobStore(output);
      const spec = await store.readSpec();
      if (!spec) throw new Error(vscode.l10n.t('{0} has no readable {1} beside it: was it made by Generate Candidates?', path.basename(output), path.basename(store.paths.spec)));
      const targets = spec.targets;
      const pool = await this.services.openPool(targets.map((t) => t.endpoint));
      if (!pool) return undefined;
      out.appendLine(`retrying ${open.prompts.length} failed prompt(s) of ${output}`);
      try {
        const r = await this.services.holdOutputs([output], 'Pairwise: Retry Failed Generations', (lost) =>
          this.services.withProgress(vscode.l10n.t('Retrying failed generations of {0}', path.basename(output)), vscode.l10n.t(' requests'), external ? AbortSignal.any([external, lost]) : lost, (signal, report) =>
            retryFailures({ pool, outputPath: output, prices: readPrices(), signal, onProgress: report, log: (l) => out.appendLine(l) }),
          ),
        );
        const p = r.progress;
        const text = vscode.l10n.t('Retry: {0} prompt(s) completed, {1} request(s) failed again → {2}', p.promptsWritten, p.failures, path.basename(output));
        out.appendLine(text);
        void (p.failures ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
        return { output, cancelled: r.cancelled, progress: p, warnings: r.warnings, prompts: open.prompts.length, skippedRecords: 0 };
      } finally {
        pool.close();
      }
    } catch (e) {
      if (e instanceof AbortedError) return undefined;
      const msg = out.describe(e);
      out.appendLine(`retry failed: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Retry Failed Generations: {0}', msg));
      return undefined;
    }
  }
}
