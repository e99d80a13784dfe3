// The kernel process: forked by the extension host (child_process IPC), it owns the cell thread and the memory
// they share. It relays host messages to the thread and the thread's to the host, sets the interrupt flag the
// thread's loops and ops read, and watches the thread's heap from outside it. Entry point of dist/kernel_process.js.
// Whatever kills this process (a V8 fatal error, abort, a signal) cannot reach the extension host.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  FaultCode, MalformedMessageError, SHARED_SLOT_COUNT, SharedSlot, validateHostToKernel, validateKernelProcessConfig,
  validateKernelToHost, type CellThreadData, type KernelToHostMessage,
} from '../../protocol/kernel_messages';

const HEAP_WATCH_MS = 250;
/** The heap watch steps in when the running cell has the heap this full… */
const HEAP_NEAR_LIMIT = 0.85;
/** …and grew it by at least this share of the limit itself (bindings kept from earlier cells do not count). */
const HEAP_GROWTH = 0.1;
/** Memory posts older than this mean the thread is inside one long call: judge by this process's growth then. */
const POSTS_STALE_MS = 2000;

const config = validateKernelProcessConfig(JSON.parse(process.argv[2] ?? 'null'));
const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOT_COUNT * 4));
const send = (message: KernelToHostMessage, then?: () => void): void => {
  if (process.connected) process.send!(message, undefined, {}, () => then?.());
  else then?.();
};

interface ActiveRun {
  runId: number;
  heapAtStartMb: number;
  externalAtStartMb: number;
  rssAtStartMb: number;
  lastPosts: number;
  lastPostAt: number;
  warned: boolean;
}
let activeRun: ActiveRun | undefined;
const rssMb = (): number => process.memoryUsage.rss() / 2 ** 20;
let threadError: Error | undefined;

const threadData: CellThreadData = {
  shared: shared.buffer as SharedArrayBuffer,
  maxHeapMb: config.maxHeapMb,
  metricFlushMs: config.metricFlushMs,
  maxTapesPerRun: config.maxTapesPerRun,
  heapSettingName: config.heapSettingName,
  userNames: config.userNames,
};
const thread = new Worker(join(__dirname, 'cell_thread.js'), {
  workerData: threadData,
  resourceLimits: {
    maxOldGenerationSizeMb: config.maxHeapMb,
    // A tape keeps every recorded op alive until gradient(); a roomy young generation means far fewer scavenges
    // copying it, which halves the cost of scalar-heavy (micrograd-style) graphs.
    maxYoungGenerationSizeMb: config.youngGenerationMb,
  },
  // The thread's own process.stdout/stderr go to this process's, which the host reads.
  stdout: false,
  stderr: false,
});

thread.on('message', (raw: unknown) => {
  let message: KernelToHostMessage;
  try {
    message = validateKernelToHost(raw);
  } catch (err) {
    if (!(err instanceof MalformedMessageError)) throw err;
    send({ type: 'stream', runId: activeRun?.runId ?? 0, stream: 'stderr', text: `${err.message}\n` });
    return;
  }
  if (message.type === 'done' && activeRun?.runId === message.runId) activeRun = undefined;
  send(message);
});
thread.on('error', (err) => {
  threadError = err;
});
thread.on('exit', (code) => {
  send({ type: 'threadExit', cause: threadExitCause(code) }, () => process.exit(0));
});

function threadExitCause(code: number): string {
  const fault = Atomics.load(shared, SharedSlot.fault);
  if (fault === FaultCode.processExit) return `the cell called process.exit(${Atomics.load(shared, SharedSlot.exitCode)})`;
  if (fault === FaultCode.processAbort) return 'the cell called process.abort()';
  if ((threadError as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `out of memory (the kernel's heap limit is ${config.maxHeapMb} MB, setting ${config.heapSettingName})`;
  }
  return `the cell thread died (exit code ${code}${threadError ? `, ${threadError.message}` : ''})`;
}

process.on('message', (raw: unknown) => {
  let message;
  try {
    message = validateHostToKernel(raw);
  } catch (err) {
    if (!(err instanceof MalformedMessageError)) throw err;
    send({ type: 'stream', runId: activeRun?.runId ?? 0, stream: 'stderr', text: `${err.message}\n` });
    return;
  }
  if (message.type === 'run') {
    activeRun = {
      runId: message.runId, heapAtStartMb: Atomics.load(shared, SharedSlot.heapUsedMb),
      externalAtStartMb: Atomics.load(shared, SharedSlot.externalMb), rssAtStartMb: rssMb(),
      lastPosts: Atomics.load(shared, SharedSlot.memoryPosts), lastPostAt: Date.now(), warned: false,
    };
  } else if (activeRun) {
    Atomics.store(shared, SharedSlot.interrupt, 1);
  }
  thread.postMessage(message);
});

// Without its host the kernel has no reason to live (VS Code closed or crashed, the test process ended).
process.on('disconnect', () => process.exit(0));

/**
 * The cell thread's JS heap in MB, seen from outside it: as the thread last posted it, or as Node reports it
 * (22.16+) when the thread answers in time; while its posts have stopped (a single huge builtin call such as `new Array(1e9).fill(0)` posts
 * nothing until it returns), what this process grew by since the cell started.
 */
async function cellHeapMb(run: ActiveRun): Promise<number> {
  const posts = Atomics.load(shared, SharedSlot.memoryPosts);
  if (posts !== run.lastPosts) {
    run.lastPosts = posts;
    run.lastPostAt = Date.now();
  }
  let heap = Atomics.load(shared, SharedSlot.heapUsedMb);
  if (Date.now() - run.lastPostAt > POSTS_STALE_MS) {
    const externalGrowth = Atomics.load(shared, SharedSlot.externalMb) - run.externalAtStartMb;
    heap = Math.max(heap, run.heapAtStartMb + rssMb() - run.rssAtStartMb - externalGrowth);
  }
  const ask = (thread as unknown as { getHeapStatistics?: () => Promise<{ used_heap_size: number }> }).getHeapStatistics;
  if (ask) {
    // Answered by the thread's own event loop, so never while it is stuck in one call: wait briefly at most.
    const stats = await Promise.race([ask.call(thread).catch(() => undefined), new Promise<undefined>((r) => setTimeout(r, HEAP_WATCH_MS / 2))]);
    if (stats) heap = Math.max(heap, stats.used_heap_size / 2 ** 20);
  }
  return heap;
}

// A cell filling the heap would otherwise make V8 collect garbage for a minute before it gives up.
setInterval(async () => {
  const run = activeRun;
  if (!run || run.warned) return;
  const usedMb = await cellHeapMb(run);
  if (usedMb < HEAP_NEAR_LIMIT * config.maxHeapMb || usedMb - run.heapAtStartMb < HEAP_GROWTH * config.maxHeapMb) return;
  run.warned = true;
  send({ type: 'heapNearLimit', runId: run.runId, usedMb: Math.round(usedMb), limitMb: config.maxHeapMb });
}, HEAP_WATCH_MS);
