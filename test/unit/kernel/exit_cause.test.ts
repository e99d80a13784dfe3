// Why a kernel process ended, in words: from a real V8 fatal error's stderr, and from exit codes and signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describeProcessExit, v8FatalLine, withoutV8CrashReport } from '../../../src/kernel/host/exit_cause';

test('a real V8 out-of-memory death is named with V8\'s own fatal line and the signal', async () => {
  const child = spawn(process.execPath, ['--max-old-space-size=16', '-e', 'const a = []; for (;;) a.push({ x: Math.random() });'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  assert.equal(signal, 'SIGABRT');
  assert.match(v8FatalLine(stderr)!, /Allocation failed - JavaScript heap out of memory$/);
  assert.match(describeProcessExit(code, signal, stderr),
    /^the kernel ran out of memory while allocating \(V8: [A-Za-z -]*heap limit\); the kernel process aborted \(SIGABRT: process\.abort\(\) or a native crash\)$/);
});

test('V8\'s "invalid table size" fatal (what new Array(1e9).fill(0) ends in) reads as an allocation failure', () => {
  const stderr = '\n<--- Last few GCs --->\n[1:0x1]  9000 ms: Mark-Compact 1400.1 (1420.0) -> 1400.0 (1420.0) MB\n\nFATAL ERROR: invalid table size Allocation failed - JavaScript heap out of memory\n 1: 0xb8d0a3 node::Abort() [node]\n';
  assert.equal(describeProcessExit(null, 'SIGABRT', stderr),
    'the kernel ran out of memory while allocating (V8: invalid table size); the kernel process aborted (SIGABRT: process.abort() or a native crash)');
});

test('without a fatal line, the exit code or the signal is named', () => {
  assert.equal(describeProcessExit(3, null, ''), 'the kernel process exited with code 3');
  assert.equal(describeProcessExit(null, 'SIGKILL', 'noise\n'), 'the kernel process was killed (SIGKILL)');
  assert.equal(describeProcessExit(null, 'SIGSEGV', ''), 'the kernel process crashed (SIGSEGV: invalid memory access)');
  assert.equal(describeProcessExit(null, 'SIGUSR2', ''), 'the kernel process was ended by SIGUSR2');
  assert.equal(describeProcessExit(null, 'SIGILL', '#\n# Fatal error in , line 0\n# Check failed: wasm trap.\n#\n'),
    'the kernel hit a fatal V8 error (V8: Check failed: wasm trap.); the kernel process crashed (SIGILL)');
});

test('V8\'s crash report is kept out of the cell\'s output; what a cell wrote to stderr itself stays', () => {
  const report = '\n<--- Last few GCs --->\n\n[12:0x5f3a]    9012 ms: Mark-Compact 1400.1 (1420.0) -> 1400.0 (1420.0) MB, 900 / 0 ms\n\n\n<--- JS stacktrace --->\n\nFATAL ERROR: invalid table size Allocation failed - JavaScript heap out of memory\n----- Native stack trace -----\n\n 1: 0xb8d0a3 node::Abort() [node]\n13: 0x1add8f6  [/usr/bin/node]\n';
  assert.equal(withoutV8CrashReport(report), '');
  assert.equal(withoutV8CrashReport('my own warning\n'), 'my own warning\n');
  assert.equal(withoutV8CrashReport(`written by the cell\n${report}`), 'written by the cell\n');
});
