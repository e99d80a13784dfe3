// The practical limit for a scalar tape in JavaScript: a bare micrograd-style graph (Karpathy's micrograd,
// written by hand in TypeScript). Each Value holds a number, its gradient and a closure that pushes the gradient to
// its children; backward() orders the graph topologically with a visited set and calls the closures in reverse.
// No dtypes, no shapes, no tapes, no higher order — only what the arithmetic itself needs.

/** The peer's column name in the bench table. */
export const MICROGRAD_PEER_NAME = 'bare closures (micrograd-style JS)';

const NO_CHILDREN: readonly Value[] = [];
const noop = (): void => {};

export class Value {
  grad = 0;
  backwardStep: () => void = noop;

  constructor(public data: number, readonly children: readonly Value[] = NO_CHILDREN) {}

  add(other: Value): Value {
    const out = new Value(this.data + other.data, [this, other]);
    out.backwardStep = () => {
      this.grad += out.grad;
      other.grad += out.grad;
    };
    return out;
  }

  sub(other: Value): Value {
    const out = new Value(this.data - other.data, [this, other]);
    out.backwardStep = () => {
      this.grad += out.grad;
      other.grad -= out.grad;
    };
    return out;
  }

  mul(other: Value): Value {
    const out = new Value(this.data * other.data, [this, other]);
    out.backwardStep = () => {
      this.grad += other.data * out.grad;
      other.grad += this.data * out.grad;
    };
    return out;
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this]);
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  /** Sets every gradient in the graph below this value (d self / d node), as micrograd's backward() does. */
  backward(): void {
    const order: Value[] = [];
    const visited = new Set<Value>();
    const visit = (v: Value): void => {
      if (visited.has(v)) return;
      visited.add(v);
      for (const child of v.children) visit(child);
      order.push(v);
    };
    visit(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }
}
