// Runs an example file cell by cell in the real kernel (the kernel process and cell thread the extension starts),
// printing what each cell streams and how long it took — the way the accuracy and time of an example's full
// training are measured for docs/PERFORMANCE.md.
// Run: node --import tsx scripts/run_example.ts examples/cnn_fashion_mnist.ts
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startKernel } from '../test/unit/kernel/kernel_fixture';
import { splitCells } from '../src/cells/cell_splitter';

const file = resolve(process.argv[2] ?? 'examples/cnn_fashion_mnist.ts');

async function main(): Promise<void> {
  const kernel = await startKernel({ maxOldGenerationSizeMb: 4096, interruptTimeoutMs: 10_000 });
  kernel.onStream.event((e) => process.stdout.write(e.text));
  let failed = false;
  for (const c of splitCells(readFileSync(file, 'utf8'))) {
    const started = performance.now();
    const result = await kernel.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[cell ${c.index} '${c.title}': ${result.outcome} in ${seconds} s${result.value === undefined ? '' : `, value ${result.value}`}]`);
    if (result.outcome !== 'ok') {
      console.log(result.error?.message);
      failed = true;
      break;
    }
}
await kernel.dispose();
process.exit(failed ? 1 : 0);
}

void main();
