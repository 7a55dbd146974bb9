/** Growable typed-array columns, for per-record results that workers transfer. */

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type TypedCtor<T extends Typed> = new (n: number) => T;

export class Column<T extends Typed> {
  private data: T;
  length = 0;

  constructor(private readonly ctor: TypedCtor<T>) {
    this.data = new ctor(1024);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const g = new this.ctor(this.data.length * 2);
      g.set(this.data);
      this.data = g;
    }
    this.data[this.length++] = v;
  }

  /** The values, in a buffer of their own (transferable). */
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export class F64Column extends Column<Float64Array> {
  constructor() {
    super(Float64Array);
  }
}

/** ASCII whitespace at the start of a record's text: where its trimmed bytes start. */
export function leadingWhitespace(s: string): number {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
  }
  return i;
}
