import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellAtLine, splitCells } from '../../../src/cells/cell_splitter';

test('a file without markers is one untitled cell holding every line', () => {
  const cells = splitCells('const a = 1;\nconst b = 2;\n');
  assert.equal(cells.length, 1);
  assert.deepEqual({ ...cells[0] }, { index: 0, title: '', startLine: 0, endLine: 2, code: 'const a = 1;\nconst b = 2;\n' });
});

test('// %% opens a cell, the rest of the marker line is its title, the marker line is part of the cell', () => {
  const text = ['// %% setup', 'const a = 1;', '', '//%%   train loop  ', 'a + 1', '// %%', 'print(a)'].join('\n');
  const cells = splitCells(text);
  assert.deepEqual(cells.map((c) => [c.title, c.startLine, c.endLine]), [['setup', 0, 2], ['train loop', 3, 4], ['', 5, 6]]);
  assert.equal(cells[1].code, '//%%   train loop  \na + 1');
});

test('code above the first marker is its own cell; blank lines above it are not', () => {
  assert.deepEqual(splitCells('import x from "y";\n// %% a\n1').map((c) => [c.title, c.startLine, c.endLine]), [['', 0, 0], ['a', 1, 2]]);
  assert.deepEqual(splitCells('\n\n// %% a\n1').map((c) => [c.title, c.startLine]), [['a', 2]]);
});

test('indented markers count, // %% inside other text does not', () => {
  const cells = splitCells('  // %% indented\nx\nconst s = "// %% not a marker";');
  assert.equal(cells.length, 1);
  assert.equal(cells[0].title, 'indented');
});

test('CRLF files split on the same lines', () => {
  assert.deepEqual(splitCells('// %% a\r\n1\r\n// %% b\r\n2').map((c) => [c.startLine, c.endLine]), [[0, 1], [2, 3]]);
});

test('cellAtLine finds the cell holding a line, the first cell above it, the last past the end', () => {
  const cells = splitCells('\n\n// %% a\n1\n// %% b\n2');
  assert.equal(cellAtLine(cells, 3)?.title, 'a');
  assert.equal(cellAtLine(cells, 4)?.title, 'b');
  assert.equal(cellAtLine(cells, 0)?.title, 'a');
  assert.equal(cellAtLine(cells, 99)?.title, 'b');
  assert.equal(cellAtLine([], 0), undefined);
});
