// Where the inspector page tests write screenshots: a temporary folder (or TAPESCOPE_SCREENSHOTS_DIR), so
// `npm test` leaves the tree clean. docs/images/ is the workbench's, taken by the end-to-end suite
// (`npm run docs:screenshots`), never a page of its own.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let folder: string | undefined;

export function screenshotFolder(): string {
  if (folder === undefined) {
    folder = process.env.TAPESCOPE_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'tapescope-shots-'));
    mkdirSync(folder, { recursive: true });
  }
  return folder;
}

export function screenshotPath(name: string): string {
  return join(screenshotFolder(), name);
}
