/**
 * A model from the Hugging Face Hub, reduced to what the chat template and the tokenizer need:
 * the few small files below are fetched at one commit into the model cache (hubCache.ts), and the
 * snapshot folder is then read like any local model folder (modelFiles.ts).
 *
 * Client: `@huggingface/hub`, Hugging Face's maintained JS client (engines: node >= 18): `modelInfo`
 * resolves a branch or tag to its commit sha and lists the files, `downloadFile` fetches each at
 * that sha. Its plain HTTP path is used (`xet: false`): the xet protocol pays off for weight files
 * of gigabytes, not for a tokenizer, and the plain path is the one the loopback tests exercise.
 *
 * The token goes only into the Authorization header. Errors are this module's own sentences; the
 * server's words are kept out of them (a hostile or broken server could echo the token back).
 */
import { downloadFile, HubApiError, modelInfo } from '@huggingface/hub';
import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
import { AbortedError, isCancellation } from '../base/cancellation';
import { cachedRef, cachedSnapshot, repoCacheDir, SnapshotWriter } from './hubCache';
import { isCommitSha, parseHubReference, type HubReference } from './hubReference';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** What a chat template and a tokenizer are built from (transformers' tokenizer and processor files). tokenizer.json is required. */
export const HUB_MODEL_FILES = ['tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'chat_template.json', 'special_tokens_map.json', 'generation_config.json'] as const;

export type HubErrorKind = 'badReference' | 'notFound' | 'revisionNotFound' | 'gated' | 'badToken' | 'noTokenizer' | 'network' | 'notCached' | 'server';

export class HubModelError extends Error {
  constructor(
    readonly kind: HubErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HubModelError';
  }
}

export interface HubFetchOptions {
  /** The folder that holds fetched models (hubCache.ts). */
  readonly cacheDir: string;
  /** A Hugging Face access token (`hf_…`), for private and gated models. */
  readonly token?: string;
  /** The Hub's address; default https://huggingface.co (HF_ENDPOINT for a mirror). */
  readonly hubUrl?: string;
  /** Never touch the network: a cached copy or an error. */
  readonly offline?: boolean;
  /** Ask the Hub where a branch or tag points now, even when a snapshot of it is cached. */
  readonly refresh?: boolean;
  readonly signal?: AbortSignal;
  /** Called before each file is fetched. */
  readonly onProgress?: (file: string, index: number, total: number) => void;
}

export interface HubModelFolder {
  readonly folder: string;
  /** The commit the files are from. */
  readonly sha: string;
  /** True when served from the cache without a request. */
  readonly cached: boolean;
}

/** What the Hub said about a failed request, read from its headers (huggingface_hub utils/_http.py hf_raise_for_status). */
interface HubAnswer {
  status: number;
  errorCode: string | null;
  errorMessage: string | null;
}

function hubError(ref: HubReference, file: string | undefined, answer: HubAnswer | undefined, e: unknown, hadToken: boolean): HubModelError {
  const status = answer?.status ?? (e instanceof HubApiError ? e.statusCode : 0);
  const code = answer?.errorCode;
  if (code === 'GatedRepo')
    return new HubModelError(
      'gated',
      hadToken
        ? l10n.t('{0} is a gated model and the token has no access to it: accept its terms on the model page with the account of the token', ref.repo)
        : l10n.t('{0} is a gated model: accept its terms on the model page, then give a Hugging Face token (HF_TOKEN, or the command "Pairwise: Set Hugging Face Token")', ref.repo),
    );
  if (status === 401 && answer?.errorMessage === 'Invalid credentials in Authorization header') return new HubModelError('badToken', l10n.t('the Hugging Face Hub refused the token (invalid credentials): set a valid one'));
  if (code === 'RevisionNotFound') return new HubModelError('revisionNotFound', l10n.t('{0} has no revision "{1}"', ref.repo, ref.revision ?? 'main'));
  // The Hub answers 401 for a missing repository as for a private one (huggingface_hub treats both as RepoNotFound).
  if (code === 'RepoNotFound' || ((status === 401 || status === 404) && file === undefined))
    return new HubModelError('notFound', hadToken ? l10n.t('the Hugging Face Hub has no model "{0}" that the token can see', ref.repo) : l10n.t('the Hugging Face Hub has no public model "{0}" (for a private one, give a token)', ref.repo));
  if (status === 403) return new HubModelError('gated', l10n.t('the Hugging Face Hub refused access to {0} (403)', ref.repo));
  return new HubModelError('server', file ? l10n.t('the Hugging Face Hub answered {0} for {1} of {2}', status || l10n.t('an unexpected reply'), file, ref.repo) : l10n.t('the Hugging Face Hub answered {0} for {1}', status || l10n.t('an unexpected reply'), ref.repo));
}

function networkError(e: unknown, hubUrl: string): HubModelError | undefined {
  // Node's fetch rejects with TypeError('fetch failed') and the socket's error as its cause.
  if (!(e instanceof TypeError) || e.message !== 'fetch failed') return undefined;
  const cause = (e as { cause?: { code?: unknown } }).cause;
  const why = typeof cause?.code === 'string' ? cause.code : l10n.t('no connection');
  return new HubModelError('network', l10n.t('cannot reach the Hugging Face Hub at {0} ({1}); a model fetched before works offline', hubUrl, why));
}

/**
 * The snapshot folder of `ref`, fetched if needed. Served from the cache without a request when the
 * revision is a sha that is cached, or a branch/tag that was resolved before (unless `refresh`).
 */
export async function fetchHubModel(ref: HubReference, opts: HubFetchOptions): Promise<HubModelFolder> {
  const repoDir = repoCacheDir(opts.cacheDir, ref);
  const revision = ref.revision ?? 'main';
  const signal = opts.signal;
  if (signal?.aborted) throw new AbortedError();
  if (!opts.refresh || opts.offline) {
    const sha = isCommitSha(revision) ? revision : await cachedRef(repoDir, revision);
    const folder = sha && (await cachedSnapshot(repoDir, sha));
    if (sha && folder) return { folder, sha, cached: true };
  }
  if (opts.offline) throw new HubModelError('notCached', l10n.t('{0}@{1} is not in the model cache, and the Hub is not asked offline', ref.repo, revision));

  const hubUrl = (opts.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  const token = opts.token || undefined;
  let answer: HubAnswer | undefined;
  // Every request of the client goes through here: the cancel signal joins it, and the Hub's error headers are kept.
  const hubFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, { ...init, signal: signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal) });
    answer = res.ok ? undefined : { status: res.status, errorCode: res.headers.get('x-error-code'), errorMessage: res.headers.get('x-error-message') };
    return res;
  };
  const common = { hubUrl, accessToken: token, fetch: hubFetch };
  let file: string | undefined;
  let writer: SnapshotWriter | undefined;
  try {
    const info = await modelInfo({ ...common, name: ref.repo, revision, additionalFields: ['sha', 'filePaths'] });
    const sha = info.sha;
    if (typeof sha !== 'string' || !isCommitSha(sha)) throw new HubModelError('server', l10n.t('the Hugging Face Hub gave no commit for {0}@{1}', ref.repo, revision));
    const present = new Set(info.filePaths ?? []);
    if (!present.has('tokenizer.json'))
      throw new HubModelError('noTokenizer', l10n.t('{0}@{1} has no tokenizer.json (a model with only a slow tokenizer, such as tokenizer.model, cannot be read)', ref.repo, revision));
    const cached = await cachedSnapshot(repoDir, sha);
    writer = await SnapshotWriter.create(opts.cacheDir, ref);
    if (!cached) {
      const wanted = HUB_MODEL_FILES.filter((f) => present.has(f));
      for (const [i, f] of wanted.entries()) {
        file = f;
        opts.onProgress?.(f, i, wanted.length);
        const blob = await downloadFile({ ...common, repo: { type: 'model', name: ref.repo }, path: f, revision: sha, xet: false });
        if (!blob) throw new HubModelError('server', l10n.t('{0} lists {1} but does not serve it', ref.repo, f));
        const data = new Uint8Array(await blob.arrayBuffer());
        if (data.byteLength !== blob.size) throw new HubModelError('server', l10n.t('{0} of {1} arrived cut short', f, ref.repo));
        if (signal?.aborted) throw new AbortedError();
        await writer.add(f, data);
      }
    }
    const folder = await writer.commit(sha, ref.revision === sha ? undefined : revision);
    return { folder, sha, cached: false };
  } catch (e) {
    await writer?.abort();
    if (isCancellation(e) || signal?.aborted) throw new AbortedError();
    if (e instanceof HubModelError) throw e;
    if (e instanceof HubApiError) throw hubError(ref, file, answer, e, token !== undefined);
    const net = networkError(e, hubUrl);
    if (net) throw net;
    // The client checks the token's shape before sending it; its message names no token.
    if (e instanceof TypeError && /access token/i.test(e.message)) throw new HubModelError('badToken', l10n.t('a Hugging Face token starts with "hf_"'));
    throw e;
  }
}

export interface ResolvedModel {
  readonly folder: string;
  /** Set when the folder is a Hub snapshot. */
  readonly hub?: { readonly repo: string; readonly sha: string; readonly cached: boolean };
}

/**
 * A model reference → a local model folder: an existing folder is itself; `org/name[@revision]`
 * is fetched from the Hub (or found in the cache).
 */
export async function resolveModelReference(reference: string, opts: HubFetchOptions): Promise<ResolvedModel> {
  if (fs.existsSync(reference) && fs.statSync(reference).isDirectory()) return { folder: reference };
  const ref = parseHubReference(reference);
  if (!ref) throw new HubModelError('badReference', l10n.t('"{0}" is neither a model folder nor a Hugging Face model id (org/name, or org/name@revision)', reference));
  try {
    const got = await fetchHubModel(ref, opts);
    return { folder: got.folder, hub: { repo: ref.repo, sha: got.sha, cached: got.cached } };
  } catch (e) {
    // A mistyped relative folder looks like a Hub id too: say both.
    if (e instanceof HubModelError && e.kind === 'notFound') throw new HubModelError('notFound', l10n.t('no folder "{0}" here, and {1}', reference, e.message));
    throw e;
  }
}
