/**
 * Registers the generation surface: Generate Candidates, Retry Failed Generations, Judge Pairs,
 * Manage Endpoints and Set API Key, over one shared GenerationServices. Returns the hooks the
 * integration tests use (what the output channel shows, the answer to the key-consent modal, and
 * cancelling a running job the way the notification's Cancel button does).
 */
import type * as vscode from 'vscode';
import type { JobProgress } from '../core/generation';
import type { ConsentAnswer } from './endpointKeyConsent';
import { GenerateCandidatesCommand } from './generateCandidatesCommand';
import { GenerateSyntheticRecordsCommand } from './generateSyntheticRecordsCommand';
import { GenerationRetryCommand } from './generationRetryCommand';
import { GenerationServices } from './generationServices';
import { JudgePairsCommand } from './judgePairsCommand';
import { ManageEndpointsCommand } from './manageEndpointsCommand';

export interface GenerationTestApi {
  /** Everything the "Pairwise Generation" output channel received (already redacted). */
  outputText(): string;
  /** Answers the workspace-key modal instead of the user; undefined shows the real modal. */
  setKeyConsentAnswer(answer: ConsentAnswer | undefined): void;
  /** How many times the workspace-key question was asked. */
  keyConsentAsked(): number;
  forgetKeyConsents(): Promise<void>;
  /** Cancels every running job like the progress notification's Cancel; returns how many. */
  cancelRunning(): number;
  runningCount(): number;
  lastProgress(): JobProgress | undefined;
}

export class GenerationCommands {
  static register(context: vscode.ExtensionContext): GenerationTestApi {
    const services = new GenerationServices(context);
    context.subscriptions.push(services);
    GenerateCandidatesCommand.register(context, services);
    GenerationRetryCommand.register(context, services);
    GenerateSyntheticRecordsCommand.register(context, services);
    JudgePairsCommand.register(context, services);
    ManageEndpointsCommand.register(context, services);
    return {
      outputText: () => services.output.text(),
      setKeyConsentAnswer: (a) => services.consent.setTestAnswer(a),
      keyConsentAsked: () => services.consent.asked,
      forgetKeyConsents: () => services.consent.forgetAll(),
      cancelRunning: () => services.cancelRunning(),
      runningCount: () => services.runningCount(),
      lastProgress: () => services.lastProgress,
    };
  }
}
