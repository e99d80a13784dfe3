// Turns a cell's TypeScript into the JavaScript the kernel runs, plus one source map
// from that JavaScript straight to the user's file (esbuild's map composed with the REPL rewrite).
import { SourceMapConsumer, SourceMapGenerator } from 'source-map-js';
import { CellTranspiler, type Transform } from './cell_transpiler';
import { CellSyntaxError, inputToOutputOffset, rewriteForRepl } from './repl_rewrite';
import type { SourceLocation } from '../../engine/trace/trace_format';

export interface CellSource {
  /** The cell's text; its line 1 is line `lineOffset + 1` of the file. */
  code: string;
  /** Absolute path of the file the cell comes from. */
  file: string;
  /** 0-based file line of the cell's first line. */
  lineOffset: number;
}

export interface CompiledCell {
  code: string;
  /** Source map (JSON) from `code` to `file`. */
  sourceMap: string;
  declaredNames: string[];
}

/** A cell that does not compile; location is in the user's file. */
export class CellCompileError extends Error {
  constructor(message: string, readonly location: SourceLocation) {
    super(message);
    this.name = 'SyntaxError';
  }
}

let sharedTranspiler: CellTranspiler | undefined;
let transformOverride: Transform | undefined;

/** The cell compiler every kernel shares; its thread starts on first use (activation costs nothing). */
export function cellTranspiler(): CellTranspiler {
  sharedTranspiler ??= new CellTranspiler();
  return sharedTranspiler;
}

/** Compiles every later cell with `transform` (undefined: back to esbuild-wasm); the bench's comparison with native esbuild. */
export function useCellTransform(transform: Transform | undefined): void {
  transformOverride = transform;
}

/**
 * A cell using what cells typically use (types, a class, an arrow function, a loop, a template literal, an
 * import, a top-level await), so that compiling it makes esbuild.wasm compile and tier up the functions a real
 * cell needs, and warms the REPL rewrite and the source-map composition on this thread.
 */
const WARM_UP_CELL = [
  "import { tf as engine } from 'tapescope';",
  'interface Point { x: number; y?: number }',
  'class Step<T> { constructor(private readonly value: T) {} get(): T { return this.value; } }',
  'const points: Point[] = [{ x: 1 }, { x: 2, y: 3 }];',
  'let total = 0;',
  'for (const p of points) total += p.x * (p.y ?? 1);',
  'const label = `${total} from ${points.length} points` as const;',
  'const twice = async (n: number): Promise<number> => n * 2;',
  'await twice(new Step(total).get());',
  'label',
].join('\n');
/**
 * The first compile pays esbuild.wasm's lazy compile of the functions a cell needs (~0.5 s); the next ones run
 * them on baseline code while V8 tiers the hot ones up in the background, which takes some ten compiles (20-70 ms
 * of CPU each on a busy machine, under 1 ms once tiered). The warm-up compiles until one is that fast, or this many.
 */
const WARM_UP_COMPILES = 20;
const WARM_COMPILE_MS = 2;
let warming: Promise<void> | undefined;

/**
 * Starts the cell compiler and compiles a throw-away cell with it until it compiles fast, so the first real cell
 * finds esbuild.wasm tiered up. Resolves when done (never rejects: a compiler that cannot start reports that on
 * the first real cell).
 */
export function warmUpCompiler(): Promise<void> {
  warming ??= (async () => {
    for (let i = 0; i < WARM_UP_COMPILES; i++) {
      const started = performance.now();
      await compileCell({ code: WARM_UP_CELL, file: '/tapescope-warm-up.ts', lineOffset: 0 });
      if (i > 0 && performance.now() - started < WARM_COMPILE_MS) break;
    }
  })().catch(() => undefined);
  return warming;
}

function loaderFor(file: string): 'ts' | 'js' {
  return /\.(js|mjs|cjs)$/i.test(file) ? 'js' : 'ts';
}

/** `transform` is esbuild's (esbuild-wasm on the compiler's thread unless given). */
export async function compileCell(cell: CellSource, transform: Transform = transformOverride ?? cellTranspiler().transform): Promise<CompiledCell> {
  let transformed: { code: string; map: string };
  try {
    transformed = await transform(cell.code, {
      loader: loaderFor(cell.file),
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: cell.file,
      // Keep imports whose bindings this cell never uses: a later cell may.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
  } catch (err) {
    const failure = (err as { errors?: Array<{ text: string; location?: { line: number; column: number } }> }).errors?.[0];
    if (!failure) throw err;
    const line = cell.lineOffset + (failure.location?.line ?? 1);
    throw new CellCompileError(failure.text, { file: cell.file, line, column: (failure.location?.column ?? 0) + 1 });
  }

  const esbuildMap = new SourceMapConsumer(JSON.parse(transformed.map));
  const lineStarts = lineStartOffsets(transformed.code);
  const fileLineAt = (offset: number): number => {
    const { line, column } = offsetToPosition(lineStarts, offset);
    const original = esbuildMap.originalPositionFor({ line, column, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
    return cell.lineOffset + (original.line ?? line);
  };

  let rewrite;
  try {
    rewrite = rewriteForRepl(transformed.code, { fileLineAt });
  } catch (err) {
    if (!(err instanceof CellSyntaxError)) throw err;
    throw new CellCompileError(err.message, { file: cell.file, line: fileLineAt(err.offset), column: 1 });
  }

  const outputLineStarts = lineStartOffsets(rewrite.code);
  const composed = new SourceMapGenerator({ file: 'cell.js' });
  esbuildMap.eachMapping((m) => {
    if (m.originalLine == null || m.originalColumn == null) return;
    const inputOffset = lineStarts[m.generatedLine - 1] + m.generatedColumn;
    const generated = offsetToPosition(outputLineStarts, inputToOutputOffset(rewrite.edits, inputOffset));
    composed.addMapping({
      generated,
      original: { line: cell.lineOffset + m.originalLine, column: m.originalColumn },
      source: cell.file,
      // esbuild names the identifiers it renamed (a parameter shadowing a binding): the kernel shows the user's spelling.
      ...(m.name ? { name: m.name } : {}),
    });
  });
  return { code: rewrite.code, sourceMap: composed.toString(), declaredNames: rewrite.declaredNames };
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line, 0-based column, as source maps count. */
function offsetToPosition(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo] };
}
