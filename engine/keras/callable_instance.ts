// Keras objects that are called like functions (loss_fn(y, logits), metric(y, p)): the constructor returns a
// function whose prototype is the class's, so `new Cls()` is both an instance and callable.

/** A function that runs `call` and is an instance of the class whose prototype is `proto`. */
export function callableInstance<T extends object>(proto: object, call: (...args: never[]) => unknown): T {
  const fn = ((...args: never[]) => call(...args)) as unknown as T;
  // a function's own `name` and `length` would shadow the instance's fields
  delete (fn as { name?: string }).name;
  delete (fn as { length?: number }).length;
  Object.setPrototypeOf(fn, proto);
  return fn;
}
