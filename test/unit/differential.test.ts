import * as assert from 'node:assert/strict';
import { generateInventory, generateNode, random } from '../../bench/generate';
import type { ContentChange } from '../../server/src/engine/core/text/textBuffer';
import { LineIndex } from '../../server/src/engine/core/text/lineIndex';
import { InventoryDocument } from '../../server/src/engine/sources/inventory/inventoryDocument';
import { Workspace } from '../../server/src/engine/analysis/workspace';

/**
 * Random edit sequences applied incrementally (as an editor sends them) must give exactly
 * the findings of a fresh analysis of the resulting text, after every edit.
 */
const URI = 'file:///cluster/inventory.yaml';
const SERVICE =
  '---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n    - port: 80\n      nodePort: 30080\n';

type Edit = { description: string; changes: ContentChange[] };

function randomEdit(text: string, next: () => number): Edit {
  const lines = new LineIndex(text);
  const pick = (n: number) => Math.floor(next() * n);
  const at = (offset: number) => lines.positionAt(offset);
  const replace = (start: number, end: number, newText: string, description: string): Edit => ({
    description: `${description} @${start}-${end} ${JSON.stringify(newText).slice(0, 60)}`,
    changes: [{ range: { start: at(start), end: at(end) }, text: newText }],
  });
  const itemStarts: number[] = [];
  for (let i = text.indexOf('\n    - '); i >= 0; i = text.indexOf('\n    - ', i + 1)) itemStarts.push(i + 1);
  const itemSpan = () => {
    const k = pick(itemStarts.length);
    return [
      itemStarts[k],
      k + 1 < itemStarts.length ? itemStarts[k + 1] : text.indexOf('---') > 0 ? text.indexOf('---') : text.length,
    ] as const;
  };
  // Mostly what typing does (digits, characters inside values, whole nodes), sometimes
  // edits that break the node list's layout or YAML itself.
  const weights = [30, 10, 8, 8, 6, 8, 4, 6, 3, 4, 3, 6];
  let roll = pick(weights.reduce((a, b) => a + b, 0));
  let kind = 0;
  while (roll >= weights[kind]) roll -= weights[kind++];
  switch (kind) {
    case 0: {
      // change a digit (ports, addresses, MACs)
      const digits = [...text.matchAll(/\d/g)].map((m) => m.index!);
      const i = digits[pick(digits.length)];
      return replace(i, i + 1, String(pick(10)), 'digit');
    }
    case 1: {
      const i = pick(text.length);
      return replace(i, i, 'abcx-:. \n\t['[pick(11)], 'insert char');
    }
    case 2: {
      const i = pick(text.length - 1);
      return replace(i, i + 1, '', 'delete char');
    }
    case 3: {
      if (!itemStarts.length) return replace(0, 0, '', 'noop');
      const [start] = itemSpan();
      return replace(start, start, generateNode(pick(5000), { mistakes: false }).text, 'insert node');
    }
    case 4: {
      if (itemStarts.length < 2) return replace(0, 0, '', 'noop');
      const [start, end] = itemSpan();
      return replace(start, end, '', 'delete node');
    }
    case 5: {
      const roles = [...text.matchAll(/\[(worker|control-plane|etcd)\]/g)];
      if (!roles.length) return replace(0, 0, '', 'noop');
      const m = roles[pick(roles.length)];
      return replace(
        m.index! + 1,
        m.index! + 1 + m[1].length,
        ['worker', 'control-plane', 'etcd', 'control-plane, worker'][pick(4)],
        'role',
      );
    }
    case 6: {
      const m = /apiServerPort: \d+/.exec(text);
      if (!m) return replace(0, 0, '', 'noop');
      return replace(m.index, m.index + m[0].length, `apiServerPort: ${[6443, 8443, 10250][pick(3)]}`, 'head');
    }
    case 7: {
      const hostnames = [...text.matchAll(/hostname: (\S+)/g)];
      const m = hostnames[pick(hostnames.length)];
      const other = hostnames[pick(hostnames.length)];
      return replace(m.index! + 10, m.index! + m[0].length, other[1], 'copy hostname');
    }
    case 8: {
      const [start, end] = itemSpan();
      const i = start + pick(end - start);
      return replace(i, Math.min(text.length, i + pick(200)), '', 'delete across');
    }
    case 9: {
      const i = text.lastIndexOf('\n', pick(text.length)) + 1;
      return replace(i, i, ['# note\n', '\n', '  # indented note\n', '\t\n', 'x: 1\n', '      - bad\n'][pick(6)], 'line');
    }
    case 10: {
      // two changes in one notification, the second relative to the text after the first
      const first = randomEdit(text, next);
      return {
        description: `multi: ${first.description}`,
        changes: [...first.changes, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }],
      };
    }
    default: {
      const macs = [...text.matchAll(/mac: "([^"]+)"/g)];
      const m = macs[pick(macs.length)];
      const other = macs[pick(macs.length)];
      return replace(m.index! + 6, m.index! + 6 + m[1].length, other[1], 'copy mac');
    }
  }
}

function fresh(text: string) {
  const workspace = new Workspace();
  workspace.setText(URI, text);
  return workspace.findings(URI);
}

describe('incremental analysis equals a full re-analysis (differential)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: 150 random edits`, () => {
      const next = random(seed);
      const start = () => generateInventory(10 + seed * 3) + (seed % 2 ? SERVICE : '');
      let text = start();
      const workspace = new Workspace();
      const file = workspace.setText(URI, text);
      workspace.findings(URI);
      let chunkedEdits = 0;
      let local = 0;
      let unchunkedSteps = 0;
      for (let step = 0; step < 150; step++) {
        // After a while with a layout the scan declines, start over (as a whole-text change)
        // so that most edits exercise the node-by-node path.
        const edit = unchunkedSteps > 6 ? { description: 'reset', changes: [{ text: start() }] } : randomEdit(text, next);
        const chunked = file.documents.some((d) => d instanceof InventoryDocument && d.chunked);
        workspace.applyChanges(URI, edit.changes);
        if (chunked) {
          chunkedEdits++;
          if (!file.needsAnalysis) local++;
        }
        unchunkedSteps = chunked ? 0 : unchunkedSteps + 1;
        text = file.text;
        assert.deepEqual(workspace.findings(URI), fresh(text), `seed ${seed}, step ${step}: ${edit.description}`);
      }
      if (process.env.DIFF_VERBOSE) console.log(`seed ${seed}: ${local}/${chunkedEdits} local`);
      assert.ok(
        local >= chunkedEdits / 2,
        `only ${local} of ${chunkedEdits} edits to a chunked inventory took the incremental path`,
      );
    });
  }
});

describe('node-by-node parsing equals parsing the document whole', () => {
  for (const nodes of [3, 25, 400]) {
    it(`${nodes} generated nodes`, () => {
      const text = (generateInventory(nodes) + SERVICE)
        .replace('hostname: node-4\n', 'hostname: Node-4\n')
        .replace('port: 10256', 'port: 10266')
        .replace('"52:55:00:00:01:02"', '"52:55:00:00:00:02"');
      const workspace = new Workspace();
      const file = workspace.setText(URI, text);
      const chunked = workspace.findings(URI);
      assert.ok(file.documents.some((d) => d instanceof InventoryDocument && d.chunked));
      // An alias-like token in a comment makes the layout scan decline, so the same nodes are
      // parsed whole; it sits at the end of an existing line so that no position moves.
      const wholeText = text.replace(/(metadata:\n  name: \S+)/, '$1 # see *whole');
      const whole = new Workspace();
      const wholeFile = whole.setText(URI, wholeText);
      assert.deepEqual(whole.findings(URI), chunked);
      assert.ok(wholeFile.documents.some((d) => d instanceof InventoryDocument && !d.chunked));
      assert.ok(chunked.length > 0);
    });
  }
});
