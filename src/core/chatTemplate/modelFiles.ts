/**
 * A model as a dataset sees it: its tokenizer and chat template, read from a local folder laid out
 * as on the Hugging Face Hub (`tokenizer.json`, `tokenizer_config.json` with `chat_template`, or
 * `chat_template.jinja`, which transformers prefers when both exist).
 *
 * Libraries: `@huggingface/tokenizers` (pure JS, CJS build, reads the same `tokenizer.json` as the
 * Rust `tokenizers`, no native addon to ship in a VSIX) and `@huggingface/jinja` (the Jinja subset
 * transformers' chat templates use, with transformers' trim_blocks/lstrip_blocks defaults). Both
 * are maintained by Hugging Face for transformers.js and run on Node 20.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

export interface ChatModel {
  readonly tokenizer: Tokenizer;
  /** The template source, as the model ships it. */
  readonly chatTemplate: string;
  readonly bosToken?: string;
  readonly eosToken?: string;
  /** Where it was read from, for messages. */
  readonly source: string;
}

function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // tokenizer_config.json may write a token as an AddedToken dict.
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** The largest model file read: real tokenizer.json files are up to ~35 MB (Gemma 3). */
export const MAX_MODEL_FILE_BYTES = 128 * 1024 * 1024;

/**
 * A model file's text. Only a regular file of a sane size is read: a model folder can come from a
 * cloned workspace, where tokenizer.json may be a link to /dev/zero or a multi-gigabyte file.
 */
function readModelFile(file: string): string {
  const st = fs.statSync(file);
  if (!st.isFile()) throw new Error(`${file}: not a regular file`);
  if (st.size > MAX_MODEL_FILE_BYTES) throw new Error(`${file}: larger than ${MAX_MODEL_FILE_BYTES >> 20} MB`);
  return fs.readFileSync(file, 'utf8');
}

function readJson(file: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readModelFile(file));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: not a JSON object`);
  return parsed as Record<string, unknown>;
}

/** The default template of `tokenizer_config.json`: a string, or a list of named templates (`default`). */
function configTemplate(config: Record<string, unknown>): string | undefined {
  const t = config.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t.find((x: unknown) => (x as { name?: unknown })?.name === 'default') as { template?: unknown } | undefined;
    if (typeof named?.template === 'string') return named.template;
  }
  return undefined;
}

export function loadModelFolder(dir: string): ChatModel {
  const tokenizerJson = readJson(path.join(dir, 'tokenizer.json'));
  const configFile = path.join(dir, 'tokenizer_config.json');
  const config = fs.existsSync(configFile) ? readJson(configFile) : {};
  const jinjaFile = path.join(dir, 'chat_template.jinja');
  const chatTemplate = fs.existsSync(jinjaFile) ? readModelFile(jinjaFile) : configTemplate(config);
  if (chatTemplate === undefined) throw new Error(`${dir}: no chat template (chat_template.jinja or tokenizer_config.json "chat_template")`);
  return {
    tokenizer: new Tokenizer(tokenizerJson, config),
    chatTemplate,
    bosToken: tokenText(config.bos_token),
    eosToken: tokenText(config.eos_token),
    source: dir,
  };
}
