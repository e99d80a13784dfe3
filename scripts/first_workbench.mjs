// How `npm start` sets up the workbench it opens, shared with the end-to-end launcher so the suite starts the
// way a new user does: a private user-data folder whose settings keep the workbench quiet (no Welcome page, no
// chat or AI panels, no telemetry, no update or extension checks) and open the inspector beside a cell file,
// and a workbench URL that opens examples/000_gradient_tape_basics.ts.
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FIRST_EXAMPLE = '000_gradient_tape_basics.ts';

export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.surveys.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.enabled': false,
  'tapescope.inspector.openWithCellFile': true,
};

/** With workspace trust on, a folder not trusted before opens in Restricted Mode, without asking first. */
export const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

/** Writes the settings (and `extra`) into <userDataDir>/User/settings.json, keeping what the user added there since. */
export function writeWorkbenchSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  let current = {};
  try {
    if (existsSync(file)) current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A settings file that is not plain JSON (comments): ours replace it.
  }
  writeFileSync(file, `${JSON.stringify({ ...current, ...WORKBENCH_SETTINGS, ...extra }, null, 2)}\n`);
}

/**
 * The workbench's `payload` entry that opens a file at start. Its authority must be the server's own host:port
 * (code-server's remote authority), or the workbench opens a second copy of a file the extension opens.
 */
export function openFilePayload(file, serverUrl) {
  return ['openFile', `vscode-remote://${new URL(serverUrl).host}${path.resolve(file)}`];
}
