// Where the cell's code calls things and what it does with the results, from one parse of the
// compiled cell (the code the kernel runs): at each call's position — where V8's stack frame
// points, the property of `a.f()`, the callee of `f()`, the `new` of `new F()` — the binding its
// value is assigned to and the identifiers it passes. The kernel matches recorded ops against this.
import { parse, type Node as AcornNode } from 'acorn';
import { ancestor } from 'acorn-walk';
import { bindingNames } from './repl_rewrite';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N = AcornNode & Record<string, any>;

/** An identifier in the compiled code and where it is (1-based line, 0-based column, as source maps count):
 * the compiler may have renamed it (a parameter shadowing a cell binding becomes `x12`), the source map knows. */
export interface CompiledName { name: string; line: number; column: number }

export interface CompiledCallSite {
  /** 1-based line and column in the compiled code, as a V8 stack frame reports them. */
  line: number;
  column: number;
  binding?: CompiledName[];
  /** The receiver (for `a.mul(b)`) then each argument, when it is an identifier. */
  args: Array<CompiledName | null>;
  inFunction?: CompiledName;
}

export interface CellCallSites {
  sites: CompiledCallSite[];
  /** Every name the cell declares or assigns (top-level ones end up as kernel globals). */
  assignedNames: string[];
}

/** The namespace object of the engine: `tf.matmul(a, b)` passes a and b, not tf. */
const NAMESPACE = 'tf';

function rootName(node: N): string | undefined {
  let n = node;
  while (n.type === 'MemberExpression') n = n.object;
  return n.type === 'Identifier' ? n.name : undefined;
}

const compiledName = (node: N): CompiledName => ({ name: node.name, line: node.loc!.start.line, column: node.loc!.start.column });
const identifierOrNull = (node: N): CompiledName | null => (node.type === 'Identifier' ? compiledName(node) : null);

/** The identifiers a binding pattern binds (`[a, {b}] = …` → a, b). */
function patternIdentifiers(pattern: N): N[] {
  const out: N[] = [];
  const visit = (p: N | null): void => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier': out.push(p); break;
      case 'ObjectPattern': (p.properties as N[]).forEach((q) => visit(q.type === 'RestElement' ? q.argument : q.value)); break;
      case 'ArrayPattern': (p.elements as Array<N | null>).forEach(visit); break;
      case 'RestElement': visit(p.argument); break;
      case 'AssignmentPattern': visit(p.left); break;
      default:
    }
  };
  visit(pattern);
  return out;
}

/** The binding a call's value goes to when the call is the whole right-hand side (`y = a.f()`, `const [p, q] = …`). */
function bindingOf(call: N, parents: N[]): CompiledName[] | undefined {
  const parent = parents[parents.length - 2];
  if (!parent) return undefined;
  const target = parent.type === 'VariableDeclarator' && parent.init === call ? parent.id
    : parent.type === 'AssignmentExpression' && parent.right === call ? parent.left : undefined;
  if (!target || (target.type !== 'Identifier' && !target.type.endsWith('Pattern'))) return undefined;
  const ids = patternIdentifiers(target).map(compiledName);
  return ids.length > 0 ? ids : undefined;
}

function enclosingFunction(parents: N[]): CompiledName | undefined {
  for (let i = parents.length - 2; i >= 0; i--) {
    const p = parents[i];
    if (p.type !== 'FunctionDeclaration' && p.type !== 'FunctionExpression' && p.type !== 'ArrowFunctionExpression') continue;
    if (p.id?.name) return compiledName(p.id);
    const holder = parents[i - 1];
    if (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') return compiledName(holder.id);
    if (holder?.type === 'AssignmentExpression' && holder.left.type === 'Identifier') return compiledName(holder.left);
    // The REPL wrapper `(async () => { … })()` and callbacks (tape.record(() => …)) are not the user's functions.
    continue;
  }
  return undefined;
}

export function callSitesOf(code: string): CellCallSites {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true }) as N;
  const sites: CompiledCallSite[] = [];
  const assigned = new Set<string>();
  const visitCall = (node: N, _state: unknown, parents: N[]): void => {
    const callee = node.callee as N;
    const member = node.type === 'CallExpression' && callee.type === 'MemberExpression';
    const at = node.type === 'NewExpression' ? node.loc!.start : member ? callee.property.loc.start : callee.loc!.start;
    const args = (node.arguments as N[]).map(identifierOrNull);
    if (member && rootName(callee.object) !== NAMESPACE) args.unshift(identifierOrNull(callee.object));
    const site: CompiledCallSite = { line: at.line, column: at.column + 1, args };
    const binding = bindingOf(node, parents);
    if (binding) site.binding = binding;
    const fn = enclosingFunction(parents);
    if (fn) site.inFunction = fn;
    sites.push(site);
  };
  ancestor(program, {
    CallExpression: visitCall,
    NewExpression: visitCall,
    VariableDeclarator: (node: N) => bindingNames(node.id).forEach((n) => assigned.add(n)),
    AssignmentExpression: (node: N) => {
      if (node.left.type === 'Identifier' || node.left.type.endsWith('Pattern')) bindingNames(node.left).forEach((n) => assigned.add(n));
    },
  });
  return { sites, assignedNames: [...assigned] };
}
