// tf.data: dataset readers — IDX / MNIST-format files (Fashion-MNIST by default) and small numeric CSVs.
// Node-only (node:fs, node:zlib): the engine runs in the kernel worker, never in the webview.
import { readIdx, parseIdx, encodeIdx } from './idx';
import { readDataSets, defaultDataDir, DataSet } from './mnist';
import { readCsv, parseCsv } from './csv';

export const data = { readIdx, parseIdx, encodeIdx, readDataSets, defaultDataDir, DataSet, readCsv, parseCsv };
