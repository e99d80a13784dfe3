// A second thread that computes row panels of a packed product in the same shared WebAssembly memory.
// The caller stays synchronous: it posts the job through a SharedArrayBuffer, then both threads claim row
// panels from a shared counter until none are left, and the caller waits with Atomics for the helper's last.
// Node only (worker_threads, reached through process.getBuiltinModule so the engine still bundles for other
// hosts); elsewhere spawn() returns null and products run on one thread.

/** Slots of the Int32Array control block shared with the helper. */
const STATE = 0;     // (job sequence << 2) | phase, or QUIT
const DONE = 1;      // sequence number of the last job the helper finished
const READY = 2;     // 1 once the helper has instantiated the kernel
const FAILED = 3;    // 1 when the helper's last job threw
const KIND = 4;      // PACKED_ROWS or PACKING_SPLIT
const PANELS_DONE = 5; // row panels (blocks, for PACKING_SPLIT) the helper computed in its last job
const ARGS = 6;      // see start() and startPacking()
const CONTROL_INTS = ARGS + 17;

/** Job kinds: multiply panels the caller packed (multiplyClaimedRows), or pack and multiply with the caller. */
const PACKED_ROWS = 0;
const PACKING_SPLIT = 1;

// Job phases. The caller cancels a job the helper has not picked up yet (compare-and-swap POSTED ->
// CANCELLED), so a helper that is asleep or descheduled never makes the caller wait.
const POSTED = 1;
const RUNNING = 2;
const CANCELLED = 3;
const QUIT = -1;

/** How long the helper keeps polling for the next job before sleeping (a training step posts many in a row). */
const HELPER_SPIN_ITERATIONS = 200_000;
/** If a running helper has not finished within this time it is presumed dead and the caller computes its rows. */
const HELPER_TIMEOUT_MS = 2000;

const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, spinIterations } = workerData;
const kernel = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('matmul helper: kernel aborted'); } },
}).exports;
const ctl = new Int32Array(control);
Atomics.store(ctl, ${READY}, 1);
let last = Atomics.load(ctl, ${STATE});
for (;;) {
  let state = Atomics.load(ctl, ${STATE});
  for (let spin = 0; state === last && spin < spinIterations; spin++) state = Atomics.load(ctl, ${STATE});
  while (state === last) {
    Atomics.wait(ctl, ${STATE}, last);
    state = Atomics.load(ctl, ${STATE});
  }
  last = state;
  if (state === ${QUIT}) break;
  if ((state & 3) !== ${POSTED}) continue;
  const running = (state & ~3) | ${RUNNING};
  if (Atomics.compareExchange(ctl, ${STATE}, state, running) !== state) continue;
  last = running;
  try {
    const job = state >> 2;
    const arg = (i) => ctl[${ARGS} + i];
    if (ctl[${KIND}] === ${PACKED_ROWS}) {
      ctl[${PANELS_DONE}] = kernel.multiplyClaimedRows(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6));
    } else {
      // a, b, aPack, bPack, c, m, k, n, transposeA, transposeB, packCounter, blockCounter, flags, blockCounts, aStaged, rowBlock, colBlock
      const packed = kernel.packClaimedPanels(arg(0), arg(1), arg(2), arg(3), arg(5), arg(6), arg(7), arg(8), arg(9),
        arg(10), arg(12), arg(14), job);
      ctl[${PANELS_DONE}] = packed
        ? kernel.multiplyClaimedBlocks(arg(2), arg(3), arg(4), arg(5), arg(6), arg(7), arg(15), arg(16), arg(11), arg(13), 0x7fffffff)
        : 0;
    }
    Atomics.store(ctl, ${FAILED}, 0);
  } catch {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, ${DONE}, state >> 2);
  Atomics.notify(ctl, ${DONE});
}
`;

interface WorkerLike {
  on(event: 'error' | 'exit', listener: () => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => WorkerLike;
}

function workerThreads(): WorkerThreadsModule | null {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltin !== 'function' || typeof SharedArrayBuffer !== 'function') return null;
  try {
    return getBuiltin('node:worker_threads') as WorkerThreadsModule;
  } catch {
    return null;
  }
}

export class MatmulHelperThread {
  private readonly control: Int32Array;
  private sequence = 0;
  private dead = false;
  /** Row panels the helper has computed since it started (shows the work really is shared). */
  rowPanelsComputed = 0;

  private constructor(private readonly worker: WorkerLike, controlBuffer: SharedArrayBuffer) {
    this.control = new Int32Array(controlBuffer);
  }

  /** Starts the helper (asynchronously: it is `ready` some milliseconds later); null when threads are unavailable. */
  static spawn(module: WebAssembly.Module, memory: WebAssembly.Memory): MatmulHelperThread | null {
    const threads = workerThreads();
    if (threads === null) return null;
    try {
      const controlBuffer = new SharedArrayBuffer(CONTROL_INTS * 4);
      const worker = new threads.Worker(HELPER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: controlBuffer, spinIterations: HELPER_SPIN_ITERATIONS },
      });
      // An idle helper must not keep the process alive.
      worker.unref();
      const helper = new MatmulHelperThread(worker, controlBuffer);
      // A helper that fails to start or dies leaves products to the caller's thread instead of crashing it.
      worker.on('error', () => helper.dispose());
      worker.on('exit', () => helper.dispose());
      return helper;
    } catch {
      return null;
    }
  }

  get ready(): boolean {
    return !this.dead && Atomics.load(this.control, READY) === 1;
  }

  /** Resolves once the helper accepts jobs (for tests and benchmarks that want the two-thread path at once). */
  async whenReady(timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!this.ready) {
      if (this.dead || Date.now() - started > timeoutMs) throw new Error('matmul helper thread did not start');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Posts a packed product whose row panels the helper claims from `counter`; pair every call with finish(). */
  start(aPack: number, bPack: number, c: number, k: number, n: number, rowPanels: number, counter: number): void {
    this.post(PACKED_ROWS, [aPack, bPack, c, k, n, rowPanels, counter]);
  }

  /**
   * Posts a product the helper packs (packClaimedPanels) and multiplies (multiplyClaimedBlocks) with the caller,
   * who stamps `aStaged` in the kernel's memory once op(A) is written. Returns the job number the kernel stamps
   * its flags with; pair every call with finish().
   */
  startPacking(args: {
    a: number; b: number; aPack: number; bPack: number; c: number; m: number; k: number; n: number;
    transposeA: boolean; transposeB: boolean; packCounter: number; blockCounter: number; flags: number; blockCounts: number;
    aStaged: number; rowBlock: number; colBlock: number;
  }): number {
    return this.post(PACKING_SPLIT, [args.a, args.b, args.aPack, args.bPack, args.c, args.m, args.k, args.n,
      args.transposeA ? 1 : 0, args.transposeB ? 1 : 0, args.packCounter, args.blockCounter, args.flags, args.blockCounts,
      args.aStaged, args.rowBlock, args.colBlock]);
  }

  /** The job number of the product posted last. */
  get job(): number {
    return this.sequence;
  }

  private post(kind: number, args: number[]): number {
    const control = this.control;
    control[KIND] = kind;
    for (let i = 0; i < args.length; i++) control[ARGS + i] = args[i];
    this.sequence = (this.sequence + 1) & 0x1fffffff || 1;
    Atomics.store(control, STATE, (this.sequence << 2) | POSTED);
    Atomics.notify(control, STATE, 1);
    return this.sequence;
  }

  /**
   * Call after claiming row panels until none are left. Cancels the job if the helper never picked it up,
   * else waits for the helper's last panel. Returns false if the helper failed or timed out (then the caller
   * recomputes everything).
   */
  finish(): boolean {
    const control = this.control;
    const expected = this.sequence;
    const posted = (expected << 2) | POSTED;
    if (Atomics.compareExchange(control, STATE, posted, (expected << 2) | CANCELLED) === posted) return true;
    for (let spin = 0; spin < 1_000_000; spin++) {
      if (Atomics.load(control, DONE) === expected) return this.finished();
    }
    const deadline = Date.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === expected) return this.finished();
      const left = deadline - Date.now();
      if (left <= 0) {
        this.dispose();
        return false;
      }
      Atomics.wait(control, DONE, done, left);
    }
  }

  private finished(): boolean {
    if (Atomics.load(this.control, FAILED) !== 0) return false;
    this.rowPanelsComputed += this.control[PANELS_DONE];
    return true;
  }

  dispose(): void {
    if (this.dead) return;
    this.dead = true;
    Atomics.store(this.control, STATE, QUIT);
    Atomics.notify(this.control, STATE, 1);
    void this.worker.terminate();
  }
}
