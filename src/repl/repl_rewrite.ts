// Rewrites a cell's JavaScript (esbuild's output) so it can run as a REPL entry:
// top-level bindings become globals that later cells see (and may declare again),
// imports become awaited loads, the last expression becomes the cell's value,
// and every loop checks the interrupt flag. Edits never add or remove a line break,
// so a line of the rewritten code is the same line of the input.
import { parse, type Node as AcornNode } from 'acorn';
import { simple } from 'acorn-walk';

/** The global object the kernel installs for rewritten code (see src/kernel/cell_thread/cell_runtime.ts). */
export const RUNTIME_GLOBAL = '__tapescope';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Creation order: ties between edits at one offset apply in this order. */
  seq: number;
}

export interface ReplRewrite {
  code: string;
  /** The edits applied to the input, sorted; used to map positions back. */
  edits: TextEdit[];
  /** Names this cell binds at top level. */
  declaredNames: string[];
}

export interface RewriteOptions {
  /** The user's file line for an offset of the input, written into each loop's interrupt check. */
  fileLineAt: (offset: number) => number;
}

// acorn's typings describe nodes loosely; these are the fields this rewrite reads.
interface N extends AcornNode {
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class CellSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'SyntaxError';
  }
}

export function rewriteForRepl(js: string, options: RewriteOptions): ReplRewrite {
  let program: N;
  try {
    program = parse(js, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowImportExportEverywhere: true,
    }) as N;
  } catch (err) {
    const e = err as SyntaxError & { pos?: number };
    throw new CellSyntaxError(e.message.replace(/ \(\d+:\d+\)$/, ''), e.pos ?? 0);
  }

  const edits: TextEdit[] = [];
  let seq = 0;
  const replace = (start: number, end: number, text: string): void => {
    // Keep the line count: a replaced range's line breaks come back after the new text.
    const breaks = js.slice(start, end).split('\n').length - 1;
    edits.push({ start, end, text: text + '\n'.repeat(breaks), seq: seq++ });
  };
  const insert = (at: number, text: string): void => replace(at, at, text);

  const declaredNames: string[] = [];
  const varNames: string[] = [];
  const functionNames: string[] = [];
  const R = RUNTIME_GLOBAL;

  const rewriteDeclaration = (decl: N): void => {
    if (decl.type === 'VariableDeclaration') {
      const declarators = decl.declarations as N[];
      replace(decl.start, declarators[0].start, ';');
      for (const d of declarators) {
        const names = bindingNames(d.id);
        declaredNames.push(...names);
        if (decl.kind === 'var') varNames.push(...names);
        if (d.init) {
          insert(d.start, '(');
          insert(d.end, ')');
        } else {
          // `var x;` keeps an earlier value; `let x;` starts again from undefined.
          replace(d.start, d.end, decl.kind === 'var' ? 'void 0' : `(${js.slice(d.id.start, d.id.end)} = void 0)`);
        }
      }
    } else if (decl.type === 'FunctionDeclaration') {
      declaredNames.push(decl.id.name);
      functionNames.push(decl.id.name);
    } else if (decl.type === 'ClassDeclaration') {
      declaredNames.push(decl.id.name);
      insert(decl.start, `;${decl.id.name} = `);
      insert(decl.end, ';');
    }
  };

  const body = program.body as N[];
  body.forEach((stmt, i) => {
    const isLast = i === body.length - 1;
    switch (stmt.type) {
      case 'VariableDeclaration':
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        rewriteDeclaration(stmt);
        break;
      case 'ImportDeclaration':
        declaredNames.push(...(stmt.specifiers as N[]).map((s) => s.local.name as string));
        replace(stmt.start, stmt.end, importAssignment(stmt));
        break;
      case 'ExportNamedDeclaration':
        if (stmt.declaration) {
          replace(stmt.start, stmt.declaration.start, '');
          rewriteDeclaration(stmt.declaration);
        } else {
          replace(stmt.start, stmt.end, ';');
        }
        break;
      case 'ExportAllDeclaration':
        replace(stmt.start, stmt.end, ';');
        break;
      case 'ExportDefaultDeclaration':
        replace(stmt.start, stmt.declaration.start, '');
        if (stmt.declaration.id) rewriteDeclaration(stmt.declaration);
        break;
      case 'ExpressionStatement':
        if (stmt.directive === 'use strict') {
          // Cells run sloppy so a top-level assignment can create the global a declaration became.
          replace(stmt.start, stmt.end, ';');
        } else if (isLast) {
          insert(stmt.start, 'return (');
          insert(stmt.expression.end, ')');
        }
        break;
    }
  });

  const loop = (node: N): void => {
    const check = `${R}.tick(${options.fileLineAt(node.start)});`;
    const loopBody = node.body as N;
    if (loopBody.type === 'BlockStatement') {
      insert(loopBody.start + 1, check);
    } else {
      insert(loopBody.start, `{${check}`);
      insert(loopBody.end, '}');
    }
  };
  simple(program, {
    ForStatement: loop,
    ForInStatement: loop,
    ForOfStatement: loop,
    WhileStatement: loop,
    DoWhileStatement: loop,
    ImportExpression: (node: N) => replace(node.start, node.start + 'import'.length, `${R}.dynamicImport`),
    MetaProperty: (node: N) => {
      if (node.meta.name === 'import') replace(node.start, node.end, `${R}.importMeta`);
    },
  });

  const prologue = [
    '(async () => {',
    varNames.length ? `${R}.declareVars(${JSON.stringify(varNames)});` : '',
    // Function declarations hoist inside the wrapper; publishing them first keeps that.
    ...functionNames.map((name) => `globalThis.${name} = ${name};`),
  ].join(' ');
  edits.push({ start: 0, end: 0, text: prologue + ' ', seq: -1 });

  edits.sort((a, b) => a.start - b.start || a.seq - b.seq);
  return { code: applyEdits(js, edits) + '\n})()', edits, declaredNames };
}

function importAssignment(stmt: N): string {
  const R = RUNTIME_GLOBAL;
  const load = `await ${R}.importModule(${JSON.stringify(stmt.source.value)})`;
  const specifiers = stmt.specifiers as N[];
  if (specifiers.length === 0) return `${load};`;
  const namespace = specifiers.find((s) => s.type === 'ImportNamespaceSpecifier');
  const parts: string[] = [];
  for (const s of specifiers) {
    if (s.type === 'ImportDefaultSpecifier') parts.push(`default: ${s.local.name}`);
    if (s.type === 'ImportSpecifier') {
      const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
      parts.push(`${JSON.stringify(imported)}: ${s.local.name}`);
    }
  }
  const named = parts.length ? `({${parts.join(', ')}} = ${R}.withDefault(${namespace ? namespace.local.name : load}));` : '';
  return namespace ? `${namespace.local.name} = ${load}; ${named}` : named;
}

/** Identifiers a declaration pattern binds (`{a, b: [c, ...d]}` → a, c, d). */
export function bindingNames(pattern: N): string[] {
  switch (pattern.type) {
    case 'Identifier': return [pattern.name];
    case 'ObjectPattern': return (pattern.properties as N[]).flatMap((p) => bindingNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern': return (pattern.elements as Array<N | null>).flatMap((e) => (e ? bindingNames(e) : []));
    case 'RestElement': return bindingNames(pattern.argument);
    case 'AssignmentPattern': return bindingNames(pattern.left);
    default: return [];
  }
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '';
  let cursor = 0;
  for (const e of edits) {
    out += text.slice(cursor, e.start) + e.text;
    cursor = Math.max(cursor, e.end);
  }
  return out + text.slice(cursor);
}

/** Where an input offset lands in the rewritten code (the code's first character is at output offset 0). */
export function inputToOutputOffset(edits: TextEdit[], offset: number): number {
  let shift = 0;
  for (const e of edits) {
    const isInsertion = e.start === e.end;
    if (e.start > offset || (e.start === offset && !isInsertion)) break;
    if (e.end > offset) return e.start + shift; // inside a replaced range: its replacement's start
    shift += e.text.length - (e.end - e.start);
  }
  return offset + shift;
}
