/**
 * A small OpenAI-compatible HTTP server on loopback for tests and benchmarks: the real `openai`
 * client talks to it over real sockets, so retries, timeouts, dropped connections and headers are
 * exercised for real, not through a mocked client.
 *
 *   POST /v1/chat/completions  non-streaming; deterministic content from model + messages + seed +
 *                              temperature + choice index; realistic `usage`; `n` > 1 supported.
 *   GET  /v1/models            the configured model list.
 *   POST /v1/files             multipart upload (as the openai client sends it); GET /v1/files/:id/content.
 *   POST /v1/batches           a Batch API job over an uploaded JSONL; GET /v1/batches/:id moves it
 *                              validating → in_progress → completed after `batch.pollsToComplete`
 *                              retrievals, answering each line as /v1/chat/completions would;
 *                              POST /v1/batches/:id/cancel; GET /v1/batches lists them. Faults: error lines, expiry (see BatchMode).
 *
 * Faults can be injected per request (a rule that matches the next k requests) or by schedule
 * (a predicate on the request index): 429 with Retry-After / retry-after-ms, 5xx, stalls, dropped
 * connections (before the answer, or in the middle of its body), invalid JSON, responses without choices, an error or a
 * 200 answer that echoes the Authorization header or the key (a hostile server, to prove that redaction works), and JSON
 * labelled `text/plain`. Every request is recorded.
 *
 * Run as a program (`node openaiTestServer.js`, forked with IPC) it serves in a child process so a
 * benchmark measures only its own CPU; the parent asks for the arrival log over IPC.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';

export interface RecordedRequest {
  index: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
  /** Date.now() when the request head arrived. */
  arrivedAt: number;
}

export type FaultKind =
  | 'rate-limit'
  | 'server-error'
  | 'stall'
  | 'drop'
  | 'truncate'
  | 'invalid-json'
  | 'no-choices'
  | 'echo-auth'
  | 'echo-key-ok'
  | 'text-plain'
  | 'status';

export interface FaultRule {
  kind: FaultKind;
  /** Apply to this many matching requests, then retire the rule (default: unlimited). */
  count?: number;
  /** Which requests the rule applies to: a schedule on the request index or a predicate. */
  when?: (req: RecordedRequest) => boolean;
  /** rate-limit: `Retry-After` in seconds. */
  retryAfterSeconds?: number;
  /** rate-limit: `retry-after-ms`. */
  retryAfterMs?: number;
  /** server-error / status: HTTP status (default 500 / 400). */
  status?: number;
  /** stall: how long to hold the request before answering normally (default 60 s). */
  stallMs?: number;
  /** echo-key-ok: text before the echoed key in the 200 answer's content (default "Your key is "). */
  echoPrefix?: string;
}

export interface JudgeMode {
  /** The judge prefers the response that contains this text. */
  marker: string;
  /** A biased judge always names this position, whatever the content. */
  bias?: 'A' | 'B';
  /** Answer with text that names no verdict. */
  garbage?: boolean;
  /**
   * Rubric prompts (rubricJudge.ts: "Criteria:" lines, a JSON reply): the reply for the responses
   * shown as A and B, as text. Default: the marked response scores the scale's max on every
   * criterion, the other its min (both the middle when neither or both are marked; with `bias`,
   * the favoured position the max), as a JSON object.
   */
  rubricReply?: (shown: { a: string; b: string; criteria: string[]; min: number; max: number }) => string;
}

/**
 * Synthetic-records mode: a request whose last user message shows example records between
 * `<example>` tags (src/core/generation/syntheticPrompt.ts) is answered with a NEW record of the
 * first example's shape: every string replaced by deterministic text (from model, messages, seed,
 * temperature and the string's path), except role names and empty strings, so the record stays
 * valid in its format. Requests without examples are answered as usual.
 */
export interface SyntheticMode {
  /** Replies for the first requests with examples, in arrival order (invalid JSON, a copied seed, …). */
  script?: string[];
  /** Wrap generated records in a ```json fence with a line of prose, as chat models often do. */
  fenced?: boolean;
}

export interface BatchMode {
  /** Retrievals before a batch completes (default 3: validating, in_progress, completed). */
  pollsToComplete?: number;
  /** Lines whose custom_id matches go to the error file (a 500 response) instead of the output. */
  errorWhen?: (customId: string) => boolean;
  /** The batch expires instead of completing, with only its first `expireAfterLines` lines answered. */
  expire?: boolean;
  expireAfterLines?: number;
}

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
}

export interface StoredBatch {
  id: string;
  input_file_id: string;
  status: string;
  polls: number;
  cancelRequested: boolean;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
}

export interface TestServerOptions {
  models?: string[];
  /** Fixed latency per request, or a function of the request. */
  latencyMs?: number | ((req: RecordedRequest) => number);
  judge?: JudgeMode;
  synthetic?: SyntheticMode;
  /** Keep only the arrival time of each request (for long benchmarks). */
  recordArrivalsOnly?: boolean;
  batch?: BatchMode;
  /**
   * Refuse requests that carry one of these parameters, as OpenAI does an unknown argument (400,
   * `error.message` naming it) or as Mistral/FastAPI servers do (422, a `detail` list, no `error`).
   */
  refuseParams?: { names: string[]; style: 'openai' | 'fastapi' };
  /** Address to listen on (default 127.0.0.1; `0.0.0.0` makes it reachable at the machine's other addresses too). */
  host?: string;
}

export interface TestServer {
  baseURL: string;
  port: number;
  requests: RecordedRequest[];
  /** Arrival times (Date.now()) of every request, also kept when recordArrivalsOnly is set. */
  arrivals: number[];
  setFaults(rules: FaultRule[]): void;
  setLatency(latency: TestServerOptions['latencyMs']): void;
  setJudge(judge: JudgeMode | undefined): void;
  setSynthetic(synthetic: SyntheticMode | undefined): void;
  setBatch(batch: BatchMode | undefined): void;
  /** Uploaded and generated files, and batches, by id. */
  files: Map<string, StoredFile>;
  batches: Map<string, StoredBatch>;
  close(): Promise<void>;
}

interface ChatMessage {
  role: string;
  content: unknown;
}

function hashHex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Rough tokens of a text, the way a BPE tokenizer averages on English: 4 characters a token. */
function tokensOf(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (p && typeof p === 'object' && 'text' in p ? String((p as { text: unknown }).text) : '')).join('');
  return '';
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa'];

/** Deterministic content: same model, messages, seed, temperature and index give the same text. */
export function deterministicContent(model: string, messages: ChatMessage[], seed: unknown, temperature: unknown, index: number, maxTokens?: number): string {
  const h = hashHex(JSON.stringify([model, messages.map((m) => [m.role, contentText(m.content)]), seed ?? null, temperature ?? null, index]));
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const words: string[] = [];
  const count = 4 + (parseInt(h.slice(0, 2), 16) % 12);
  for (let i = 0; i < count; i++) words.push(WORDS[parseInt(h.slice(2 + i * 2, 4 + i * 2), 16) % WORDS.length]);
  let text = `[${model}#${h.slice(0, 8)}] re: ${contentText(lastUser?.content).slice(0, 40)} — ${words.join(' ')}`;
  if (typeof maxTokens === 'number' && maxTokens > 0 && tokensOf(text) > maxTokens) text = text.slice(0, maxTokens * 4);
  return text;
}

function extractTag(text: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
  return m ? m[1] : undefined;
}

function judgeAnswer(messages: ChatMessage[], judge: JudgeMode): string | undefined {
  const text = messages.map((m) => contentText(m.content)).join('\n');
  const a = extractTag(text, 'response_a');
  const b = extractTag(text, 'response_b');
  if (a === undefined || b === undefined) return undefined;
  if (judge.garbage) return 'Both responses have merits and flaws; I cannot decide.';
  const criteria = /\nCriteria:\n((?:- .*\n?)+)/.exec(text);
  if (criteria) {
    const ids = criteria[1].split('\n').filter(Boolean).map((l) => /^- ([a-z][a-z0-9_-]*)/.exec(l)?.[1] ?? '');
    const scale = /Scores are integers from (\d+) \(worst\) to (\d+) \(best\)/.exec(text);
    const [min, max] = scale ? [Number(scale[1]), Number(scale[2])] : [1, 5];
    if (judge.rubricReply) return judge.rubricReply({ a, b, criteria: ids, min, max });
    const inA = judge.bias ? judge.bias === 'A' : a.includes(judge.marker);
    const inB = judge.bias ? judge.bias === 'B' : b.includes(judge.marker);
    const mid = Math.round((min + max) / 2);
    const score = (mine: boolean, other: boolean) => (mine === other ? mid : mine ? max : min);
    const side = (n: number) => Object.fromEntries(ids.map((id) => [id, n]));
    return `\`\`\`json\n${JSON.stringify({ A: side(score(inA, inB)), B: side(score(inB, inA)) })}\n\`\`\``;
  }
  let verdict: 'A' | 'B' | 'C';
  if (judge.bias) verdict = judge.bias;
  else {
    const inA = a.includes(judge.marker);
    const inB = b.includes(judge.marker);
    verdict = inA === inB ? 'C' : inA ? 'A' : 'B';
  }
  return `Helpfulness, honesty and instruction-following considered.\nFinal verdict: [[${verdict}]]`;
}

const ROLE_KEYS = new Set(['from', 'role', 'type', 'name', 'tool_call_id']);
const ROLE_VALUES = new Set(['human', 'gpt', 'user', 'assistant', 'system', 'function_call', 'observation', 'tool', 'model']);

/** A new record shaped like `example`: strings replaced by text derived from `salt` and their path. */
export function syntheticRecordLike(example: unknown, salt: string, at = '$'): unknown {
  if (typeof example === 'string') {
    if (example === '' || ROLE_VALUES.has(example)) return example;
    const h = hashHex(`${salt}|${at}`);
    const words: string[] = [];
    for (let i = 0; i < 12; i++) words.push(`${WORDS[parseInt(h.slice(i * 2, i * 2 + 2), 16) % WORDS.length]}${parseInt(h[40 + (i % 20)], 16) % 10}`);
    return `${words.join(' ')} ${h.slice(24, 32)}`;
  }
  if (Array.isArray(example)) return example.map((v, i) => syntheticRecordLike(v, salt, `${at}[${i}]`));
  if (example && typeof example === 'object') {
    return Object.fromEntries(Object.entries(example as Record<string, unknown>).map(([k, v]) => [k, ROLE_KEYS.has(k) && typeof v === 'string' ? v : syntheticRecordLike(v, salt, `${at}.${k}`)]));
  }
  return example;
}

function firstExample(messages: ChatMessage[]): unknown {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const text = extractTag(contentText(lastUser?.content), 'example');
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function start(options: TestServerOptions = {}): Promise<TestServer> {
  const models = options.models ?? ['test-model-a', 'test-model-b', 'judge-model'];
  let latency = options.latencyMs ?? 0;
  let judge = options.judge;
  let synthetic = options.synthetic;
  let scriptUsed = 0;
  let rules: (FaultRule & { used: number })[] = [];
  const requests: RecordedRequest[] = [];
  const arrivals: number[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let index = 0;
  let closing = false;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': `req_${index}`, ...headers });
    res.end(text);
  };

  const pickFault = (rec: RecordedRequest): FaultRule | undefined => {
    for (const r of rules) {
      if (r.count !== undefined && r.used >= r.count) continue;
      if (r.when && !r.when(rec)) continue;
      r.used++;
      return r;
    }
    return undefined;
  };

  const answerChat = (rec: RecordedRequest, res: http.ServerResponse, headers: Record<string, string> = {}): void => {
    const a = chatAnswer(rec.body, rec.index, rec.arrivedAt);
    sendJson(res, a.status, a.body, headers);
  };

  const chatAnswer = (recBody: unknown, recIndex: number, arrivedAt: number): { status: number; body: unknown } => {
    const body = recBody as { model?: unknown; messages?: unknown; n?: unknown; seed?: unknown; temperature?: unknown; max_tokens?: unknown; max_completion_tokens?: unknown } | undefined;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return { status: 400, body: { error: { message: 'model and messages are required', type: 'invalid_request_error', code: null } } };
    }
    const refused = options.refuseParams?.names.find((p) => (body as Record<string, unknown>)[p] !== undefined);
    if (refused !== undefined) {
      return options.refuseParams?.style === 'fastapi'
        ? { status: 422, body: { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', refused], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_error', param: null, code: null } }
        : { status: 400, body: { error: { message: `Unrecognized request argument supplied: ${refused}`, type: 'invalid_request_error', param: null, code: null } } };
    }
    if (!models.includes(body.model)) {
      return { status: 404, body: { error: { message: `The model \`${body.model}\` does not exist`, type: 'invalid_request_error', code: 'model_not_found' } } };
    }
    const messages = body.messages as ChatMessage[];
    const n = typeof body.n === 'number' && body.n > 0 ? Math.min(16, Math.floor(body.n)) : 1;
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : undefined;
    const promptTokens = messages.reduce((s, m) => s + 4 + tokensOf(contentText(m.content)), 3);
    let judged = judge ? judgeAnswer(messages, judge) : undefined;
    const example = synthetic && judged === undefined ? firstExample(messages) : undefined;
    if (synthetic && example !== undefined) {
      if (synthetic.script && scriptUsed < synthetic.script.length) judged = synthetic.script[scriptUsed++];
      else {
        const salt = JSON.stringify([body.model, messages.map((m) => [m.role, contentText(m.content)]), body.seed ?? null, body.temperature ?? null]);
        const record = JSON.stringify(syntheticRecordLike(example, salt), null, 2);
        judged = synthetic.fenced ? `Here is a new record:\n\n\`\`\`json\n${record}\n\`\`\`\n` : record;
      }
    }
    const choices = [];
    let completionTokens = 0;
    for (let i = 0; i < n; i++) {
      const content = judged ?? deterministicContent(body.model, messages, body.seed, body.temperature, i, maxTokens);
      completionTokens += tokensOf(content);
      choices.push({ index: i, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null });
    }
    return {
      status: 200,
      body: {
        id: `chatcmpl-${recIndex}`,
        object: 'chat.completion',
        created: Math.floor(arrivedAt / 1000),
        model: body.model,
        choices,
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      },
    };
  };

  // Batch API: files and batches kept in memory.
  let batchMode = options.batch;
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, StoredBatch>();
  let nextId = 0;

  /** The `file` part and the `purpose` field of a multipart/form-data body. */
  const parseMultipart = (rec: RecordedRequest): { filename: string; content: string; purpose: string } | undefined => {
    const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(rec.headers['content-type'] ?? ''));
    if (!m) return undefined;
    const boundary = `--${m[1] ?? m[2]}`;
    let file: { filename: string; content: string } | undefined;
    let purpose = '';
    for (const part of rec.rawBody.split(boundary)) {
      const headEnd = part.indexOf('\r\n\r\n');
      if (headEnd < 0) continue;
      const head = part.slice(0, headEnd);
      const value = part.slice(headEnd + 4).replace(/\r\n$/, '');
      const name = /name="([^"]*)"/.exec(head)?.[1];
      if (name === 'file') file = { filename: /filename="([^"]*)"/.exec(head)?.[1] ?? 'upload', content: value };
      else if (name === 'purpose') purpose = value;
    }
    return file ? { ...file, purpose } : undefined;
  };

  const batchView = (b: StoredBatch): unknown => ({
    id: b.id,
    object: 'batch',
    endpoint: '/v1/chat/completions',
    errors: null,
    input_file_id: b.input_file_id,
    completion_window: '24h',
    status: b.status,
    output_file_id: b.output_file_id,
    error_file_id: b.error_file_id,
    created_at: 0,
    request_counts: b.request_counts,
    metadata: null,
  });

  /** Runs every input line (as far as the batch got) and stores the output and error files. */
  const finishBatch = (b: StoredBatch, status: 'completed' | 'expired' | 'cancelled', lineLimit: number): void => {
    const input = files.get(b.input_file_id)?.content ?? '';
    const out: string[] = [];
    const err: string[] = [];
    let n = 0;
    for (const raw of input.split('\n')) {
      if (!raw.trim()) continue;
      if (n++ >= lineLimit) break;
      const line = JSON.parse(raw) as { custom_id: string; body: unknown };
      const id = `batch_req_${nextId++}`;
      if (batchMode?.errorWhen?.(line.custom_id)) {
        err.push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: 500, request_id: id, body: { error: { message: 'The server had an error processing this request.', type: 'server_error' } } }, error: null }));
        continue;
      }
      const a = chatAnswer(line.body, nextId, Date.now());
      (a.status === 200 ? out : err).push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: a.status, request_id: id, body: a.body }, error: null }));
    }
    const store = (lines: string[]): string | null => {
      if (!lines.length) return null;
      const f: StoredFile = { id: `file-${nextId++}`, filename: `${b.id}_output.jsonl`, purpose: 'batch_output', content: lines.join('\n') + '\n' };
      files.set(f.id, f);
      return f.id;
    };
    b.output_file_id = store(out);
    b.error_file_id = store(err);
    b.status = status;
    b.request_counts = { total: b.request_counts.total, completed: out.length, failed: err.length };
  };

  const routeBatchApi = (rec: RecordedRequest, path: string, res: http.ServerResponse): boolean => {
    if (rec.method === 'POST' && path === '/v1/files') {
      const f = parseMultipart(rec);
      if (!f) {
        sendJson(res, 400, { error: { message: 'expected multipart/form-data with a file', type: 'invalid_request_error', code: null } });
        return true;
      }
      const stored: StoredFile = { id: `file-${nextId++}`, filename: f.filename, purpose: f.purpose, content: f.content };
      files.set(stored.id, stored);
      sendJson(res, 200, { id: stored.id, object: 'file', bytes: Buffer.byteLength(f.content), created_at: 0, filename: f.filename, purpose: f.purpose, status: 'processed' });
      return true;
    }
    let m = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (rec.method === 'GET' && m) {
      const f = files.get(m[1]);
      if (!f) sendJson(res, 404, { error: { message: `No such File object: ${m[1]}`, type: 'invalid_request_error', code: null } });
      else {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(f.content) });
        res.end(f.content);
      }
      return true;
    }
    if (rec.method === 'POST' && path === '/v1/batches') {
      const body = rec.body as { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown } | undefined;
      const input = typeof body?.input_file_id === 'string' ? files.get(body.input_file_id) : undefined;
      if (!input || body?.endpoint !== '/v1/chat/completions' || body.completion_window !== '24h') {
        sendJson(res, 400, { error: { message: 'input_file_id of an uploaded file, endpoint and completion_window 24h are required', type: 'invalid_request_error', code: null } });
        return true;
      }
      const total = input.content.split('\n').filter((l) => l.trim()).length;
      const b: StoredBatch = { id: `batch_${nextId++}`, input_file_id: input.id, status: 'validating', polls: 0, cancelRequested: false, output_file_id: null, error_file_id: null, request_counts: { total, completed: 0, failed: 0 } };
      batches.set(b.id, b);
      sendJson(res, 200, batchView(b));
      return true;
    }
    if (rec.method === 'GET' && path === '/v1/batches') {
      // Newest first, as the real list is; one page.
      sendJson(res, 200, { object: 'list', data: [...batches.values()].reverse().map(batchView), first_id: null, last_id: null, has_more: false });
      return true;
    }
    m = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    if (m && ((rec.method === 'GET' && !m[2]) || (rec.method === 'POST' && m[2]))) {
      const b = batches.get(m[1]);
      if (!b) {
        sendJson(res, 404, { error: { message: `No such Batch: ${m[1]}`, type: 'invalid_request_error', code: null } });
        return true;
      }
      const ended = ['completed', 'expired', 'cancelled', 'failed'].includes(b.status);
      if (m[2]) {
        if (!ended) {
          b.cancelRequested = true;
          b.status = 'cancelling';
        }
      } else if (!ended) {
        b.polls++;
        const need = batchMode?.pollsToComplete ?? 3;
        if (b.cancelRequested) finishBatch(b, 'cancelled', 0);
        else if (b.polls >= need) finishBatch(b, batchMode?.expire ? 'expired' : 'completed', batchMode?.expire ? (batchMode.expireAfterLines ?? 0) : Infinity);
        else {
          b.status = b.polls === 1 ? 'validating' : 'in_progress';
          if (b.status === 'in_progress') b.request_counts = { ...b.request_counts, completed: Math.floor(b.request_counts.total / 2) };
        }
      }
      sendJson(res, 200, batchView(b));
      return true;
    }
    return false;
  };

  const applyFault = (fault: FaultRule, rec: RecordedRequest, req: http.IncomingMessage, res: http.ServerResponse): void => {
    switch (fault.kind) {
      case 'rate-limit': {
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        sendJson(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, headers);
        return;
      }
      case 'server-error':
        sendJson(res, fault.status ?? 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } });
        return;
      case 'status':
        sendJson(res, fault.status ?? 400, { error: { message: `Injected status ${fault.status ?? 400}`, type: 'invalid_request_error', code: null } });
        return;
      case 'stall':
        later(fault.stallMs ?? 60_000, () => answerChat(rec, res));
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'truncate': {
        // Headers promise more than is sent, then the connection dies mid-body.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write('{"id": "chatcmpl-cut", "choices": [');
        later(5, () => req.socket.destroy());
        return;
      }
      case 'invalid-json': {
        const text = '{"id": "chatcmpl-broken", "choices": [{"index": 0, "message": {"content": "unterminated';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case 'no-choices':
        sendJson(res, 200, { id: `chatcmpl-${rec.index}`, object: 'chat.completion', created: 0, model: 'x', usage: { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 } });
        return;
      case 'echo-auth':
        sendJson(res, 400, { error: { message: `Invalid request; you sent Authorization: ${String(rec.headers.authorization ?? '(none)')}`, type: 'invalid_request_error', code: null } });
        return;
      case 'echo-key-ok': {
        // A 200 answer whose text carries the bare key (no "Bearer" before it to give it away).
        const key = String(rec.headers.authorization ?? '(none)').replace(/^Bearer\s+/i, '');
        const content = `${fault.echoPrefix ?? 'Your key is '}${key} — thanks.`;
        sendJson(res, 200, {
          id: `chatcmpl-${rec.index}`,
          object: 'chat.completion',
          created: 0,
          model: (rec.body as { model?: string } | undefined)?.model ?? 'x',
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 5, completion_tokens: tokensOf(content), total_tokens: 5 + tokensOf(content) },
        });
        return;
      }
      case 'text-plain':
        // A normal answer, labelled as text (as some proxies and small servers do).
        answerChat(rec, res, { 'content-type': 'text/plain; charset=utf-8' });
        return;
    }
  };

  const server = http.createServer((req, res) => {
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      if (closing) {
        req.socket.destroy();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const rec: RecordedRequest = { index: index++, method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body, arrivedAt };
      arrivals.push(arrivedAt);
      if (options.recordArrivalsOnly) {
        requests.length = 0;
      } else requests.push(rec);
      const path = (req.url ?? '').split('?')[0];
      const route = (): void => {
        if (req.method === 'GET' && path === '/v1/models') {
          sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'pairwise-test' })) });
          return;
        }
        if (routeBatchApi(rec, path, res)) return;
        if (req.method === 'POST' && path === '/v1/chat/completions') {
          const fault = pickFault(rec);
          if (fault) applyFault(fault, rec, req, res);
          else answerChat(rec, res);
          return;
        }
        sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error', code: null } });
      };
      const delay = typeof latency === 'function' ? latency(rec) : latency;
      if (delay > 0) later(delay, route);
      else route();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    arrivals,
    setFaults(next) {
      rules = next.map((r) => ({ ...r, used: 0 }));
    },
    setLatency(next) {
      latency = next ?? 0;
    },
    setJudge(next) {
      judge = next;
    },
    setSynthetic(next) {
      synthetic = next;
      scriptUsed = 0;
    },
    setBatch(next) {
      batchMode = next;
    },
    files,
    batches,
    async close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** IPC protocol of the child-process mode (used by bench/generation.bench.ts). */
export type ChildCommand = { type: 'arrivals' } | { type: 'close' };
export type ChildReply = { type: 'ready'; baseURL: string } | { type: 'arrivals'; arrivals: number[]; cpuMicros: number };

if (require.main === module && typeof process.send === 'function') {
  const latencyMs = Number(process.env.PAIRWISE_TEST_SERVER_LATENCY_MS ?? '0');
  void start({ latencyMs, recordArrivalsOnly: true }).then((srv) => {
    const send = (m: ChildReply): void => {
      process.send?.(m);
    };
    send({ type: 'ready', baseURL: srv.baseURL });
    process.on('message', (m: ChildCommand) => {
      if (m.type === 'arrivals') {
        const cpu = process.cpuUsage();
        send({ type: 'arrivals', arrivals: srv.arrivals.slice(), cpuMicros: cpu.user + cpu.system });
        srv.arrivals.length = 0;
      } else if (m.type === 'close') {
        void srv.close().then(() => process.exit(0));
      }
    });
    process.on('disconnect', () => void srv.close().then(() => process.exit(0)));
  });
}
