/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal and the work has already
 * taken more than a second, so piped output and quick runs stay clean.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  update(done: number, total: number): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.started < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const mb = (n: number) => (n / 1048576).toFixed(0);
    const tail = ` ${(frac * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(total)} MB`;
    const room = Math.max(10, (this.stream.columns || 80) - width - tail.length - 4);
    const label = this.label.length > room ? '…' + this.label.slice(this.label.length - room + 1) : this.label;
    this.stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
