// The "Kernels" section of docs/PERFORMANCE.md: how the numeric kernels measured below are built.
export const KERNELS_PARAGRAPH = [
  'float32 matmul runs in WebAssembly SIMD compiled from AssemblyScript (`engine/kernels/matmul/wasm/matmul_f32.as.ts`,',
  'built by `npm run build:wasm` into a base64 TypeScript module, so the bytes ship inside the JS bundle and are',
  'compiled synchronously at import). It is GotoBLAS-shaped: op(A) is packed into 4-row panels and op(B) into',
  '8-column panels, both depth-major, so a single register-blocked 4×8 micro-kernel (8 f32x4 accumulators, one',
  'broadcast of A and two vectors of B per step) serves all four transpose combinations. Transposes are absorbed by',
  'the packing (4×4 shuffles), never materialised. Operands are copied into one linear memory that only grows to the',
  'largest product seen, so a training loop reuses the same pages every step; the copies in and out are included',
  'in every figure below. Products under 4096 multiply-adds and all float64 products run the pure-TypeScript kernel',
  '(`matmul_typescript.ts`: a transposed B is copied into a reused scratch buffer, then four output rows are updated',
  'per pass), which is also the fallback when WASM SIMD is unavailable. Threads: a second-core worker pool over',
  'SharedArrayBuffer was not built; see the threads note in the matmul rows.',
].join('\n');
