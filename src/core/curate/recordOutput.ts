/**
 * Writes records to a whole-file output atomically, each as its source text (so a kept record is
 * byte-identical to its input line), as JSON Lines or as a JSON array. Buffered: `add` is
 * synchronous, `flush` is awaited between input chunks, `commit` renames into place.
 */
import * as path from 'node:path';
import { AtomicFileWriter } from '../jsonl/atomicWrite';

const FLUSH_CHARS = 1 << 20;

export class RecordOutput {
  private pending: string[] = [];
  private pendingChars = 0;
  private first = true;
  count = 0;

  private constructor(
    readonly target: string,
    private readonly writer: AtomicFileWriter,
    readonly asArray: boolean,
  ) {}

  /** `asArray` defaults from the name: `.json` writes a JSON array, anything else JSON Lines. */
  static async open(target: string, asArray = /\.json$/i.test(target)): Promise<RecordOutput> {
    const out = new RecordOutput(target, await AtomicFileWriter.create(target), asArray);
    if (asArray) out.push('[');
    return out;
  }

  /** Adds a record by its source text (a JSONL line without terminator, or an array element). */
  add(text: string): void {
    this.count++;
    if (!this.asArray) {
      this.push(text + '\n');
      return;
    }
    this.push((this.first ? '\n  ' : ',\n  ') + text);
    this.first = false;
  }

  /** Adds a record object (converted records), serialized like the other records of the output. */
  addObject(record: Record<string, unknown>): void {
    this.add(this.asArray ? JSON.stringify(record, null, 2).replace(/\n/g, '\n  ') : JSON.stringify(record));
  }

  get needsFlush(): boolean {
    return this.pendingChars >= FLUSH_CHARS;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    await this.writer.write(chunk);
  }

  async commit(): Promise<void> {
    if (this.asArray) this.push(this.first ? ']\n' : '\n]\n');
    await this.flush();
    await this.writer.commit();
  }

  async abort(): Promise<void> {
    this.pending = [];
    await this.writer.abort();
  }

  private push(s: string): void {
    this.pending.push(s);
    this.pendingChars += s.length;
  }
}

/** Aborts every output (after a failure or a cancel), leaving no temporary file behind. */
export async function abortAll(outputs: readonly (RecordOutput | undefined)[]): Promise<void> {
  await Promise.all(outputs.map((o) => o?.abort()));
}

/** `dir/name.<suffix>.<ext>` beside the input, keeping its extension (`.json` stays an array). */
export function siblingPath(input: string, suffix: string): string {
  const ext = path.extname(input) || '.jsonl';
  return path.join(path.dirname(input), `${path.basename(input, path.extname(input))}.${suffix}${ext}`);
}
