// tf.Module: a named container that finds the variables (and sub-modules) reachable from its own properties,
// as TF's attribute tracking does, and runs methods inside its name scope.
import { Variable } from '../tensor/variable';
import { nameScope } from '../tape/recording_state';

const usedModuleNames = new Map<string, number>();

function defaultName(ctor: { name: string }): string {
  const base = (ctor.name || 'module').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const n = usedModuleNames.get(base) ?? 0;
  usedModuleNames.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Anything with its own variable list (Keras layers and models) is tracked through that list. */
function ownVariables(value: unknown): Variable[] | null {
  if (value instanceof Module || value === null || (typeof value !== 'object' && typeof value !== 'function')) return null;
  const vars = (value as { variables?: unknown }).variables;
  return Array.isArray(vars) && vars.every((v) => v instanceof Variable) ? vars : null;
}

/**
 * The base class for objects that own variables (tf.Module). Subclass it and assign variables, lists of
 * them, or other modules/layers to properties; `variables`, `trainableVariables` and `submodules` find them.
 * @example
 * class Linear extends tf.Module {
 *   w = new tf.Variable(tf.ones([3, 2]), { name: 'w' });
 *   b = new tf.Variable(tf.zeros([2]), { name: 'b' });
 *   call(x: tf.Tensor) { return this.withNameScope(() => tf.add(tf.matmul(x, this.w), this.b)); }
 * }
 * new Linear().trainableVariables.map((v) => v.name) // → ["w", "b"]
 */
export class Module {
  /** The module's name (default: the class name in snake_case, made unique). */
  readonly name: string;

  /** tf.Module(name?): the name defaults to the class name in snake_case. @throws Error for an invalid name. */
  constructor(name?: string) {
    if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(name))) {
      throw new Error(`Module: '${String(name)}' is not a valid module name (letters, digits, '_', '.', '-'; not starting with a digit)`);
    }
    this.name = name ?? defaultName(new.target);
  }

  /** The name scope ops of this module run in (its name). */
  get nameScope(): string {
    return this.name;
  }

  /** Every variable reachable from this module's properties, each once, in property order. */
  get variables(): Variable[] {
    const found = new Set<Variable>();
    this.walk((v) => found.add(v), () => undefined);
    return [...found];
  }

  /** The trainable ones among `variables`. */
  get trainableVariables(): Variable[] {
    return this.variables.filter((v) => v.trainable);
  }

  /** Every module reachable from this one's properties (not itself). */
  get submodules(): Module[] {
    const found = new Set<Module>();
    this.walk(() => undefined, (m) => found.add(m));
    return [...found];
  }

  /** Runs fn inside this module's name scope (TF's `with self.name_scope:`), so the inspector groups its ops. */
  withNameScope<T>(fn: () => T): T {
    return nameScope(this.name, fn);
  }

  private walk(onVariable: (v: Variable) => void, onModule: (m: Module) => void): void {
    const seen = new Set<unknown>([this]);
    const visit = (value: unknown, depth: number): void => {
      if (value instanceof Variable) { onVariable(value); return; }
      if (value === null || typeof value !== 'object' && typeof value !== 'function' || seen.has(value) || depth > 64) return;
      seen.add(value);
      if (value instanceof Module) {
        onModule(value);
        for (const key of Object.keys(value)) visit((value as unknown as Record<string, unknown>)[key], depth + 1);
        return;
      }
      const layerVars = ownVariables(value);
      if (layerVars !== null) { layerVars.forEach(onVariable); return; }
      if (Array.isArray(value)) { value.forEach((v) => visit(v, depth + 1)); return; }
      if (value instanceof Map) { value.forEach((v) => visit(v, depth + 1)); return; }
      if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) visit(v, depth + 1);
    };
    for (const key of Object.keys(this)) visit((this as unknown as Record<string, unknown>)[key], 0);
  }
}
