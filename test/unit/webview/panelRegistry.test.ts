/** The registry of open panels (src/extension/panelRegistry.ts): which panel is "the current one". */
import * as assert from 'node:assert/strict';
import { PanelRegistry } from '../../../src/extension/panelRegistry';

class FakePanel {
  disposed = false;
  constructor(
    readonly name: string,
    private readonly registry: PanelRegistry<FakePanel>,
  ) {
    registry.add(this);
  }
  dispose(): void {
    this.disposed = true;
    this.registry.delete(this);
  }
}

describe('panel registry', () => {
  it('the current panel is the one looked at last, else the newest still open', () => {
    const r = new PanelRegistry<FakePanel>();
    assert.equal(r.current(), undefined);
    const a = new FakePanel('a', r);
    const b = new FakePanel('b', r);
    assert.equal(r.current(), b, 'a new panel is in front');
    r.activated(a);
    assert.equal(r.current(), a);
    a.dispose();
    assert.equal(r.current(), b, 'with the last looked-at panel closed, the newest open one');
    assert.deepEqual(r.all().map((p) => p.name), ['b']);
  });

  it('a closed panel cannot become current again', () => {
    const r = new PanelRegistry<FakePanel>();
    const a = new FakePanel('a', r);
    const b = new FakePanel('b', r);
    b.dispose();
    r.activated(b);
    assert.equal(r.current(), a);
  });

  it('all() lists oldest first; disposeAll closes every panel', () => {
    const r = new PanelRegistry<FakePanel>();
    const panels = ['a', 'b', 'c'].map((n) => new FakePanel(n, r));
    assert.deepEqual(r.all().map((p) => p.name), ['a', 'b', 'c']);
    r.disposeAll();
    assert.ok(panels.every((p) => p.disposed));
    assert.deepEqual(r.all(), []);
    assert.equal(r.current(), undefined);
  });
});
