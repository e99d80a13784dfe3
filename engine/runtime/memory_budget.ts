// The kernel's budget for tensor storage: an allocation larger than it is refused up front with the op, the shape,
// the bytes and the limit, instead of failing inside V8 ("Array buffer allocation failed") or exhausting the machine.
import type { DType } from '../tensor/dtype';
import { hooks } from './hooks';

/** Thrown before allocating a tensor larger than the budget the host set; nothing was allocated. */
export class TensorMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TensorMemoryError';
  }
}

const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
/** From this size on, the host's own check runs before the allocation (it costs about a microsecond). */
const LARGE_ALLOCATION_BYTES = 2 ** 20;

/** Bytes in binary units ("4.0 GB" for 4096 MB), as the heap setting counts them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** Throws TensorMemoryError when `size` elements of `dtype` exceed the budget; `op` and `shape` name the request. */
export function checkAllocation(dtype: DType, size: number, op?: string, shape?: readonly number[]): void {
  const budget = hooks.tensorMemoryLimit;
  if (budget === null) return;
  const bytes = size * BYTES_PER_ELEMENT[dtype];
  if (bytes <= budget.bytes) {
    if (bytes >= LARGE_ALLOCATION_BYTES) budget.beforeLargeAllocation?.(bytes);
    return;
  }
  const what = shape ? `[${shape.join(', ')}] ${dtype}` : `a ${dtype} tensor of ${size} elements`;
  throw new TensorMemoryError(`${op ? `${op}: ` : ''}${what} needs ${formatBytes(bytes)}; the kernel's limit is ${formatBytes(budget.bytes)} (${budget.setting})`);
}
