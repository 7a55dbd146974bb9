/**
 * `--model` of the CLI: a local folder or a Hub id, resolved with the environment variables the
 * Hugging Face tools read (huggingface_hub constants.py): HF_TOKEN, HF_ENDPOINT (a mirror),
 * HF_HUB_OFFLINE. Fetched files go to Pairwise's own cache, `$XDG_CACHE_HOME/pairwise/models` or
 * `~/.cache/pairwise/models`: the Hugging Face cache under $HF_HOME is laid out with links from
 * snapshots into a blob store, which this cache neither writes nor follows.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveModelReference, type ResolvedModel } from '../core/chatTemplate';
import type { CliIo } from './io';
import * as l10n from '@vscode/l10n';

export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'pairwise', 'models');
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'on', 'yes', 'true'].includes(v.toLowerCase());
}

export async function resolveCliModel(reference: string, io: CliIo, opts: { offline?: boolean; refresh?: boolean; signal?: AbortSignal }): Promise<ResolvedModel> {
  const env = process.env;
  return resolveModelReference(reference, {
    cacheDir: modelCacheDir(env),
    token: env.HF_TOKEN || undefined,
    hubUrl: env.HF_ENDPOINT || undefined,
    offline: opts.offline || truthy(env.HF_HUB_OFFLINE),
    refresh: opts.refresh,
    signal: opts.signal,
    onProgress: (file, i, n) => io.err(l10n.t('fetching {0} of {1} ({2}/{3})', file, reference, i + 1, n) + '\n'),
  });
}
