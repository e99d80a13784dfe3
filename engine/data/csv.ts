// readCsv: a small numeric CSV as feature and label tensors, for tabular examples.
import { readFileSync } from 'node:fs';
import { Tensor } from '../tensor/tensor';

/** Options of tf.data.readCsv and parseCsv. */
export interface ReadCsvOptions {
  /** First line holds column names (default true). */
  header?: boolean;
  /** Feature columns to keep, by name (with a header) or index; default every column but the label. */
  columns?: (string | number)[];
  /** The column holding the label, by name or index. */
  labelColumn?: string | number;
  /** The separator (default ','). */
  delimiter?: string;
}

/** A numeric CSV as tensors. */
export interface CsvData {
  /** Names of the feature columns kept (from the header, or 'column_<i>'). */
  columnNames: string[];
  /** float32 [rows, features] */
  features: Tensor;
  /** float32 [rows], when labelColumn is given */
  labels: Tensor | null;
}

/**
 * tf.data.readCsv: reads a small numeric CSV file into a float32 features tensor [rows, features] and, with
 * labelColumn, a labels tensor [rows].
 * @throws Error naming the path when it cannot be read, or what parseCsv throws.
 * @example
 * ```ts
 * const { writeFileSync } = await import('node:fs');
 * writeFileSync('/tmp/tapescope-doc.csv', 'x,y\n1,2\n3,4\n');
 * tf.data.readCsv('/tmp/tapescope-doc.csv', { labelColumn: 'y' }).labels // → [2, 4]
 * ```
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): CsvData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`readCsv: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCsv(text, path, options);
}

/**
 * tf.data.parseCsv: parses CSV text as readCsv does; `source` names it in errors.
 * @throws Error naming the line and column of a cell that is not a number, a row of the wrong length, or an
 * unknown column.
 * @example
 * ```ts
 * const data = tf.data.parseCsv('a,b,label\n1,2,0\n3,4,1\n', 'inline', { labelColumn: 'label' });
 * data.features // → [[1, 2], [3, 4]]
 * data.columnNames // → ["a", "b"]
 * ```
 */
export function parseCsv(text: string, source: string, options: ReadCsvOptions = {}): CsvData {
  const delimiter = options.delimiter ?? ',';
  const lines = text.split(/\r?\n/).map((l, i) => ({ line: i + 1, cells: l.split(delimiter).map((c) => c.trim()) })).filter((l) => l.cells.some((c) => c !== ''));
  if (lines.length === 0) throw new Error(`readCsv: ${source} is empty`);
  const hasHeader = options.header ?? true;
  const width = lines[0].cells.length;
  const names = hasHeader ? lines[0].cells : lines[0].cells.map((_, i) => `column_${i}`);
  const rows = hasHeader ? lines.slice(1) : lines;
  const indexOf = (c: string | number): number => {
    const i = typeof c === 'number' ? c : names.indexOf(c);
    if (!(Number.isInteger(i) && i >= 0 && i < width)) throw new Error(`readCsv: ${source} has no column ${JSON.stringify(c)} (columns: ${names.join(', ')})`);
    return i;
  };
  const labelIndex = options.labelColumn === undefined ? -1 : indexOf(options.labelColumn);
  const featureIndices = options.columns ? options.columns.map(indexOf) : names.map((_, i) => i).filter((i) => i !== labelIndex);
  const features = new Float32Array(rows.length * featureIndices.length);
  const labels = labelIndex >= 0 ? new Float32Array(rows.length) : null;
  rows.forEach((row, r) => {
    if (row.cells.length !== width) throw new Error(`readCsv: ${source} line ${row.line} has ${row.cells.length} fields, expected ${width}`);
    const num = (i: number) => {
      const v = Number(row.cells[i]);
      if (row.cells[i] === '' || Number.isNaN(v)) throw new Error(`readCsv: ${source} line ${row.line}, column '${names[i]}': '${row.cells[i]}' is not a number`);
      return v;
    };
    featureIndices.forEach((c, j) => { features[r * featureIndices.length + j] = num(c); });
    if (labels !== null) labels[r] = num(labelIndex);
  });
  return {
    columnNames: featureIndices.map((i) => names[i]),
    features: new Tensor(features, [rows.length, featureIndices.length], 'float32'),
    labels: labels === null ? null : new Tensor(labels, [rows.length], 'float32'),
  };
}
