// @ts-nocheck: AssemblyScript (i32, usize, v128 builtins), compiled by asc, not by tsc.
// AssemblyScript source of the float32 Adam update (compiled by scripts/build_wasm.mjs), four weights per
// instruction. The loader lays every variable of a step end to end, so one call updates them all:
//   m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  w -= lrT · m / (√v + ε)   (lrT carries the bias correction)

export function heapBase(): usize {
  return __heap_base;
}

export function adam(w: usize, g: usize, m: usize, v: usize, n: i32, lrT: f32, beta1: f32, beta2: f32, epsilon: f32): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(1 - beta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(1 - beta2);
  const lr = f32x4.splat(lrT), eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const gi = v128.load(g + at);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.div(f32x4.mul(lr, mi), f32x4.add(f32x4.sqrt(vi), eps))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const gi = load<f32>(g + at);
    const mi = beta1 * load<f32>(m + at) + (1 - beta1) * gi;
    const vi = beta2 * load<f32>(v + at) + (1 - beta2) * gi * gi;
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(w + at, load<f32>(w + at) - lrT * mi / (Mathf.sqrt(vi) + epsilon));
  }
}

// One call over many variables whose regions lie anywhere in memory: `table` holds, per variable, five i32s —
// the byte addresses of its w, g, m and v and its length — so the optimizer's moments can stay resident.
export function adamTable(table: usize, count: i32, lrT: f32, beta1: f32, beta2: f32, epsilon: f32): void {
  for (let e = 0; e < count; e++) {
    const at = table + (<usize>e) * 20;
    adam(load<u32>(at), load<u32>(at, 4), load<u32>(at, 8), load<u32>(at, 12), load<i32>(at, 16), lrT, beta1, beta2, epsilon);
  }
}
