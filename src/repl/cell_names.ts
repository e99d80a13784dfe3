// The user's names for one run of a cell, as the engine's trace export asks for them (UserNames):
// call sites from one parse of the compiled cell, keyed by the user-file position each maps to (the
// position an op's stack frame resolves to), and the tensors the cell's globals hold once it ran.
import type { Tensor } from '../../engine/tensor/tensor';
import type { SourceLocation } from '../../engine/trace/trace_format';
import type { CallSite, UserNames } from '../../engine/trace/user_names';
import { SourceMapConsumer } from 'source-map-js';
import { callSitesOf, type CompiledName } from './call_sites';

type Locate = (line: number, column: number) => SourceLocation | undefined;

/** The user's spelling of compiled identifiers: the source map's names, by exact generated position. */
function originalNames(sourceMap: string): (id: CompiledName) => string {
  const renamed = new Map<string, string>();
  try {
    new SourceMapConsumer(JSON.parse(sourceMap)).eachMapping((m) => {
      if (m.name) renamed.set(`${m.generatedLine}:${m.generatedColumn}`, m.name);
    });
  } catch {
    // No usable map: the compiled spelling is the best there is.
  }
  return (id) => renamed.get(`${id.line}:${id.column}`) ?? id.name;
}

const key = (at: SourceLocation): string => `${at.file}:${at.line}:${at.column}`;

/**
 * `locate` maps a compiled position to the user's file as stack frames are mapped; `sourceMap` is the same
 * map (for renamed identifiers); `isTensor` tells a tensor from anything else a global may hold.
 */
export function cellNames(code: string, sourceMap: string, locate: Locate, globals: Record<string, unknown>, isTensor: (v: unknown) => v is Tensor): UserNames {
  let parsed: ReturnType<typeof callSitesOf> = { sites: [], assignedNames: [] };
  try {
    parsed = callSitesOf(code);
  } catch {
    // The kernel runs what the compiler produced, so this parses; if not, names fall back to the engine's.
  }
  const { sites, assignedNames } = parsed;
  const original = originalNames(sourceMap);
  const byPosition = new Map<string, CallSite>();
  const bindingLines = new Map<string, number>();
  for (const site of sites) {
    const at = locate(site.line, site.column);
    if (!at || byPosition.has(key(at))) continue;
    const call: CallSite = { args: site.args.map((a) => (a ? original(a) : null)) };
    // One op output, one name: a destructuring binds parts of the value, which the globals name instead.
    if (site.binding?.length === 1) {
      call.binding = original(site.binding[0]);
      if (!bindingLines.has(call.binding)) bindingLines.set(call.binding, at.line);
    }
    if (site.inFunction) call.inFunction = original(site.inFunction);
    byPosition.set(key(at), call);
  }
  return {
    callAt: (source) => byPosition.get(key(source)),
    bindingLine: (name) => bindingLines.get(name),
    heldByBindings: () => {
      const held = new Map<number, string>();
      const hold = (value: unknown, name: string): void => {
        if (isTensor(value) && !held.has(value.id)) held.set(value.id, name);
      };
      for (const name of assignedNames) {
        if (!Object.prototype.hasOwnProperty.call(globals, name)) continue;
        const value = globals[name];
        hold(value, name);
        if (Array.isArray(value) && value.length <= 64) value.forEach((v, i) => hold(v, `${name}[${i}]`));
      }
      return held;
    },
  };
}
