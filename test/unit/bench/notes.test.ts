// docs/PERFORMANCE.md keeps its hand-written notes across full runs: bench/notes/<suite>.md is printed under the
// suite's table, and text someone wrote straight into the doc is moved into those files before the doc is rewritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GENERATED_BEGIN, handWrittenParagraphs, keepHandWrittenText, readNotes } from '../../../bench/notes';
import { performanceMarkdown, type SuiteOutcome } from '../../../bench/report';
import type { MachineFacts } from '../../../bench/machine';

const machine: MachineFacts = { cpu: 'Test CPU', simdFlags: 'avx2, fma', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20', v8: '11', loadAverage: 0.5 };
const outcomes = (figure: number): SuiteOutcome[] => [
  { suite: 'cnn', seconds: 1, rows: [{ suite: 'cnn', case: 'training step', unit: 'ms/step', tapescope: figure, runtimes: { 'Node 24': figure / 2 }, peers: { 'PyTorch 1 thread': 3 }, higherIsBetter: false }] },
  { suite: 'matmul', seconds: 1, rows: [{ suite: 'matmul', case: 'X@W1', unit: 'GFLOP/s', tapescope: 40, peers: {}, higherIsBetter: true }] },
];
const render = (figure: number, notes: Record<string, string>) => performanceMarkdown(outcomes(figure), {
  date: '2026-12-02T00:00:00Z', machine, runtime: { node: 'v20', v8: '11', matmulPath: 'wasm-simd' },
  otherRuntimes: { 'Node 24': { node: 'v24', v8: '13', matmulPath: 'wasm-relaxed-simd' } }, versions: {}, kernelsParagraph: 'Kernels.', notes,
});

test('notes are printed under their suite\'s table, and a doc made from them holds no hand-written text outside them', () => {
  const doc = render(12, { cnn: 'TF.js WASM has no Conv2DBackpropFilter kernel.' });
  const cnnTable = doc.indexOf('| cnn | training step |');
  const note = doc.indexOf('TF.js WASM has no Conv2DBackpropFilter kernel.');
  assert.ok(cnnTable > 0 && note > cnnTable && note < doc.indexOf('### matmul'), 'the note follows the cnn table, before the next suite');
  assert.match(doc, /\| Tapescope \| Tapescope, Node 24 \| PyTorch 1 thread \|/, 'the other runtime is a column of its own');
  assert.match(doc, /\| 12\.0 \| 6\.00 \| 3\.00 \| 0\.25× \|/);
  assert.match(doc, /CPU SIMD flags: avx2, fma/);
  const found = handWrittenParagraphs(doc, ['cnn', 'matmul']);
  assert.deepEqual(found, [{ suite: 'cnn', text: 'TF.js WASM has no Conv2DBackpropFilter kernel.' }], 'only the note is hand-written');
});

test('a full run keeps text written straight into the doc: it moves to the notes file of the suite it was under', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tapescope-notes-'));
  try {
    const notesDir = path.join(dir, 'notes');
    const docFile = path.join(dir, 'PERFORMANCE.md');
    const first = render(12, {});
    // An engineer adds a filtered run and an explanation under the matmul table, straight into the doc.
    const added = 'Filtered run at load 20: 35 GFLOP/s.\n\n| matmul | X@W1 | GFLOP/s | 35 |';
    const edited = first.replace(`${GENERATED_BEGIN}\nSuite run times`, `${added}\n\n${GENERATED_BEGIN}\nSuite run times`);
    assert.notEqual(edited, first);
    writeFileSync(docFile, edited);
    const moved = keepHandWrittenText(docFile, ['cnn', 'matmul'], notesDir);
    assert.equal(moved.length, 1);
    assert.match(moved[0], /bench\/notes\/matmul\.md: 2 paragraph/);
    assert.equal(readFileSync(path.join(notesDir, 'matmul.md'), 'utf8'), `${added}\n`);
    // The next doc prints them under matmul, and running the keeper again moves nothing twice.
    const next = render(11, readNotes(notesDir));
    assert.ok(next.indexOf('Filtered run at load 20') > next.indexOf('### matmul'));
    writeFileSync(docFile, next);
    assert.deepEqual(keepHandWrittenText(docFile, ['cnn', 'matmul'], notesDir), []);
    assert.equal(readFileSync(path.join(notesDir, 'matmul.md'), 'utf8'), `${added}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
