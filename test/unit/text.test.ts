import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { random } from '../../bench/generate';
import { scanItems, scanNodesLayout } from '../../server/src/engine/sources/inventory/layout';
import { computeLineStarts, LineIndex } from '../../server/src/engine/core/text/lineIndex';
import { TextBuffer } from '../../server/src/engine/core/text/textBuffer';
import { splitDocuments } from '../../server/src/engine/core/yaml/split';

describe('TextBuffer', () => {
  it('keeps line starts equal to a full rescan through random edits, CRLF included', () => {
    const next = random(42);
    const buffer = new TextBuffer('a: 1\r\nb: 2\nc: 3\r\n');
    for (let i = 0; i < 2000; i++) {
      const lines = new LineIndex(buffer.text);
      // LSP positions cannot point between the \r and \n of a CRLF: such offsets move to the line's end.
      const valid = (offset: number) => (buffer.text[offset - 1] === '\r' && buffer.text[offset] === '\n' ? offset - 1 : offset);
      const start = valid(Math.floor(next() * (buffer.text.length + 1)));
      const end = Math.max(start, valid(Math.min(buffer.text.length, start + Math.floor(next() * 6))));
      const insert = ['', 'x', '\n', '\r\n', '\r', 'ab\ncd', '\n\n'][Math.floor(next() * 7)];
      const expected = buffer.text.slice(0, start) + insert + buffer.text.slice(end);
      const edit = buffer.apply({ range: lines.rangeOf(start, end), text: insert });
      assert.equal(buffer.text, expected);
      assert.deepEqual(buffer.lineStarts, computeLineStarts(expected), `step ${i}`);
      assert.equal(edit.lineDelta, computeLineStarts(expected).length - lines.lineCount);
    }
  });
  it('applies a character past the end of a line at its end, before the line break (LSP)', () => {
    for (const eol of ['\n', '\r\n']) {
      const buffer = new TextBuffer(`a: 1${eol}b: 2${eol}`);
      buffer.apply({ range: { start: { line: 0, character: 99 }, end: { line: 0, character: 99 } }, text: ' # x' });
      assert.equal(buffer.text, `a: 1 # x${eol}b: 2${eol}`);
      assert.deepEqual(buffer.lineStarts, computeLineStarts(buffer.text));
    }
  });
  it('replaces the whole text when a change has no range', () => {
    const buffer = new TextBuffer('a\nb\n');
    const edit = buffer.apply({ text: 'x' });
    assert.equal(buffer.text, 'x');
    assert.ok(edit.wholeText);
  });
});

describe('splitDocuments', () => {
  const streams = [
    'a: 1\n',
    'a: 1\n---\nb: 2\n',
    '# head\n---\na: 1\n...\n---\nb: 2\n...\n',
    '%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: |\n  text\n---\nc: 3',
    '---\n---\na: 1\n',
    'a: |\n  ---not a marker\n---\nb: 1\n',
    '',
    '# only a comment\n',
  ];
  for (const stream of streams) {
    it(`splits ${JSON.stringify(stream).slice(0, 40)} like the YAML parser`, () => {
      const expected = parseAllDocuments(stream).map((d) => (Array.isArray(d) ? null : d.toJS()));
      const actual = splitDocuments(stream).map(({ start, end }) =>
        parseAllDocuments(stream.slice(start, end)).map((d) => (Array.isArray(d) ? null : d.toJS())),
      );
      assert.deepEqual(actual.flat(), expected);
    });
  }
});

describe('node list layout scan', () => {
  const doc =
    'apiVersion: x\nspec:\n  apiServerPort: 1\n  nodes:\n    # first\n    - hostname: a\n      roles: [worker]\n\n    - hostname: b\n# comment at column 0\n    -\n      hostname: c\n';
  it('finds the items of spec.nodes by indentation', () => {
    const layout = scanNodesLayout(doc)!;
    assert.equal(layout.itemIndent, 4);
    assert.deepEqual(layout.itemStarts, [
      doc.indexOf('    - hostname: a'),
      doc.indexOf('    - hostname: b'),
      doc.indexOf('    -\n'),
    ]);
  });
  it('accepts a list at the same indentation as its key', () => {
    assert.equal(scanNodesLayout('spec:\n  nodes:\n  - hostname: a\n  - hostname: b\n')!.itemStarts.length, 2);
  });
  for (const [why, text] of [
    ['flow list', 'spec:\n  nodes: [{hostname: a}]\n'],
    ['keys after the list', 'spec:\n  nodes:\n    - hostname: a\n  apiServerPort: 1\n'],
    ['alias', 'spec:\n  nodes:\n    - *a\n'],
    ['tab', 'spec:\n  nodes:\n\t- hostname: a\n'],
    ['no nodes', 'spec:\n  apiServerPort: 1\n'],
    ['quoted key', 'spec:\n  "nodes":\n    - hostname: a\n'],
  ] as const) {
    it(`declines a ${why}`, () => assert.equal(scanNodesLayout(text), undefined));
  }
  it('re-chunks a region only when it holds whole items', () => {
    assert.deepEqual(scanItems('    - a: 1\n      b: 2\n    - c: 3\n', 4), [0, 22]);
    assert.equal(scanItems('      b: 2\n    - c: 3\n', 4), undefined);
    assert.equal(scanItems('    - a: 1\n  x: 2\n', 4), undefined);
  });
});
