/**
 * Decodes the lines of a run of bytes already known to be valid UTF-8, faster than decoding each
 * line with Buffer#toString('utf8'). On Node 20 that call (V8's UTF-8 decoder) costs about 1.6 ns
 * a byte of non-ASCII text, more than JSON.parse of the result. ICU's converter behind
 * buffer.transcode turns UTF-8 into UTF-16 at about 0.3 ns a byte, but opening it costs over 1 µs a
 * call; so a group of lines (32 KB) is transcoded at once into one string, and each line's text is
 * a slice of it (V8 keeps a slice of 13 characters or more as a view of the group's string, not a
 * copy). Lines are found in the group's string by their '\n' in step with the bytes, since each
 * '\n' byte is one '\n' unit. A copy of each line's units from a buffer (toString('utf16le')), and
 * a search of the buffer for each '\n', took 10-14% longer to validate a file of 600-byte records
 * (1-9% on files of longer ones).
 *
 * A line's text keeps its group's string alive while it lives: some 64 KB (two bytes a character;
 * more when the group's last line is long). The values JSON.parse makes of it are copies, which do
 * not.
 *
 * For valid UTF-8 both decoders give the same string (tested against each other); invalid input
 * never comes here, because the replacement characters it decodes to are the readers' business.
 */
import * as buffer from 'node:buffer';

/**
 * Bytes transcoded at once (then up to the next line's end). From 16 KB to 64 KB the speed is
 * about the same; larger groups raised the peak memory of two threads (1 MB groups by ~15 MB), as
 * freed groups wait for the garbage collector.
 */
const GROUP_BYTES = 32 * 1024;
/** A group this large (one huge line) is decoded line by line as before: no second copy of it. */
const MAX_GROUP_BYTES = 8 * 1024 * 1024;

/** buffer.transcode where it exists (Node and Electron built with ICU) and decodes like toString. */
const transcode = usableTranscode();

function usableTranscode(): typeof buffer.transcode | undefined {
  try {
    const t = buffer.transcode;
    if (typeof t !== 'function') return undefined;
    const sample = Buffer.from('a\u00e9\u4e2d\u{1f600}\n', 'utf8');
    return t(sample, 'utf8', 'utf16le').toString('utf16le') === sample.toString('utf8') ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Whether non-ASCII lines are decoded by groups (false where buffer.transcode is missing: then one by one). */
export const groupDecoding = transcode !== undefined;

export class ValidUtf8Lines {
  /** The group being read: bytes [groupStart, groupEnd) of `bytes`. */
  private groupStart = 0;
  private groupEnd = -1;
  /** Its text; undefined when the group is too large (then each line is decoded on its own). */
  private group: string | undefined;
  /** Whether the group is ASCII: then a line's bytes and characters have the same offsets. */
  private ascii = false;
  /** The next line's start, in bytes and in `group`. */
  private at8 = 0;
  private at16 = 0;

  /** `bytes[0, end)` must be valid UTF-8 where lines are asked, and `end` must follow a '\n'. */
  constructor(
    private readonly bytes: Buffer,
    private readonly end: number,
  ) {}

  /**
   * The text of bytes [start, stop): a line that starts at `start` (the start of the run or just
   * after a '\n') and ends at its '\n' at `nl` < end, with only '\r' between `stop` and `nl`. Lines
   * must be asked in order; lines in between may be skipped.
   */
  text(start: number, stop: number, nl: number): string {
    if (start >= this.groupEnd) this.load(start);
    const group = this.group;
    if (group === undefined) return this.bytes.toString('utf8', start, stop);
    if (this.ascii) return group.slice(start - this.groupStart, stop - this.groupStart);
    // Skipped lines (blank, too large): step over them in both, one '\n' at a time.
    while (this.at8 < start) {
      this.at8 = this.bytes.indexOf(0x0a, this.at8) + 1;
      this.at16 = group.indexOf('\n', this.at16) + 1;
    }
    const nl16 = group.indexOf('\n', this.at16);
    const from16 = this.at16;
    this.at8 = nl + 1;
    this.at16 = nl16 + 1;
    return group.slice(from16, nl16 - (nl - stop));
  }

  /** Starts the group of lines at `start` (a line start): GROUP_BYTES, then to the end of that line. */
  private load(start: number): void {
    let end = start + GROUP_BYTES;
    end = end >= this.end ? this.end : this.bytes.indexOf(0x0a, end) + 1;
    this.groupStart = start;
    this.groupEnd = end;
    this.at8 = start;
    this.at16 = 0;
    const bytes = this.bytes.subarray(start, end);
    this.ascii = buffer.isAscii(bytes);
    if (end - start > MAX_GROUP_BYTES) this.group = undefined;
    else if (this.ascii) this.group = bytes.toString('latin1');
    else this.group = transcode ? transcode(bytes, 'utf8', 'utf16le').toString('utf16le') : undefined;
  }
}
