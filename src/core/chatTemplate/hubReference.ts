/**
 * A model reference as the user writes it: a local folder, or a Hugging Face Hub model id
 * `org/name` with an optional `@revision` (a branch, a tag or a commit sha).
 *
 * Repository names follow the Hub's rule (huggingface_hub utils/_validators.py validate_repo_id):
 * letters, digits, `-`, `_`, `.`; `--` and `..` are forbidden; `-` and `.` neither start nor end a
 * name; at most 96 characters. That is also what makes the cache folder name `models--org--name`
 * unambiguous and safe as one path segment.
 */

export interface HubReference {
  /** `org/name`. */
  readonly repo: string;
  readonly org: string;
  readonly name: string;
  /** As written after `@`; undefined for the default branch. */
  readonly revision?: string;
}

const PART = /^[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9_])?$/;
// Branches and tags may hold `/` (refs/pr/1); no empty segment, no `..`.
const REVISION = /^[\w.-]+(?:\/[\w.-]+)*$/;

function validPart(p: string): boolean {
  return PART.test(p) && !p.includes('--') && !p.includes('..');
}

/** The Hub id in `ref`, or undefined when `ref` is not shaped like one. */
export function parseHubReference(ref: string): HubReference | undefined {
  const at = ref.indexOf('@');
  const id = at < 0 ? ref : ref.slice(0, at);
  const revision = at < 0 ? undefined : ref.slice(at + 1);
  const parts = id.split('/');
  if (parts.length !== 2 || !parts.every(validPart)) return undefined;
  if (revision !== undefined && (!REVISION.test(revision) || revision.split('/').some((s) => s === '.' || s.includes('..')))) return undefined;
  return { repo: id, org: parts[0], name: parts[1], revision };
}

/** A full commit sha: a revision that can never move. */
export function isCommitSha(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}
