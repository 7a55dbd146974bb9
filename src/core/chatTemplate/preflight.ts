/**
 * Pre-flight of a whole file: every record rendered, tokenized and masked as the trainer would,
 * streamed with progress and cancel. The result is plain data (counts, lists, a histogram) for the
 * CLI to print and a report webview to draw.
 */
import { detectFileFormat, formatModuleOf, scanRecords, type CurateRunOptions, type FormatChoice } from '../curate/datasetScan';
import { canonicalOf } from '../formats/formatModule';
import type { ChatModel } from './modelFiles';
import { ChatTemplateRenderer } from './render';
import { chatMessages, droppedWords, trainerView, type TrainerViewOptions } from './trainerView';
import { TemplateError } from './lossSpans';
import { conversations } from './conversations';

export interface PreflightIssue {
  /** 0-based record index in the file. */
  readonly record: number;
  readonly line: number;
  readonly detail: string;
  /** Tokens over the limit, for `overLimit`. */
  readonly overBy?: number;
}

export interface PreflightReport {
  readonly records: number;
  /** Records rendered (SFT and preference records; others are skipped). */
  readonly rendered: number;
  readonly skipped: number;
  readonly totalTokens: number;
  readonly trainedTokens: number;
  readonly maxLength?: number;
  readonly overLimit: PreflightIssue[];
  readonly allTrainedCut: PreflightIssue[];
  readonly missingContent: PreflightIssue[];
  readonly templateErrors: PreflightIssue[];
  /** Lengths in tokens, bucketed: `edges[i]` ≤ length < `edges[i+1]`; the last bucket is open. */
  readonly histogram: { readonly edges: number[]; readonly counts: number[] };
  /** Exact sizes of the issue lists above, which keep at most `listLimit` entries. */
  readonly counts: { readonly overLimit: number; readonly allTrainedCut: number; readonly missingContent: number; readonly templateErrors: number };
}

export interface PreflightOptions extends CurateRunOptions, FormatChoice, TrainerViewOptions {
  /** Keep at most this many records in each issue list (counts stay exact); default 1000. */
  readonly listLimit?: number;
}

const BUCKETS = 20;

export async function preflightFile(path: string, model: ChatModel, opts: PreflightOptions): Promise<PreflightReport> {
  const renderer = new ChatTemplateRenderer(model.chatTemplate);
  const special = { bos_token: model.bosToken, eos_token: model.eosToken };
  const format = formatModuleOf(await detectFileFormat(path, opts));
  const limit = opts.listLimit ?? 1000;
  const lengths: number[] = [];
  const overLimit: PreflightIssue[] = [];
  const allTrainedCut: PreflightIssue[] = [];
  const missingContent: PreflightIssue[] = [];
  const templateErrors: PreflightIssue[] = [];
  const counts = { over: 0, cut: 0, missing: 0, errors: 0 };
  let records = 0;
  let rendered = 0;
  let skipped = 0;
  let totalTokens = 0;
  let trainedTokens = 0;
  const add = (list: PreflightIssue[], issue: PreflightIssue): void => {
    if (list.length < limit) list.push(issue);
  };
  await scanRecords(
    path,
    {
      record: (src) => {
        records++;
        const rec = canonicalOf(format, src, opts.formatOptions);
        const convs = rec ? conversations(rec) : [];
        if (convs.length === 0) {
          skipped++;
          return;
        }
        rendered++;
        for (const { label, sft } of convs) {
          const where = { record: src.index, line: src.line };
          const prefix = label ? `${label}: ` : '';
          try {
            const v = trainerView(sft, renderer, model.tokenizer, opts, special);
            lengths.push(v.ids.length);
            totalTokens += v.ids.length;
            trainedTokens += v.trainedAfterCut;
            if (v.overBy > 0) {
              counts.over++;
              add(overLimit, { ...where, detail: `${prefix}${v.ids.length} tokens`, overBy: v.overBy });
            }
            if (v.trainedTokens > 0 && v.trainedAfterCut === 0) {
              counts.cut++;
              add(allTrainedCut, { ...where, detail: `${prefix}${v.trainedTokens} trained tokens, all past the cut` });
            }
            const dropped = droppedWords(v, chatMessages(sft));
            if (dropped.length > 0) {
              counts.missing++;
              add(missingContent, { ...where, detail: `${prefix}not in the render: ${dropped.join(', ')}` });
            }
          } catch (e) {
            if (!(e instanceof TemplateError)) throw e;
            counts.errors++;
            add(templateErrors, { ...where, detail: `${prefix}${e.message}` });
          }
        }
      },
    },
    opts,
  );
  return { records, rendered, skipped, totalTokens, trainedTokens, maxLength: opts.maxLength, overLimit, allTrainedCut, missingContent, templateErrors, histogram: histogram(lengths, opts.maxLength), counts: { overLimit: counts.over, allTrainedCut: counts.cut, missingContent: counts.missing, templateErrors: counts.errors } };
}

/** Equal-width buckets up to the larger of the longest record and the limit, so the limit is on the chart. */
export function histogram(lengths: number[], maxLength?: number): { edges: number[]; counts: number[] } {
  let top = maxLength ?? 0;
  for (const l of lengths) if (l > top) top = l;
  const width = Math.max(1, Math.ceil((top + 1) / BUCKETS));
  const edges = Array.from({ length: BUCKETS }, (_, i) => i * width);
  const counts = new Array<number>(BUCKETS).fill(0);
  for (const l of lengths) counts[Math.min(BUCKETS - 1, Math.floor(l / width))]++;
  return { edges, counts };
}
