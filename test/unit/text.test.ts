import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { random } from '../../bench/generate';
import { scanItems, scanNodesLayout } from '../../server/src/engine/sources/inventory/layout';
import { computeLineStarts, LineIndex } from '../../server/src/engine/core/text/lineIndex';
import { Rewrite, type OffsetEdit } from '../../server/src/engine/core/text/rewrite';
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

describe('Rewrite (fix-all rounds as edits of the original)', () => {
  /** Applies offset edits of the original, last first. */
  const applied = (text: string, edits: readonly OffsetEdit[]) =>
    [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

  it('gives back rounds that edit each other as minimal edits of the original', () => {
    const original = 'a: 1\r\nb: TCP  # keep\r\nc: 3\r\n';
    let rewrite = Rewrite.of(original);
    // Round 1: a protocol changed, a line added after c.
    rewrite = rewrite.apply([
      { start: 9, end: 12, text: 'UDP' },
      { start: 28, end: 28, text: 'd: 4\r\n' },
    ]);
    assert.equal(rewrite.text, 'a: 1\r\nb: UDP  # keep\r\nc: 3\r\nd: 4\r\n');
    // Round 2: edits inside what round 1 inserted, and one that spans old and new text.
    rewrite = rewrite.apply([
      { start: 31, end: 32, text: '40' },
      { start: 25, end: 29, text: '3\r\ne' },
    ]);
    assert.equal(rewrite.text, 'a: 1\r\nb: UDP  # keep\r\nc: 3\r\ne: 40\r\n');
    const edits = rewrite.edits();
    assert.equal(applied(original, edits), rewrite.text);
    assert.deepEqual(edits, [
      { start: 9, end: 11, text: 'UD' },
      { start: 28, end: 28, text: 'e: 40\r\n' },
    ]);
  });

  it('drops a change a later round undid, and never splits a CRLF', () => {
    const original = 'x: TCP\r\ny: 1\r\n';
    const there = Rewrite.of(original).apply([{ start: 3, end: 6, text: 'UDP' }]);
    const back = there.apply([{ start: 3, end: 6, text: 'TCP' }]);
    assert.equal(back.text, original);
    assert.deepEqual(back.edits(), []);
    // Removing "\r\ny: 1" and writing "\rz: 1" back: the edit starts before the \r, not between \r and \n.
    const lines = Rewrite.of(original).apply([{ start: 6, end: 12, text: '\r\nz: 1' }]);
    assert.deepEqual(lines.edits(), [{ start: 8, end: 9, text: 'z' }]);
    const crlf = Rewrite.of('a\r\nb').apply([{ start: 1, end: 4, text: '\r\r\nb' }]);
    assert.equal(crlf.text, 'a\r\r\nb');
    for (const edit of crlf.edits()) {
      assert.ok(!('a\r\nb'[edit.start - 1] === '\r' && 'a\r\nb'[edit.start] === '\n'), JSON.stringify(edit));
      assert.ok(!('a\r\nb'[edit.end - 1] === '\r' && 'a\r\nb'[edit.end] === '\n'), JSON.stringify(edit));
    }
    assert.equal(applied('a\r\nb', crlf.edits()), 'a\r\r\nb');
  });

  it('matches applying the rounds directly, through random rounds', () => {
    const next = random(7);
    for (let trial = 0; trial < 200; trial++) {
      const original = 'ab\r\ncd\nef  # g\r\n'.repeat(1 + Math.floor(next() * 3));
      let rewrite = Rewrite.of(original);
      for (let round = 0; round < 4; round++) {
        const edits: OffsetEdit[] = [];
        let at = 0;
        while (at < rewrite.text.length && edits.length < 4) {
          const start = at + Math.floor(next() * 5);
          if (start > rewrite.text.length) break;
          const end = Math.min(rewrite.text.length, start + Math.floor(next() * 4));
          edits.push({ start, end, text: ['', 'x', '\r\n', 'TCP', 'ab'][Math.floor(next() * 5)] });
          at = end + 1;
        }
        const expected = applied(rewrite.text, edits);
        rewrite = rewrite.apply(edits);
        assert.equal(rewrite.text, expected);
      }
      assert.equal(applied(original, rewrite.edits()), rewrite.text);
    }
  });
});
