// Turns suite results into the printed table and docs/PERFORMANCE.md.
import type { BenchRow } from './bench_row';
import type { MachineFacts } from './machine';
import { GENERAL_NOTES, GENERATED_BEGIN, GENERATED_END, NOTES_END, notesBegin } from './notes';
import type { RuntimeFacts } from './runtimes';

export interface SuiteOutcome {
  suite: string;
  rows: BenchRow[];
  /** Set when the suite threw; its rows are then whatever it produced (none). */
  error?: string;
  seconds: number;
}

export interface ReportContext {
  date: string;
  machine: MachineFacts;
  /** The runtime this process ran on, and the others whose Tapescope figures are extra columns (label → facts). */
  runtime: RuntimeFacts;
  otherRuntimes: Record<string, RuntimeFacts>;
  versions: Record<string, string>;
  kernelsParagraph: string;
  /** Hand-written notes by suite file name (bench/notes/<suite>.md), printed under each suite's table. */
  notes: Record<string, string>;
}

/** Names of a row field's keys in first-seen order across all rows (peers, other runtimes). */
function keysOf(outcomes: SuiteOutcome[], field: (row: BenchRow) => Record<string, unknown> | undefined): string[] {
  const names: string[] = [];
  for (const outcome of outcomes) {
    for (const row of outcome.rows) for (const name of Object.keys(field(row) ?? {})) if (!names.includes(name)) names.push(name);
  }
  return names;
}

function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** How many times faster Tapescope is than the peer (>1: we are faster), i.e. peer time / our time. */
export function speedup(row: BenchRow, peer: number | null | undefined): number | null {
  if (peer === null || peer === undefined || !(row.tapescope > 0) || !(peer > 0)) return null;
  return row.higherIsBetter ? row.tapescope / peer : peer / row.tapescope;
}

/** One table per suite, so each shows only the peers that suite measures. */
function tableCells(outcomes: SuiteOutcome[]): string[][] {
  const peers = keysOf(outcomes, (row) => row.peers);
  const runtimes = keysOf(outcomes, (row) => row.runtimes);
  const header = ['Suite', 'Case', 'Unit', 'Tapescope', ...runtimes.map((r) => `Tapescope, ${r}`), ...peers, ...peers.map((p) => `× vs ${p}`), 'Note'];
  const lines = [header];
  for (const outcome of outcomes) {
    if (outcome.error !== undefined) {
      lines.push([outcome.suite, 'SUITE FAILED', '', '', ...runtimes.map(() => ''), ...peers.map(() => ''), ...peers.map(() => ''), outcome.error]);
    }
    for (const row of outcome.rows) {
      lines.push([
        row.suite, row.case, row.unit, formatNumber(row.tapescope),
        ...runtimes.map((r) => formatNumber(row.runtimes?.[r])),
        ...peers.map((p) => formatNumber(row.peers[p])),
        ...peers.map((p) => {
          const ratio = speedup(row, row.peers[p]);
          return ratio === null ? '—' : `${ratio.toFixed(2)}×`;
        }),
        row.note ?? '',
      ]);
    }
  }
  return lines;
}

/** Plain-text tables for the terminal, one per suite. */
export function consoleTable(outcomes: SuiteOutcome[]): string {
  return outcomes.map((outcome) => consoleSuiteTable([outcome])).join('\n\n');
}

function consoleSuiteTable(outcomes: SuiteOutcome[]): string {
  const lines = tableCells(outcomes);
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const render = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [render(lines[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(render)].join('\n');
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(outcome: SuiteOutcome): string[] {
  const lines = tableCells([outcome]);
  return [
    `| ${lines[0].map(escapeCell).join(' | ')} |`,
    `|${lines[0].map((_, c) => (c >= 3 && c < lines[0].length - 1 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...lines.slice(1).map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`),
  ];
}

/** A suite's notes block: what bench/notes/<suite>.md holds, between markers naming that file. */
function notesBlock(suite: string, notes: Record<string, string>): string[] {
  const text = notes[suite];
  return text ? [notesBegin(suite), '', text, '', NOTES_END, ''] : [];
}

function markdownSuiteSection(outcome: SuiteOutcome, notes: Record<string, string>): string[] {
  return [GENERATED_BEGIN, `### ${outcome.suite}`, '', ...markdownTable(outcome), GENERATED_END, '', ...notesBlock(outcome.suite, notes)];
}

function runtimeLine(facts: RuntimeFacts): string {
  return `Node ${facts.node} (V8 ${facts.v8}; float32 matmul path: ${facts.matmulPath})`;
}

/**
 * What a filtered run prints for bench/notes/<suite>.md (or writes there with --notes): its tables under one line
 * with the date, the command and the load average.
 */
export function filteredRunNote(outcomes: SuiteOutcome[], context: { date: string; command: string; machine: MachineFacts }): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const outcome of outcomes) {
    byFile.set(outcome.suite, [
      `Filtered run \`${context.command}\`, ${context.date}, 1-minute load average ${context.machine.loadAverage.toFixed(2)} on ${context.machine.cores} cores:`,
      '',
      ...markdownTable(outcome),
    ].join('\n'));
  }
  return byFile;
}

export function performanceMarkdown(outcomes: SuiteOutcome[], context: ReportContext): string {
  const { machine } = context;
  const out: string[] = [
    GENERATED_BEGIN,
    '# Performance',
    '',
    '**How this file is made.** A full `npm run bench` writes all of it. The tables (between "generated" markers)',
    'come from bench/suites/; the text under a suite\'s table (between "notes" markers) is hand-written and lives in',
    '`bench/notes/<suite>.md` — write explanations and filtered runs there (`npm run bench -- <suite> --notes` appends',
    'that run\'s table with its date and load average). Text written straight into this file outside the generated',
    'blocks is moved into those files by the next full run, so nothing is lost; `bench/notes.ts` has the details.',
    '',
    `Measured ${context.date} by \`npm run bench\`: every suite in \`bench/suites/\` in one Node process, peers in the same run.`,
    'Figures are medians of many timed samples after warm-up. "× vs peer" is how many times faster Tapescope is',
    '(peer time / our time; above 1 we are faster).',
    ...(Object.keys(context.otherRuntimes).length ? [
      `"Tapescope, <runtime>" columns: the same suites run again in a second process under that runtime (the editor's own:`,
      'code-server runs extensions and the kernel on Node 24); its peers are not repeated.',
    ] : []),
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB`,
    `- CPU SIMD flags: ${machine.simdFlags || 'none reported'}`,
    `- OS: ${machine.os}; 1-minute load average ${machine.loadAverage.toFixed(2)} when the bench started (above ~0.3, other programs share the cores and the figures are low)`,
    `- ${runtimeLine(context.runtime)}`,
    ...Object.entries(context.otherRuntimes).map(([label, facts]) => `- ${label}: ${runtimeLine(facts)}`),
    `- Node flags: ${process.execArgv.filter((a) => a.startsWith('--max-semi')).join(' ') || 'none'} (the kernel worker runs cells with the same young generation: 64 MB semi-spaces)`,
    ...Object.entries(context.versions).map(([name, version]) => `- ${name} ${version}`),
    '',
    '## Kernels',
    '',
    context.kernelsParagraph,
    '',
    '## Results',
    '',
    GENERATED_END,
    '',
    ...outcomes.flatMap((outcome) => markdownSuiteSection(outcome, context.notes)),
    GENERATED_BEGIN,
    `Suite run times: ${outcomes.map((o) => `${o.suite} ${o.seconds.toFixed(0)} s`).join(', ')}.`,
    GENERATED_END,
    '',
    ...notesBlock(GENERAL_NOTES, context.notes),
  ];
  return out.join('\n');
}
