/**
 * The open webview panels of one kind (labeling panels, statistics reports, Dataset View sessions)
 * and the one the user looked at last, for the commands that act on "the current" panel. Pure, so
 * unit-tested in plain Node; WebviewPanelBase adds and removes its panels here.
 */
export class PanelRegistry<P> {
  private readonly open = new Set<P>();
  private lastActive: P | undefined;

  add(p: P): void {
    this.open.add(p);
    this.lastActive = p;
  }

  delete(p: P): void {
    this.open.delete(p);
    if (this.lastActive === p) this.lastActive = undefined;
  }

  activated(p: P): void {
    if (this.open.has(p)) this.lastActive = p;
  }

  /** The open panels, oldest first. */
  all(): P[] {
    return [...this.open];
  }

  /** The panel looked at last, else the newest. */
  current(): P | undefined {
    if (this.lastActive && this.open.has(this.lastActive)) return this.lastActive;
    return this.all().at(-1);
  }

  disposeAll(this: PanelRegistry<P & { dispose(): unknown }>): void {
    for (const p of this.all()) p.dispose();
  }
}
