// tf.summary.createFileWriter: TensorBoard event files (events.out.tfevents.*), written with the TFRecord framing
// and Event/Summary protobufs TensorBoard reads. Scalars are written as simple_value, histograms as
// HistogramProto, which TensorBoard's scalar and histogram/distribution dashboards show.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { encodeEvent, type HistogramFields } from './event_proto';
import { tfrecordFrame } from './tfrecord';

/** Options of tf.summary.createFileWriter. */
export interface FileWriterArgs {
  /** Write buffered events to disk at least this often while a loop runs (default 1000 ms). */
  flushMillis?: number;
  /** Appended to the event file's name (default ''). */
  filenameSuffix?: string;
}

let defaultWriter: SummaryWriter | null = null;
let uniqueFiles = 0;

/** The writer that tf.summary.scalar / histogram write to, or null outside `asDefault` / `setAsDefault`. */
export function currentWriter(): SummaryWriter | null {
  return defaultWriter;
}

/**
 * Writes summaries to a TensorBoard event file in `logdir`, as TF's `tf.summary.create_file_writer`.
 * Summaries reach it while it is the default writer (`writer.asDefault(fn)` or `writer.setAsDefault()`).
 */
export class SummaryWriter {
  /** The directory the event file is in. */
  readonly logdir: string;
  /** Path of the event file this writer appends to. */
  readonly path: string;
  private pending: Uint8Array[] = [];
  private lastFlush = Date.now();
  private closed = false;
  private readonly flushMillis: number;

  /** Made by tf.summary.createFileWriter(logdir, args): creates logdir and the event file. */
  constructor(logdir: string, args: FileWriterArgs = {}) {
    if (typeof logdir !== 'string' || logdir === '') throw new Error('summary.createFileWriter: logdir must be a non-empty folder path');
    this.logdir = logdir;
    this.flushMillis = args.flushMillis ?? 1000;
    mkdirSync(logdir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    // TF's name: events.out.tfevents.<seconds>.<host>.<pid>.<unique><suffix>
    this.path = join(logdir, `events.out.tfevents.${String(seconds).padStart(10, '0')}.${hostname()}.${process.pid}.${uniqueFiles++}${args.filenameSuffix ?? ''}`);
    writeFileSync(this.path, tfrecordFrame(encodeEvent({ wallTime: Date.now() / 1000, step: 0, fileVersion: 'brain.Event:2' })));
  }

  /** Runs fn with this writer as the default one (TF's `with writer.as_default():`), then flushes. */
  asDefault<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new Error('SummaryWriter.asDefault: expected a function to run with this writer as the default');
    const previous = defaultWriter;
    defaultWriter = this;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      defaultWriter = previous;
      this.flush();
      throw error;
    }
    if (result instanceof Promise) {
      return result.finally(() => {
        defaultWriter = previous;
        this.flush();
      }) as T;
    }
    defaultWriter = previous;
    this.flush();
    return result;
  }

  /** Makes this writer the default until another one is (TF's writer.set_as_default()). */
  setAsDefault(): void {
    defaultWriter = this;
  }

  /** Writes buffered events to the file. */
  flush(): void {
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.lastFlush = Date.now();
    appendFileSync(this.path, Buffer.concat(chunks));
  }

  /** Flushes and stops writing; later summaries to this writer are an error. */
  close(): void {
    this.flush();
    this.closed = true;
    if (defaultWriter === this) defaultWriter = null;
  }

  /** Appends a scalar summary event (what tf.summary.scalar writes). */
  writeScalar(tag: string, value: number, step: number): void {
    this.append(step, { tag, simpleValue: value });
  }

  /** Appends a histogram summary event (what tf.summary.histogram writes). */
  writeHistogram(tag: string, histo: HistogramFields, step: number): void {
    this.append(step, { tag, histo });
  }

  private append(step: number, value: { tag: string; simpleValue?: number; histo?: HistogramFields }): void {
    if (this.closed) throw new Error(`summary: the writer for ${this.logdir} is closed`);
    this.pending.push(tfrecordFrame(encodeEvent({ wallTime: Date.now() / 1000, step, summary: { value: [value] } })));
    if (Date.now() - this.lastFlush >= this.flushMillis) this.flush();
  }

  /** `<SummaryWriter logdir=…>`. */
  toString(): string {
    return `<SummaryWriter ${this.path}>`;
  }
}
