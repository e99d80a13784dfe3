// A node's line and the editor's cursor, both ways, with a trace the real kernel records from a cell in
// a real file: the node's 1-based source line is where its call is written; the cursor on that line
// (VS Code's 0-based line) produces the message that lights exactly the nodes of that line; a reveal
// request for the node selects the file's text at the call; files no trace named are refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cell, startKernel } from '../kernel/kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { cursorMessage, revealPosition } from '../../../src/inspector/source_link';

let kernel: Kernel | undefined;
after(async () => { await kernel?.dispose(); });

test('cursor line ↔ node line, through a kernel run of a cell that starts at line 4 of its file', async () => {
  const lines = [
    '// a cell file',
    '',
    '// %% chain',
    'const x = tf.constant(1.0);',
    'const [w1, b1] = [tf.constant(2), tf.constant(1)];',
    'const tape = new tf.GradientTape({ persistent: true });',
    'const y1 = tape.record(() => { tape.watch([w1, b1]); return x.mul(w1).add(b1); });',
    'tape.gradient(y1, [w1, b1]);',
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'tapescope-link-')), 'cells.ts');
  writeFileSync(file, lines.join('\n'));
  kernel = await startKernel();
  let tapes: TapeTrace[] = [];
  kernel.onTapes.event((e) => { tapes = e.tapes; });
  const result = await kernel.run(cell(lines.slice(3).join('\n'), 3, file));
  assert.equal(result.outcome, 'ok', result.error?.message);
  const [tape] = tapes;
  const mul = tape.nodes.find((n) => n.op === 'Mul')!;
  const add = tape.nodes.find((n) => n.op === 'Add')!;
  assert.equal(mul.source?.file, file);
  assert.equal(mul.source?.line, 7, 'the Mul is written on line 7 of the file (1-based)');
  assert.equal(add.source?.line, 7);

  const known = new Set([file]);
  // The editor's cursor on that line: VS Code counts from 0.
  const message = cursorMessage(file, 6, known);
  assert.deepEqual(message, { type: 'cursor', file, line: 7 });
  const lit = tape.nodes.filter((n) => n.source?.file === message!.file && n.source.line === message!.line).map((n) => n.op);
  assert.deepEqual(lit.sort(), ['Add', 'Mul'], 'the cursor line lights the two ops written on it');
  assert.equal(cursorMessage(file, 5, known)?.line, 6);
  assert.equal(cursorMessage('/elsewhere/other.ts', 6, known), undefined, 'a file no trace drew sends nothing');

  // Reveal: the 0-based position the editor selects is the call's own text.
  const at = revealPosition({ type: 'revealSource', file, line: mul.source!.line, column: mul.source!.column }, known)!;
  const text = readFileSync(file, 'utf8').split('\n')[at.line].slice(at.character);
  assert.match(text, /^mul\(w1\)/, `the reveal lands on the Mul's call: ${text}`);
  const addAt = revealPosition({ type: 'revealSource', file, line: add.source!.line, column: add.source!.column }, known)!;
  assert.match(readFileSync(file, 'utf8').split('\n')[addAt.line].slice(addAt.character), /^add\(b1\)/);
  assert.equal(revealPosition({ type: 'revealSource', file: '/etc/passwd', line: 1, column: 1 }, known), undefined, 'never a file no trace named');
});
