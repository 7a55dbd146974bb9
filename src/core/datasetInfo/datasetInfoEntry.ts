/**
 * LLaMA-Factory's `dataset_info.json`: the entry that makes it load a dataset file as it is
 * (`file_name`, `formatting`, `ranking`, `columns`, `tags`, as its data/README.md documents), and an
 * atomic update of the file that keeps every other entry. Columns are declared only where the file
 * departs from LLaMA-Factory's defaults (alpaca: instruction/input/output; sharegpt: conversations
 * with from/value tags), so entries read like the ones LLaMA-Factory ships. Formats it cannot load
 * are refused with the conversion that would make them loadable.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FormatId, FormatModule } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { checkReplaceTarget } from '../jsonl/writeTargets';
import { readFileRecords } from '../jsonl/readRecords';
import { withDatasetInfoEntry } from './datasetInfoEdit';
import { detectFileFormat, type CurateRunOptions } from '../curate/datasetScan';
import * as l10n from '@vscode/l10n';

export interface DatasetInfoEntry {
  file_name: string;
  formatting?: 'alpaca' | 'sharegpt';
  ranking?: boolean;
  columns?: Record<string, string>;
  tags?: Record<string, string>;
}

export class NotLoadableError extends Error {
  constructor(
    readonly format: FormatId,
    readonly suggestion: FormatId,
  ) {
    super(l10n.t('LLaMA-Factory cannot load {0} ({1}) as it is; convert it to {2} first (pairwise convert FILE --to {3}), then register the converted file', format, getFormat(format).title, suggestion, suggestion));
    this.name = 'NotLoadableError';
  }
}

/** Which keys the sampled records use (a column is declared when any record has it). */
function keysIn(sample: readonly Record<string, unknown>[]): Set<string> {
  const keys = new Set<string>();
  for (const r of sample) for (const k of Object.keys(r)) keys.add(k);
  return keys;
}

function isStringVariant(sample: readonly Record<string, unknown>[], key: string): boolean {
  const first = sample.find((r) => r[key] !== undefined);
  return first === undefined || typeof first[key] === 'string';
}

const OPENAI_TAGS = { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' };

/** Conversion target to suggest for a format LLaMA-Factory cannot load, by record kind. */
function suggestionFor(f: FormatModule): FormatId {
  switch (f.kind) {
    case 'preference':
    case 'ranked':
    case 'candidates':
      return 'sharegpt-preference';
    case 'unpaired':
      return 'llamafactory-kto';
    case 'text':
      return 'trl-text';
    default:
      return 'sharegpt';
  }
}

/**
 * The entry for a file of a format, given some of its records (to see optional columns such as
 * system, history, tools, and which variant a TRL file uses). Throws NotLoadableError.
 */
export function datasetInfoEntry(format: FormatId, fileName: string, sample: readonly Record<string, unknown>[] = []): DatasetInfoEntry {
  const keys = keysIn(sample);
  const f = getFormat(format);
  const refuse = (): never => {
    throw new NotLoadableError(format, suggestionFor(f));
  };
  switch (format) {
    case 'alpaca': {
      if (!keys.has('system') && !keys.has('history')) return { file_name: fileName };
      const columns: Record<string, string> = { prompt: 'instruction', query: 'input', response: 'output' };
      if (keys.has('system')) columns.system = 'system';
      if (keys.has('history')) columns.history = 'history';
      return { file_name: fileName, columns };
    }
    case 'instruct-response': {
      // LLaMA-Factory's alpaca columns, the answer read from `response`.
      const columns: Record<string, string> = { prompt: 'instruction', query: 'input', response: 'response' };
      if (keys.has('system')) columns.system = 'system';
      if (keys.has('history')) columns.history = 'history';
      return { file_name: fileName, columns };
    }
    case 'query-response': {
      // LLaMA-Factory's alpaca columns, the user turn read from `query` (ms-swift's layout).
      const columns: Record<string, string> = { prompt: 'query', response: 'response' };
      if (keys.has('system')) columns.system = 'system';
      if (keys.has('history')) columns.history = 'history';
      return { file_name: fileName, columns };
    }
    case 'alpaca-preference': {
      const columns: Record<string, string> = { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected' };
      if (keys.has('system')) columns.system = 'system';
      if (keys.has('history')) columns.history = 'history';
      return { file_name: fileName, ranking: true, columns };
    }
    case 'sharegpt': {
      const columns: Record<string, string> = { messages: 'conversations' };
      if (keys.has('system')) columns.system = 'system';
      if (keys.has('tools')) columns.tools = 'tools';
      return { file_name: fileName, formatting: 'sharegpt', columns };
    }
    case 'sharegpt-preference': {
      const columns: Record<string, string> = { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' };
      if (keys.has('system')) columns.system = 'system';
      if (keys.has('tools')) columns.tools = 'tools';
      return { file_name: fileName, ranking: true, formatting: 'sharegpt', columns };
    }
    case 'openai-chat': {
      const columns: Record<string, string> = { messages: 'messages' };
      if (keys.has('tools')) columns.tools = 'tools';
      // OpenAI tool results carry role "tool": LLaMA-Factory reads them as observations.
      return { file_name: fileName, formatting: 'sharegpt', columns, tags: { ...OPENAI_TAGS, observation_tag: 'tool' } };
    }
    case 'llamafactory-kto': {
      const sharegpt = keys.has('conversations') && !keys.has('messages');
      const tag = keys.has('kto_tag') || !keys.has('label') ? 'kto_tag' : 'label';
      const columns: Record<string, string> = { messages: sharegpt ? 'conversations' : 'messages', kto_tag: tag };
      if (keys.has('system')) columns.system = 'system';
      if (sharegpt) return { file_name: fileName, formatting: 'sharegpt', columns };
      return { file_name: fileName, formatting: 'sharegpt', columns, tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' } };
    }
    case 'trl-text':
      // Pre-training data: LLaMA-Factory reads the text from the prompt column.
      return { file_name: fileName, columns: { prompt: 'text' } };
    case 'trl-prompt-completion':
      if (!isStringVariant(sample, 'prompt') || !isStringVariant(sample, 'completion')) return refuse();
      return { file_name: fileName, columns: { prompt: 'prompt', response: 'completion' } };
    case 'trl-preference':
      if (!isStringVariant(sample, 'prompt') || !isStringVariant(sample, 'chosen')) return refuse();
      return { file_name: fileName, ranking: true, columns: { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' } };
    case 'torchtune-stack-exchange-paired':
      return { file_name: fileName, ranking: true, columns: { prompt: 'question', chosen: 'response_j', rejected: 'response_k' } };
    case 'axolotl-chatml-intel': {
      const columns: Record<string, string> = { prompt: 'question', chosen: 'chosen', rejected: 'rejected' };
      if (keys.has('system')) columns.system = 'system';
      return { file_name: fileName, ranking: true, columns };
    }
    case 'axolotl-chatml-argilla': {
      const columns: Record<string, string> = { prompt: 'instruction', chosen: 'chosen_response', rejected: 'rejected_response' };
      if (keys.has('system')) columns.system = 'system';
      return { file_name: fileName, ranking: true, columns };
    }
    case 'axolotl-chatml-prompt-pairs': {
      const columns: Record<string, string> = { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' };
      if (keys.has('system')) columns.system = 'system';
      return { file_name: fileName, ranking: true, columns };
    }
    default:
      return refuse();
  }
}

export interface RegisterOptions extends CurateRunOptions {
  /** The dataset_info.json to create or update; default the one beside the dataset file. */
  info?: string;
  /** Entry name; default the file name without its extension. */
  name?: string;
  /** Forces the format instead of detecting it. */
  format?: FormatId;
}

export interface RegisterResult {
  info: string;
  name: string;
  format: FormatId;
  entry: DatasetInfoEntry;
  /** The info file did not exist before. */
  created: boolean;
  /** An entry of that name existed and was replaced. */
  replaced: boolean;
}

const SAMPLE = 200;

/** Detects a file's format (unless forced) and builds its entry from its first records. */
export async function entryForFile(file: string, fileName: string, opts: CurateRunOptions & { format?: FormatId } = {}): Promise<{ format: FormatId; entry: DatasetInfoEntry }> {
  const detection = await detectFileFormat(file, opts);
  if (!detection.format) throw new Error(l10n.t('the format of {0} could not be detected ({1}); name it', file, detection.evidence));
  const sample: Record<string, unknown>[] = [];
  for await (const item of readFileRecords(file, { mode: opts.mode, signal: opts.signal })) {
    if (item.kind === 'record' && item.value) sample.push(item.value);
    if (sample.length >= SAMPLE) break;
  }
  return { format: detection.format, entry: datasetInfoEntry(detection.format, fileName, sample) };
}

/** Writes or updates the file's entry in dataset_info.json (atomically; other entries kept in order). */
export async function registerDataset(file: string, opts: RegisterOptions = {}): Promise<RegisterResult> {
  const info = opts.info ?? path.join(path.dirname(file), 'dataset_info.json');
  const name = opts.name ?? path.basename(file, path.extname(file));
  if (name === '' || name === '__proto__') throw new Error(l10n.t('"{0}" cannot name a dataset entry', name));
  // LLaMA-Factory resolves file_name against the folder of dataset_info.json.
  const rel = path.relative(path.dirname(path.resolve(info)), path.resolve(file)).split(path.sep).join('/');
  const { format, entry } = await entryForFile(file, rel, opts);

  let created = false;
  let text: string | undefined;
  // A link planted as dataset_info.json is refused before it is read (its target's text would be echoed in errors).
  await checkReplaceTarget(info);
  try {
    text = await fsp.readFile(info, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    created = true;
  }
  const edit = withDatasetInfoEntry(text, info, name, entry);
  const replaced = edit.had;
  await writeFileAtomic(info, edit.text);
  opts.onProgress?.(1, 1);
  return { info, name, format, entry, created, replaced };
}
