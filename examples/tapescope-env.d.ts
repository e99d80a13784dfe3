// What the Tapescope kernel provides to cells, declared for the TypeScript server so the
// examples show no red squiggles: the globals `tf` and `print`, and the module "tapescope".
import type { tf as engineTf } from '../engine';

declare global {
  /** The Tapescope engine (TensorFlow's API, camelCased): a global in every cell. */
  const tf: typeof engineTf;
  /** Python-like print: tensors as TF prints them, Variables by repr, arrays as lists. */
  function print(...values: unknown[]): void;
}
