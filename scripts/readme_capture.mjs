// Assembles the README's animated capture from the frames the end-to-end suite saved while the first cell of
// example 000 ran (test-results/capture-*.png, 1600×1000 workbench screenshots): one animated PNG, colours
// reduced to 256 so it stays small. Run after `TAPESCOPE_E2E_DOCS_SCREENSHOTS=1 npm run test:e2e`.
// Usage: node scripts/readme_capture.mjs [frames folder] [output]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import UPNG from 'upng-js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const framesDir = path.resolve(process.argv[2] ?? path.join(root, 'test-results'));
const output = path.resolve(process.argv[3] ?? path.join(root, 'docs', 'images', 'first-cell-run.png'));
const FRAME_MS = 400;
const LAST_FRAME_MS = 2500;

const files = readdirSync(framesDir).filter((f) => /^capture-\d+\.png$/.test(f)).sort();
if (files.length < 2) throw new Error(`readme_capture: fewer than two frames in ${framesDir}`);
const decoded = files.map((f) => UPNG.decode(readFileSync(path.join(framesDir, f))));
const { width, height } = decoded[0];
if (decoded.some((d) => d.width !== width || d.height !== height)) throw new Error('readme_capture: frames differ in size');
const frames = decoded.map((d) => UPNG.toRGBA8(d)[0]);
const delays = frames.map((_, i) => (i === frames.length - 1 ? LAST_FRAME_MS : FRAME_MS));
writeFileSync(output, Buffer.from(UPNG.encode(frames, width, height, 256, delays)));
console.log(`readme_capture: ${files.length} frames ${width}×${height} → ${path.relative(root, output)}`);
