// Where the webview and e2e tests write screenshots: a temporary folder, so `npm test` leaves the
// tree clean — unless `npm run docs:screenshots` sets TAPESCOPE_SCREENSHOTS=docs to refresh docs/images/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

let folder: string | undefined;

export function screenshotFolder(): string {
  if (folder === undefined) {
    folder = process.env.TAPESCOPE_SCREENSHOTS === 'docs'
      ? resolve(__dirname, '../../docs/images')
      : process.env.TAPESCOPE_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'tapescope-shots-'));
    mkdirSync(folder, { recursive: true });
  }
  return folder;
}

export function screenshotPath(name: string): string {
  return join(screenshotFolder(), name);
}
