// Cells run one at a time, but to TypeScript a cell file is one program. Two of its diagnostics are wrong for
// cells and are dropped here, when they cross a cell boundary:
//   - unreachable code (7027) in a later cell because an earlier cell never ends (`while (true)` before an
//     interrupt): kept, and cut to its cell, only when the code that cannot be reached follows the cause in the
//     same cell;
//   - duplicate declarations (re-running `const x` in a new cell): kept only when the name is declared twice in
//     the same cell.
// Every other diagnostic, a real type error inside a cell included, is left as it is.
import type * as ts from 'typescript';

const UNREACHABLE_CODE = 7027;
const DUPLICATE_DECLARATION = new Set([
  2300, // Duplicate identifier 'x'.
  2393, // Duplicate function implementation.
  2403, // Subsequent variable declarations must have the same type.
  2451, // Cannot redeclare block-scoped variable 'x'.
]);
const CELL_MARKER = /^[ \t]*\/\/\s?%%.*$/gm;

/** Offsets where each cell starts (its marker line), the first being 0 (code before the first marker). */
export function cellStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(CELL_MARKER)) if (match.index! > 0) starts.push(match.index!);
  return starts;
}

function cellIndexAt(starts: number[], offset: number): number {
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1] <= offset) index++;
  return index;
}

/** Names of the declarations among a statement list, per cell (for duplicate checks). */
function declarationCounts(typescript: typeof ts, file: ts.SourceFile, starts: number[]): Map<string, number>[] {
  const counts = starts.map(() => new Map<string, number>());
  const add = (name: ts.Node | undefined, at: number) => {
    if (!name) return;
    const names: string[] = [];
    const collect = (n: ts.Node) => {
      if (typescript.isIdentifier(n)) names.push(n.text);
      else n.forEachChild(collect);
    };
    collect(name);
    const perCell = counts[cellIndexAt(starts, at)];
    for (const n of names) perCell.set(n, (perCell.get(n) ?? 0) + 1);
  };
  for (const statement of file.statements) {
    const at = statement.getStart(file);
    if (typescript.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) add(d.name, at);
    } else if (typescript.isFunctionDeclaration(statement) || typescript.isClassDeclaration(statement) || typescript.isEnumDeclaration(statement)) {
      add(statement.name, at);
    }
  }
  return counts;
}

/** Whether only comments and blank space stand between the cell's marker line and `offset`. */
function atCellStart(text: string, cellStart: number, offset: number): boolean {
  const between = text.slice(cellStart, offset).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return between.trim() === '';
}

/** A top-level statement after which the rest of its cell cannot run: a throw, or a loop with no way out. */
function endsFlow(typescript: typeof ts, statement: ts.Statement): boolean {
  if (typescript.isThrowStatement(statement)) return true;
  const always = (e: ts.Expression | undefined) => e === undefined || e.kind === typescript.SyntaxKind.TrueKeyword;
  const endless = (typescript.isWhileStatement(statement) || typescript.isDoStatement(statement)) ? always(statement.expression)
    : typescript.isForStatement(statement) ? always(statement.condition) : false;
  if (!endless) return false;
  let breaks = false;
  const visit = (n: ts.Node): void => {
    if (typescript.isBreakStatement(n) || typescript.isReturnStatement(n)) breaks = true;
    else if (!typescript.isFunctionLike(n) && !typescript.isIterationStatement(n, false) && !typescript.isSwitchStatement(n)) n.forEachChild(visit);
  };
  (statement as ts.IterationStatement).statement.forEachChild(visit);
  return !breaks;
}

/**
 * An unreachable-code diagnostic as cells see it: kept (cut to its cell) unless it starts at a cell's first
 * statement, the cause being an earlier cell; and for each later cell, the code after a statement of that same
 * cell that ends the flow.
 */
function unreachableInCells<D extends ts.Diagnostic>(typescript: typeof ts, file: ts.SourceFile, starts: number[], d: D): D[] {
  const start = d.start!;
  const end = start + (d.length ?? 0);
  const first = cellIndexAt(starts, start);
  const parts: D[] = [];
  const cellEnd = (cell: number) => starts[cell + 1] ?? file.text.length;
  if (first === 0 || !atCellStart(file.text, starts[first], start)) {
    parts.push({ ...d, length: Math.min(end, cellEnd(first)) - start });
  }
  // TypeScript reports only the first unreachable statement; at the top level the rest of the file stays
  // unreachable for it, so a later cell's own unreachable code would go unreported.
  for (let cell = first + 1; cell < starts.length; cell++) {
    const statements = file.statements.filter((st) => cellIndexAt(starts, st.getStart(file)) === cell);
    const stop = statements.findIndex((st) => endsFlow(typescript, st));
    if (stop < 0 || stop === statements.length - 1) continue;
    const from = statements[stop + 1].getStart(file);
    parts.push({ ...d, start: from, length: statements.at(-1)!.end - from });
  }
  return parts;
}

/** The diagnostics of a cell file as cells see them (see the file comment). */
export function diagnosticsForCells<D extends ts.Diagnostic>(typescript: typeof ts, file: ts.SourceFile, diagnostics: readonly D[]): D[] {
  const text = file.text;
  const starts = cellStarts(text);
  if (starts.length < 2) return [...diagnostics];
  let declarations: Map<string, number>[] | undefined;
  const kept: D[] = [];
  for (const d of diagnostics) {
    if (d.start === undefined || d.file?.fileName !== file.fileName) {
      kept.push(d);
      continue;
    }
    const cell = cellIndexAt(starts, d.start);
    if (d.code === UNREACHABLE_CODE) {
      kept.push(...unreachableInCells(typescript, file, starts, d));
      continue;
    }
    if (DUPLICATE_DECLARATION.has(d.code)) {
      declarations ??= declarationCounts(typescript, file, starts);
      const name = text.slice(d.start, d.start + (d.length ?? 0));
      if ((declarations[cell].get(name) ?? 0) < 2) continue;
    }
    kept.push(d);
  }
  return kept;
}
