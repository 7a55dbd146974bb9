/**
 * A small Hugging Face Hub on loopback for tests: the real `@huggingface/hub` client talks to it
 * over real sockets. It speaks the two endpoints the client uses to fetch a model's files, with the
 * Hub's status codes and error headers (huggingface_hub utils/_http.py hf_raise_for_status reads
 * the same ones):
 *
 *   GET /api/models/:org/:name/revision/:rev   model info; `expand=sha` and `expand=siblings` honoured
 *   GET /:org/:name/resolve/:rev/:file         the file; `Range: bytes=0-0` answers 206 with
 *                                              Content-Range and ETag, as the client probes first
 *
 * Errors: an unknown repository is 401 without a token and 404 with one (X-Error-Code: RepoNotFound);
 * an unknown revision 404 RevisionNotFound; a missing file 404 EntryNotFound; a token the server
 * does not know 401 with X-Error-Message "Invalid credentials in Authorization header"; a gated
 * repository serves its info but its files only to a token in `allowedTokens` (401 without a token,
 * 403 with another, X-Error-Code: GatedRepo). `echoToken` makes every error body repeat the
 * Authorization header, as a hostile server would, to prove that errors never carry the token on.
 * Every request is recorded.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';

export interface HubTestRepo {
  /** Branch or tag → commit sha. */
  refs: Record<string, string>;
  /** Commit sha → file name → content. */
  commits: Record<string, Record<string, Buffer | string>>;
  gated?: boolean;
  /** Tokens with access to a gated repository. */
  allowedTokens?: string[];
}

export interface HubRequest {
  method: string;
  url: string;
  authorization?: string;
  range?: string;
}

export interface HubTestServerOptions {
  repos: Record<string, HubTestRepo>;
  /** Tokens the server knows (valid credentials); others get 401. */
  knownTokens?: string[];
  echoToken?: boolean;
}

export interface HubTestServer {
  readonly url: string;
  readonly requests: HubRequest[];
  readonly options: HubTestServerOptions;
  close(): Promise<void>;
}

/** A deterministic 40-hex commit sha for tests. */
export function testSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export async function startHubTestServer(options: HubTestServerOptions): Promise<HubTestServer> {
  const requests: HubRequest[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '', authorization: auth, range: req.headers.range });
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;

    const fail = (status: number, message: string, code?: string, headerMessage?: string): void => {
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
      if (code) headers['x-error-code'] = code;
      if (headerMessage) headers['x-error-message'] = headerMessage;
      const error = options.echoToken && auth ? `${message} (${auth})` : message;
      res.writeHead(status, headers);
      res.end(JSON.stringify({ error }));
    };

    if (token !== undefined && !(options.knownTokens ?? []).includes(token)) {
      fail(401, 'Invalid credentials in Authorization header', undefined, 'Invalid credentials in Authorization header');
      return;
    }
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    const api = parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'revision';
    const resolve = parts[2] === 'resolve';
    if (!api && !resolve) {
      fail(404, 'Not found');
      return;
    }
    const repoId = api ? `${parts[2]}/${parts[3]}` : `${parts[0]}/${parts[1]}`;
    const repo = options.repos[repoId];
    if (!repo) {
      fail(token ? 404 : 401, 'Repository not found', 'RepoNotFound', 'Repository not found');
      return;
    }
    const rev = api ? parts[5] : parts[3];
    const sha = rev === 'HEAD' ? repo.refs.main : (repo.refs[rev] ?? (repo.commits[rev] ? rev : undefined));
    const files = sha ? repo.commits[sha] : undefined;
    if (!sha || !files) {
      fail(404, `Invalid rev id: ${rev}`, 'RevisionNotFound', 'Invalid rev id');
      return;
    }

    if (api) {
      const expand = url.searchParams.getAll('expand');
      const body: Record<string, unknown> = { _id: testSha(repoId).slice(0, 24), id: repoId, private: false, gated: repo.gated ? 'manual' : false, downloads: 0, likes: 0, lastModified: '2026-01-01T00:00:00.000Z', pipeline_tag: 'text-generation' };
      if (expand.includes('sha')) body.sha = sha;
      if (expand.includes('siblings')) body.siblings = Object.keys(files).map((rfilename) => ({ rfilename }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }

    if (repo.gated && !(token && (repo.allowedTokens ?? []).includes(token))) {
      const msg = `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
      fail(token ? 403 : 401, msg, 'GatedRepo', msg);
      return;
    }
    const name = parts.slice(4).join('/');
    const content = files[name];
    if (content === undefined) {
      fail(404, 'Entry not found', 'EntryNotFound', 'Entry not found');
      return;
    }
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream', etag: `"${createHash('sha1').update(data).digest('hex')}"`, 'x-repo-commit': sha, 'accept-ranges': 'bytes' };
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range) {
      const from = Number(range[1]);
      const to = Math.min(Number(range[2]), data.length - 1);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${from}-${to}/${data.length}` });
      res.end(data.subarray(from, to + 1));
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': data.length });
    res.end(data);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
