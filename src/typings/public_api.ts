// What a cell sees of the engine, as the entry point of the declaration bundle (scripts/build_typings.mjs):
// the `tf` namespace (the global `tf`; "tapescope" exports it by name and as default, and its members by name, as the
// kernel's module is), the classes users name in types, and the types of their arguments.
export { tf, Tensor, Variable, GradientTape } from '../../engine';
export type { TensorLike, DType } from '../../engine';
