/**
 * The settings VS Code ignores in a workspace's own settings while it is untrusted
 * (`capabilities.untrustedWorkspaces.restrictedConfigurations`). A name there that matches no
 * declared setting restricts nothing, silently; a setting that reaches files or endpoints, or shapes
 * generated or label data, must be there. The e2e suite (restrictedSettings.test.ts) shows the
 * restriction at work in a real workbench.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
}

describe('package.json: settings restricted in untrusted workspaces', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const declared = new Set(([] as { properties: Record<string, unknown> }[]).concat(pkg.contributes.configuration).flatMap((c) => Object.keys(c.properties)));
  const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;

  it('names only declared settings, each once, with limited support (what makes VS Code apply the list)', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const name of restricted) assert.ok(declared.has(name), `${name} is not a declared setting`);
    assert.equal(new Set(restricted).size, restricted.length);
  });

  it('restricts every setting that reaches endpoints or files, or shapes generated or label data', () => {
    const mustBe = [
      // Where requests go and what they cost and ask for.
      'pairwise.endpoints',
      'pairwise.prices',
      'pairwise.generation.temperature',
      'pairwise.generation.maxTokens',
      'pairwise.generation.responsesPerModel',
      'pairwise.generation.seed',
      // Label data: who labels, which key means which side, which pairs, whether the judge's verdict shows before the decision.
      'pairwise.labeling.annotator',
      'pairwise.labeling.keys',
      'pairwise.labeling.pairStrategy',
      'pairwise.judge.showSuggestions',
      // Files read from a path the setting names.
      'pairwise.labeling.guidelinesFile',
      'pairwise.model',
    ];
    assert.deepEqual([...restricted].sort(), [...mustBe].sort());
  });
});
