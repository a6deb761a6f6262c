import * as assert from 'node:assert/strict';
import { allowedTargets, revealTarget } from '../../client/src/mapReveal';

describe("the cluster map's reveal messages", () => {
  const map = allowedTargets([
    { uri: 'file:///work/inventory.yaml', line: 14, character: 6 },
    { uri: 'file:///work/inventory.yaml', line: 8, character: 16 },
    // A server that listed something else is not trusted either.
    { uri: 'command:workbench.action.terminal.new', line: 0, character: 0 },
  ]);

  it('reveals a place the map drew', () => {
    assert.deepEqual(revealTarget(map, { type: 'reveal', uri: 'file:///work/inventory.yaml', line: 14, character: 6 }), {
      uri: 'file:///work/inventory.yaml',
      line: 14,
      character: 6,
    });
  });

  it('refuses any URI or position the map did not draw, whatever the message says', () => {
    for (const message of [
      { type: 'reveal', uri: 'file:///root/.ssh/id_rsa', line: 0, character: 0 },
      { type: 'reveal', uri: 'vscode-userdata:/settings.json', line: 0, character: 0 },
      { type: 'reveal', uri: 'command:workbench.action.terminal.new', line: 0, character: 0 },
      { type: 'reveal', uri: 'file:///work/inventory.yaml', line: 15, character: 6 },
      { type: 'reveal', uri: 'file:///work/inventory.yaml', line: '14', character: 6 },
      { type: 'reveal', uri: 'file:///work/inventory.yaml', line: 14, character: -1 },
      { type: 'reveal', uri: 'file:///work/inventory.yaml' },
      { type: 'open', uri: 'file:///work/inventory.yaml', line: 14, character: 6 },
      null,
      'reveal',
    ])
      assert.equal(revealTarget(map, message), undefined, JSON.stringify(message));
    assert.equal(
      revealTarget(allowedTargets(undefined), { type: 'reveal', uri: 'file:///work/inventory.yaml', line: 14, character: 6 }),
      undefined,
    );
  });
});
