// Why a kernel process ended, in words for the user: the exit code or signal, and V8's own last fatal line
// when it printed one (it does on its way down from an allocation it cannot make).

/** The fatal line V8 printed to stderr, without its "FATAL ERROR: " prefix, if any. */
export function v8FatalLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const fatal = /^(?:FATAL ERROR:|#\s*Fatal error in[^,]*,\s*line \d+\s*$)\s*(.*)$/.exec(lines[i]);
    if (!fatal) continue;
    // V8's CHECK failures print "# Fatal error in …, line N" and the reason on the next "#" line.
    const next = lines.slice(i + 1).map((l) => l.replace(/^#\s*/, '')).find((l) => l !== '');
    return (fatal[1] || next || lines[i]).trim();
  }
  return undefined;
}

const SIGNAL_WORDS: Record<string, string> = {
  SIGABRT: 'aborted (SIGABRT: process.abort() or a native crash)',
  SIGKILL: 'was killed (SIGKILL)',
  SIGTERM: 'was terminated (SIGTERM)',
  SIGSEGV: 'crashed (SIGSEGV: invalid memory access)',
  SIGBUS: 'crashed (SIGBUS)',
  SIGILL: 'crashed (SIGILL)',
  SIGFPE: 'crashed (SIGFPE)',
  SIGTRAP: 'crashed (SIGTRAP)',
};

/** "the kernel ran out of memory while allocating (V8: invalid table size; the kernel process aborted …)". */
export function describeProcessExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `the kernel process ${SIGNAL_WORDS[signal] ?? `was ended by ${signal}`}` : `the kernel process exited with code ${code}`;
  const fatal = v8FatalLine(stderr);
  if (!fatal) return how;
  const allocation = /^(.*?)\s*Allocation failed/i.exec(fatal);
  if (allocation || /out of memory/i.test(fatal)) {
    const what = allocation?.[1] || fatal;
    return `the kernel ran out of memory while allocating (V8: ${what}); ${how}`;
  }
  return `the kernel hit a fatal V8 error (V8: ${fatal}); ${how}`;
}

const CRASH_REPORT_LINE = [
  /^<--- (Last few GCs|JS stacktrace) --->$/,
  /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /,
  /^FATAL ERROR: /,
  /^----- (Native|JavaScript) stack trace -----$/,
  /^\d+: 0x[0-9a-f]+ /,
  /^#( |$)/,
  /^Security context: /,
];

/**
 * `text` from the kernel process's stderr without V8's crash report (GC log, fatal line, native stack): the
 * restart notice says what it means; the rest (a cell writing to process.stderr itself) is kept.
 */
export function withoutV8CrashReport(text: string): string {
  const lines = text.split('\n');
  const kept = lines.filter((line) => !CRASH_REPORT_LINE.some((pattern) => pattern.test(line.trim())));
  if (kept.length === lines.length) return text;
  return kept.filter((line) => line.trim() !== '').map((line) => `${line}\n`).join('');
}
