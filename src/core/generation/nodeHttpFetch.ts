/**
 * A `fetch` for the openai client over node:http/https with keep-alive agents. Node 20's built-in
 * fetch (undici) spends several times the CPU of node:http per request, which at hundreds of
 * requests per second on a shared 2-core machine is the bottleneck of a generation job
 * (bench/generation.bench.ts). Only what the client needs for JSON calls is supported: string or
 * byte bodies, the whole response buffered (so the client's timeout covers the body too), abort by
 * signal, no redirects (a 3xx comes back as it is, and the client reports it).
 */
import * as http from 'node:http';
import * as https from 'node:https';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface NodeHttpFetchOptions {
  /** Sockets per origin (default 256; the scheduler is what limits concurrency). */
  maxSockets?: number;
  /** A response body larger than this fails the request (default 64 MiB). */
  maxResponseBytes?: number;
  /**
   * The bytes every response being read may hold together (default 256 MiB): a chunk past it fails
   * its request, as one past maxResponseBytes does. Without it, a server answering each of 16
   * requests in flight with 100 MB held 64 MiB per request before failing them: 2 GB at once.
   */
  maxBufferedBytes?: number;
}

export interface NodeHttpFetch {
  fetch: FetchLike;
  /** Closes idle keep-alive sockets. */
  destroy(): void;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function headerRecord(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  // The client passes a Headers object; copying it into another one first would cost CPU for nothing.
  (h instanceof Headers ? h : new Headers(h)).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/**
 * A Response whose body is already in memory. `new Response(buffer)` wraps the bytes in a web
 * ReadableStream that json()/text() then read back chunk by chunk through promises: about 60 µs and
 * several objects per call, a good part of a generation job's CPU per request. This one answers
 * json(), text(), arrayBuffer() and bytes() from the buffer directly and builds the stream only if
 * someone asks for `body` (or blob()/formData()/clone(), which go through it). One read per
 * response, as with any Response: a second read rejects with the platform's TypeError.
 */
export class BufferedResponse extends Response {
  #bytes: Buffer | undefined;
  #used = false;
  #stream: Response | undefined;

  constructor(bytes: Buffer, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  /** The platform Response over the same bytes, built on first need. */
  #streamed(): Response {
    if (!this.#stream) {
      if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
      this.#stream = new Response(this.#bytes ? (new Uint8Array(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength) as Uint8Array<ArrayBuffer>) : null, { status: this.status, statusText: this.statusText, headers: this.headers });
      this.#bytes = undefined;
    }
    return this.#stream;
  }

  #take(): Buffer {
    if (this.#stream) throw new Error('unreachable: body handed over to a stream');
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    const b = this.#bytes ?? Buffer.alloc(0);
    this.#bytes = undefined;
    return b;
  }

  override get body(): Response['body'] {
    return this.#streamed().body;
  }

  override get bodyUsed(): boolean {
    return this.#stream ? this.#stream.bodyUsed : this.#used;
  }

  override json(): Promise<unknown> {
    if (this.#stream) return this.#stream.json();
    try {
      return Promise.resolve(JSON.parse(this.#take().toString('utf8')));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  override text(): Promise<string> {
    if (this.#stream) return this.#stream.text();
    try {
      return Promise.resolve(this.#take().toString('utf8'));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#stream) return this.#stream.arrayBuffer();
    try {
      const b = this.#take();
      return Promise.resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  override bytes(): ReturnType<Response['bytes']> {
    return this.arrayBuffer().then((a) => new Uint8Array(a));
  }

  override blob(): Promise<Blob> {
    try {
      return this.#streamed().blob();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  override formData(): Promise<FormData> {
    try {
      return this.#streamed().formData();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  override clone(): Response {
    return this.#streamed().clone();
  }
}

export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): NodeHttpFetch {
  const maxSockets = options.maxSockets ?? 256;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const maxBuffered = options.maxBufferedBytes ?? 256 * 1024 * 1024;
  /** Bytes held by the responses being read now, over every request of this fetch. */
  let buffered = 0;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });

  const fetchImpl: FetchLike = (input, init = {}) => {
    if (input instanceof Request || (init.body !== undefined && init.body !== null && typeof init.body !== 'string' && !(init.body instanceof Uint8Array) && !(init.body instanceof ArrayBuffer))) {
      // Streams, forms and Request objects: not needed for JSON calls; let the platform handle them.
      return fetch(input, init);
    }
    const url = new URL(String(input));
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const mod = url.protocol === 'https:' ? https : http;
    // A string body stays a string: node:http then sends head and body in one write (a Buffer
    // body costs a second chunk in a writev and its copy).
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer);
    const headers = headerRecord(init.headers);
    if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length);
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let chunks: Buffer[] = [];
      /** This response's part of `buffered`. */
      let held = 0;
      const release = (): void => {
        buffered -= held;
        held = 0;
      };
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        release();
        chunks = [];
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      };
      const tooLarge = (what: string): void => {
        req.destroy();
        fail(new TypeError('fetch failed', { cause: new Error(what) }));
      };
      const req = mod.request(url, { method: init.method ?? 'GET', headers, agent: url.protocol === 'https:' ? httpsAgent : httpAgent }, (res) => {
        res.on('data', (c: Buffer) => {
          if (settled) return;
          if (held + c.length > maxBytes) return tooLarge(`response larger than ${maxBytes} bytes`);
          if (buffered + c.length > maxBuffered) return tooLarge(`responses being read hold more than ${maxBuffered} bytes together`);
          buffered += c.length;
          held += c.length;
          chunks.push(c);
        });
        res.on('error', (e) => fail(new TypeError('fetch failed', { cause: e })));
        res.on('close', () => {
          if (!res.complete) fail(new TypeError('fetch failed', { cause: new Error('connection closed before the response was complete') }));
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          // The body is the caller's from here on.
          release();
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          const h = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          const nullBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
          try {
            const responseInit = { status: status < 200 || status > 599 ? 500 : status, statusText: res.statusMessage ?? '', headers: h };
            resolve(nullBody ? new Response(null, responseInit) : new BufferedResponse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), responseInit));
          } catch (e) {
            reject(new TypeError('fetch failed', { cause: e }));
          }
        });
      });
      const onAbort = (): void => {
        const err = abortError(signal as AbortSignal);
        req.destroy(err);
        fail(err);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => fail(new TypeError('fetch failed', { cause: e })));
      req.end(body);
    });
  };
  return {
    fetch: fetchImpl,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
