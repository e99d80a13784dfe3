// The `@example` blocks of a declaration file, and each turned into a cell that checks the results its comments
// promise: a line `expr // → 12` (or `const y = expr; // → [1, 2]`, or `a(); b // → true`) must evaluate to that
// value, and so must a line whose trailing comment is a plain JSON number, boolean or array (`tf.size(x); // 6`).
// Tensors compare by their values (numpy()); a number with decimals matches to the digits written (0.841 is
// 0.841 ± 0.0005), any number within a relative 1e-4; a stated result that is not JSON compares as a string.
import ts from 'typescript';

export interface DocExample {
  /** Whose comment it is in: `matmul`, `GradientTape.gradient`, `tf.nn.softmax`. */
  owner: string;
  code: string;
  /** 1-based line of the comment in the file. */
  line: number;
}

export function extractExamples(fileName: string, text: string): DocExample[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: DocExample[] = [];
  const seen = new Set<string>();
  const visit = (node: ts.Node, owner: string) => {
    const name = (node as { name?: ts.Node }).name;
    const here = name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? (owner ? `${owner}.${name.text}` : name.text) : owner;
    for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) {
      for (const tag of doc.tags ?? []) {
        if (tag.tagName.text !== 'example') continue;
        const code = stripFence(ts.getTextOfJSDocComment(tag.comment) ?? '');
        // tf's members repeat the comment of the function they name: run each example once
        if (code.length === 0 || seen.has(code)) continue;
        seen.add(code);
        found.push({ owner: here, code, line: source.getLineAndCharacterOfPosition(tag.getStart()).line + 1 });
      }
    }
    const nested = ts.isModuleDeclaration(node) ? '' : here;
    ts.forEachChild(node, (c) => visit(c, nested));
  };
  visit(source, '');
  return found;
}

function stripFence(text: string): string {
  const lines = text.split('\n');
  const fenced = lines.findIndex((l) => l.trim().startsWith('```'));
  if (fenced < 0) return text.trim();
  const end = lines.findIndex((l, i) => i > fenced && l.trim().startsWith('```'));
  return lines.slice(fenced + 1, end < 0 ? undefined : end).join('\n').trim();
}

const RESULT = /^(\s*)(.*?);?\s*\/\/\s*→\s*(.+?)\s*$/;
const PLAIN_RESULT = /^(\s*)(\S.*?);?\s*\/\/\s*(.+?)\s*$/;

/** `[1, 2]`, `6`, `false`: a comment that is a value, not prose. */
function isPlainValue(text: string): boolean {
  try {
    const v = JSON.parse(text);
    return typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v);
  } catch {
    return false;
  }
}

/** Splits `a(); b(); c` into `a(); b();` and `c` at the last `;` outside brackets and strings. */
function lastExpression(statement: string): [string, string] {
  let depth = 0, quote = '', cut = -1;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i];
    if (quote) { if (c === quote && statement[i - 1] !== '\\') quote = ''; continue; }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ';' && depth === 0) cut = i;
  }
  return cut < 0 ? ['', statement] : [statement.slice(0, cut + 1) + ' ', statement.slice(cut + 1).trim()];
}
const DECLARATION = /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/;

/** Lines that promise a result become a call of `check` after the statement; the other lines stay as written. */
export function withResultChecks(example: DocExample, check = '__docCheck'): { code: string; checks: number } {
  let checks = 0;
  const code = example.code.split('\n').map((line, i) => {
    const plain = PLAIN_RESULT.exec(line);
    const match = RESULT.exec(line) ?? (plain && isPlainValue(plain[3]) ? plain : null);
    if (!match || match[2].trim() === '') return line;
    const [, indent, written, expected] = match;
    checks++;
    const where = JSON.stringify(`${example.owner} example line ${i + 1}`);
    const [before, statement] = lastExpression(written.replace(/;\s*$/, ''));
    const declared = DECLARATION.exec(statement);
    const value = declared ? declared[1] : `(${statement})`;
    return `${indent}${before}${declared ? `${statement}; ` : ''}${check}(${value}, ${JSON.stringify(expected)}, ${where});`;
  }).join('\n');
  return { code, checks };
}

/** Defined in the kernel before the examples run (a kernel global, as any cell's top-level function). */
export const CHECK_CELL = `function __docCheck(actual: unknown, expected: string, where: string): void {
  const plain = (v: unknown): unknown => v instanceof tf.Tensor ? v.numpy() : Array.isArray(v) ? v.map(plain) : v;
  // the digits each expected number is written with, in order, for its tolerance
  const written = (expected.match(/NaN|-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?/gi) ?? []).map((n) => (n.split('.')[1] ?? '').replace(/e.*/i, '').length);
  let k = 0;
  const close = (a: unknown, e: unknown): boolean => {
    if (typeof e === 'number' && typeof a === 'number') {
      const digits = written[k++] ?? 0;
      const tolerance = Math.max(1e-4 * Math.max(1, Math.abs(e)), digits > 0 ? 0.5 * 10 ** -digits + 1e-9 : 0);
      return Number.isNaN(e) ? Number.isNaN(a) : Math.abs(a - e) <= tolerance;
    }
    if (typeof e === 'number') k++;
    if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => close(a[i], x));
    if (e !== null && typeof e === 'object') return a !== null && typeof a === 'object' && Object.keys(e).every((k) => close((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k]));
    return a === e;
  };
  let wanted: unknown;
  try { wanted = JSON.parse(expected.replace(/\\bNaN\\b/g, '"NaN"')); } catch { wanted = undefined; }
  if (wanted === undefined) {
    if (String(actual) !== expected) throw new Error(where + ': expected ' + expected + ', got ' + String(actual));
    return;
  }
  const fix = (v: unknown): unknown => v === 'NaN' ? NaN : Array.isArray(v) ? v.map(fix) : v;
  const got = plain(actual);
  if (!close(got, fix(wanted))) throw new Error(where + ': expected ' + expected + ', got ' + JSON.stringify(got));
}`;
