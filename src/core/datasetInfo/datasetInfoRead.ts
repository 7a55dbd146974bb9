/**
 * LLaMA-Factory's dataset registry (`dataset_info.json`): finds the entry that names a file and
 * maps its `formatting`, `ranking`, `columns` and `tags` onto a format id and FormatOptions, so that
 * a file is checked the way LLaMA-Factory will read it.
 */
import { parse, type ParseError } from 'jsonc-parser';
import type { FormatId, FormatOptions } from '../formats/formatModule';

export interface DatasetInfoEntry {
  file_name?: string;
  formatting?: string;
  ranking?: boolean;
  columns?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface DatasetInfoFormat {
  /** Key of the entry in dataset_info.json. */
  name: string;
  format: FormatId;
  options: FormatOptions;
}

/** The entries of a dataset_info.json text; undefined when it is not an object of entries. */
export function parseDatasetInfo(text: string): Record<string, DatasetInfoEntry> | undefined {
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parse(text, errors, { allowTrailingComma: true });
  } catch {
    return undefined;
  }
  if (errors.length > 0 || !value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, DatasetInfoEntry> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = v as DatasetInfoEntry;
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'string') out[k] = x;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** LLaMA-Factory's own tags for OpenAI-style messages (its data/README "OpenAI Format"). */
const OPENAI_TAGS = { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system', observation_tag: 'tool' };

/** The format and options an entry describes. */
export function formatOfEntry(entry: DatasetInfoEntry): { format: FormatId; options: FormatOptions } {
  const formatting = typeof entry.formatting === 'string' ? entry.formatting : 'alpaca';
  const ranking = entry.ranking === true;
  let columns = stringMap(entry.columns);
  let tags = stringMap(entry.tags);
  const kto = columns?.kto_tag !== undefined;
  let format: FormatId;
  if (formatting === 'sharegpt' || formatting === 'openai') {
    if (formatting === 'openai') {
      tags = { ...OPENAI_TAGS, ...tags };
      columns = { messages: 'messages', ...columns };
    }
    if (ranking) format = 'sharegpt-preference';
    else if (kto) format = 'llamafactory-kto';
    // LLaMA-Factory's "openai" formatting is role/content messages: the OpenAI chat checks fit it.
    else if (formatting === 'openai') format = 'openai-chat';
    else format = 'sharegpt';
  } else {
    format = ranking ? 'alpaca-preference' : 'alpaca';
  }
  const options: FormatOptions = {};
  if (columns) options.columns = columns;
  if (tags) options.tags = tags;
  return { format, options };
}

/** The entry whose `file_name` is `relativePath` (from the dataset_info.json folder, `/` separated). */
export function findDatasetInfoFormat(info: Record<string, DatasetInfoEntry>, relativePath: string): DatasetInfoFormat | undefined {
  const want = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  for (const [name, entry] of Object.entries(info)) {
    if (typeof entry.file_name !== 'string') continue;
    if (entry.file_name.replace(/\\/g, '/').replace(/^\.\//, '') === want) return { name, ...formatOfEntry(entry) };
  }
  return undefined;
}
