// readDataSets: MNIST-format data (Fashion-MNIST by default) as TF's old `input_data` gave it in seed 002 —
// train / validation / test sets whose nextBatch(n) returns [images float32 [n, 784] in [0, 1], labels],
// reshuffled every epoch from a seedable stream.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor';
import { makeRng } from '../ops/random';
import { readIdx, type IdxArray } from './idx';

export const DEFAULT_DATA_DIR = '/usr/share/datasets/fashion-mnist/';
export const DATA_DIR_ENV = 'TAPESCOPE_DATA_DIR';
const HOW_TO_GET = `Install Fashion-MNIST with \`sudo apt-get install dataset-fashion-mnist\` (it lands in ${DEFAULT_DATA_DIR}), `
  + `or put the four MNIST-format files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, `
  + `t10k-labels-idx1-ubyte.gz) in a folder and set ${DATA_DIR_ENV} (the extension's tapescope.dataDir setting) to it.`;

/** Options of tf.data.readDataSets. */
export interface ReadDataSetsOptions {
  /** Labels as one-hot float32 rows [n, 10] (default false: int32 class numbers [n]). */
  oneHot?: boolean;
  /** Seeds every set's shuffling (each set derives its own stream). */
  seed?: number;
  /** Training examples held out as the validation set (5000, as input_data). */
  validationSize?: number;
  /**
   * As TF's read_data_sets: true (default) flattens each image to [rows·cols] (images [n, 784]); false keeps
   * it as [rows, cols, 1], so images are [n, 28, 28, 1], ready for Conv2D.
   */
  reshape?: boolean;
}

/**
 * tf.data.defaultDataDir: the directory readDataSets reads without an argument — $TAPESCOPE_DATA_DIR, else
 * Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist/).
 * @example
 * ```ts
 * typeof tf.data.defaultDataDir() // → string
 * ```
 */
export function defaultDataDir(): string {
  const fromEnv = typeof process !== 'undefined' ? process.env[DATA_DIR_ENV] : undefined;
  return fromEnv && fromEnv.length > 0 ? fromEnv : DEFAULT_DATA_DIR;
}

/**
 * One split of an MNIST-format dataset (train, validation or test), as TF's old input_data gave it: all images and
 * labels as tensors, and nextBatch(n) for shuffled mini-batches.
 */
export class DataSet {
  /** Number of examples. */
  readonly numExamples: number;
  /** Pixels per image (784 for 28×28). */
  readonly imageSize: number;
  /** Number of classes (10). */
  readonly numClasses = 10;
  /** One example's shape: [imageSize], or [rows, cols, 1] with reshape: false. */
  readonly exampleShape: number[];
  /** Completed passes over the data by nextBatch. */
  epochsCompleted = 0;
  private readonly pixels: Float32Array;
  private readonly labelValues: Uint8Array;
  private readonly order: Int32Array;
  private position = 0;
  private readonly rng: () => number;

  /** Made by readDataSets: pixels in [0, 1] (numExamples × imageSize), class labels 0-9, a shuffle seed, one example's shape. */
  constructor(pixels: Float32Array, labels: Uint8Array, imageSize: number,
    /** Whether labels are one-hot rows. */
    readonly oneHot: boolean, seed: number, exampleShape: number[] = [imageSize]) {
    this.pixels = pixels;
    this.labelValues = labels;
    this.imageSize = imageSize;
    this.exampleShape = exampleShape;
    this.numExamples = labels.length;
    this.rng = makeRng(seed);
    this.order = new Int32Array(this.numExamples);
    for (let i = 0; i < this.numExamples; i++) this.order[i] = i;
    this.shuffle();
  }

  /** All images as one [numExamples, ...exampleShape] tensor. */
  get images(): Tensor {
    return new Tensor(this.pixels, [this.numExamples, ...this.exampleShape], 'float32');
  }

  /** All labels: one-hot float32 [numExamples, 10], or int32 [numExamples]. */
  get labels(): Tensor {
    return this.labelTensor(Array.from({ length: this.numExamples }, (_, i) => i));
  }

  /** The next n examples of the current epoch; a batch that runs past the end finishes with the next epoch's first examples. */
  nextBatch(n: number): [Tensor, Tensor] {
    if (!(Number.isInteger(n) && n > 0 && n <= this.numExamples)) {
      throw new Error(`nextBatch: batch size must be an integer in 1..${this.numExamples}, got ${n}`);
    }
    const picked: number[] = [];
    while (picked.length < n) {
      if (this.position === this.numExamples) {
        this.epochsCompleted++;
        this.shuffle();
        this.position = 0;
      }
      picked.push(this.order[this.position++]);
    }
    const images = new Float32Array(n * this.imageSize);
    for (let r = 0; r < n; r++) {
      const from = picked[r] * this.imageSize;
      images.set(this.pixels.subarray(from, from + this.imageSize), r * this.imageSize);
    }
    return [new Tensor(images, [n, ...this.exampleShape], 'float32'), this.labelTensor(picked)];
  }

  private labelTensor(rows: readonly number[]): Tensor {
    if (!this.oneHot) return new Tensor(Int32Array.from(rows, (r) => this.labelValues[r]), [rows.length], 'int32');
    const out = new Float32Array(rows.length * this.numClasses);
    rows.forEach((r, i) => { out[i * this.numClasses + this.labelValues[r]] = 1; });
    return new Tensor(out, [rows.length, this.numClasses], 'float32');
  }

  private shuffle(): void {
    const o = this.order;
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      const t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
  }
}

/** What tf.data.readDataSets returns. */
export interface DataSets {
  /** The training examples minus the validation ones (55 000 by default). */
  train: DataSet;
  /** The first validationSize training examples (5 000 by default). */
  validation: DataSet;
  /** The test examples (10 000). */
  test: DataSet;
  /** Where the files were read from. */
  directory: string;
}

/** Finds `<dir>/<name>.gz` or `<dir>/<name>` (also the `name.idx3-ubyte` dot spelling) and reads it. */
function readSetFile(dir: string, name: string): IdxArray {
  const candidates = [name, `${name}.gz`, name.replace(/-idx/, '.idx'), `${name.replace(/-idx/, '.idx')}.gz`].map((f) => join(dir, f));
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(`readDataSets: cannot find ${name}(.gz) in ${dir} (looked for ${candidates.join(', ')}). ${HOW_TO_GET}`);
  }
  try {
    return readIdx(found);
  } catch (e) {
    throw new Error(`readDataSets: ${(e as Error).message}. ${HOW_TO_GET}`);
  }
}

function imagesAndLabels(dir: string, prefix: string): { pixels: Float32Array; labels: Uint8Array; imageSize: number; rows: number; cols: number } {
  const images = readSetFile(dir, `${prefix}-images-idx3-ubyte`);
  const labels = readSetFile(dir, `${prefix}-labels-idx1-ubyte`);
  if (images.type !== 'ubyte' || images.shape.length !== 3 || labels.type !== 'ubyte' || labels.shape.length !== 1) {
    throw new Error(`readDataSets: ${prefix} files in ${dir} should hold ubyte images [n, rows, cols] and ubyte labels [n], got ${images.type} [${images.shape.join(', ')}] and ${labels.type} [${labels.shape.join(', ')}]`);
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(`readDataSets: ${prefix} files in ${dir} disagree: ${images.shape[0]} images but ${labels.shape[0]} labels`);
  }
  const raw = images.values as Uint8Array;
  const pixels = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) pixels[i] = raw[i] / 255;
  const labelValues = labels.values as Uint8Array;
  for (let i = 0; i < labelValues.length; i++) {
    if (labelValues[i] > 9) throw new Error(`readDataSets: label ${labelValues[i]} at index ${i} of ${prefix}-labels in ${dir} is not a class 0-9`);
  }
  return { pixels, labels: labelValues, imageSize: images.shape[1] * images.shape[2], rows: images.shape[1], cols: images.shape[2] };
}

/**
 * tf.data.readDataSets(dir?, {oneHot, seed, validationSize, reshape}): MNIST-format data (Fashion-MNIST by default) split
 * into train / validation / test, as seed 002's `input_data.read_data_sets`. Images are float32 in [0, 1].
 * `reshape` is TF's: true (default) gives images [n, 784], false [n, 28, 28, 1] for Conv2D.
 * @throws Error naming the directory and how to install the data when the files are missing or malformed.
 * @example
 * ```ts
 * const mnist = tf.data.readDataSets({ oneHot: true, seed: 1 });
 * mnist.train.numExamples // → 55000
 * const [images, labels] = mnist.train.nextBatch(100);
 * images.shape // → [100, 784]
 * labels.shape // → [100, 10]
 * ```
 */
export function readDataSets(dirOrOptions?: string | ReadDataSetsOptions, options: ReadDataSetsOptions = {}): DataSets {
  const dir = typeof dirOrOptions === 'string' ? dirOrOptions : defaultDataDir();
  const opts = typeof dirOrOptions === 'object' && dirOrOptions !== null ? dirOrOptions : options;
  if (!existsSync(dir)) {
    const hint = typeof dirOrOptions === 'string' ? ` Called without a directory, readDataSets reads $${DATA_DIR_ENV} or ${DEFAULT_DATA_DIR}.` : '';
    throw new Error(`readDataSets: the data directory ${dir} does not exist.${hint} ${HOW_TO_GET}`);
  }
  const oneHot = opts.oneHot ?? false;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const train = imagesAndLabels(dir, 'train');
  const test = imagesAndLabels(dir, 't10k');
  const validationSize = opts.validationSize ?? 5000;
  const trainCount = train.labels.length;
  if (!(Number.isInteger(validationSize) && validationSize >= 0 && validationSize < trainCount)) {
    throw new Error(`readDataSets: validationSize must be an integer in 0..${trainCount - 1}, got ${validationSize}`);
  }
  const size = train.imageSize;
  const shape = opts.reshape === false ? [train.rows, train.cols, 1] : [size];
  const cut = validationSize * size;
  return {
    directory: dir,
    validation: new DataSet(train.pixels.slice(0, cut), train.labels.slice(0, validationSize), size, oneHot, seed + 1, shape),
    train: new DataSet(train.pixels.slice(cut), train.labels.slice(validationSize), size, oneHot, seed, shape),
    test: new DataSet(test.pixels, test.labels, test.imageSize, oneHot, seed + 2, opts.reshape === false ? [test.rows, test.cols, 1] : [test.imageSize]),
  };
}
