// Typings written into a workspace, for editors and tools that run no TypeScript server plugin (the command
// line `tsc`, other editors, an extension folder the plugin cannot be installed into): the two declaration
// files go to <folder>/.tapescope/, and a tsconfig.json must include them (a default include skips
// dot-folders). No vscode import: the command (add_typings_command.ts) asks the user, this does the work.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const TYPINGS_FOLDER = '.tapescope';
export const TYPINGS_FILES = ['tapescope.d.ts', 'globals.d.ts'];
export const TYPINGS_INCLUDE = `${TYPINGS_FOLDER}/*.d.ts`;

/** Copies the extension's dist/types/ declarations into <folder>/.tapescope/; returns the files written. */
export function writeWorkspaceTypings(typesDir: string, folder: string): string[] {
  const target = path.join(folder, TYPINGS_FOLDER);
  mkdirSync(target, { recursive: true });
  return TYPINGS_FILES.map((name) => {
    copyFileSync(path.join(typesDir, name), path.join(target, name));
    return path.join(target, name);
  });
}

/** What to do with the folder's tsconfig.json / jsconfig.json so that it includes the typings. */
export type ConfigChange =
  | { kind: 'create'; text: string }
  | { kind: 'patch'; text: string }
  | { kind: 'none' }
  | { kind: 'manual'; reason: string };

// For a folder of cell files: every file a module of its own (cells in two files may both declare `const x`),
// JavaScript cells checked too.
const NEW_CONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', moduleDetection: 'force', strict: true,
    allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true,
  },
  include: ['**/*', TYPINGS_INCLUDE],
};

/** The change that makes a config (its text, or undefined when there is none) include the typings. */
export function planConfigChange(existing: string | undefined): ConfigChange {
  if (existing === undefined) return { kind: 'create', text: `${JSON.stringify(NEW_CONFIG, null, 2)}\n` };
  let config: { include?: unknown; files?: unknown };
  try {
    config = JSON.parse(existing);
  } catch {
    // Comments or trailing commas: rewriting would drop them, so the user adds the line.
    return { kind: 'manual', reason: `add "${TYPINGS_INCLUDE}" to its "include"` };
  }
  if (typeof config !== 'object' || config === null) return { kind: 'manual', reason: 'it is not a JSON object' };
  if (Array.isArray(config.include)) {
    if (config.include.includes(TYPINGS_INCLUDE)) return { kind: 'none' };
    config.include = [...config.include, TYPINGS_INCLUDE];
  } else if (config.include === undefined && config.files === undefined) {
    config.include = ['**/*', TYPINGS_INCLUDE];
  } else {
    return { kind: 'manual', reason: `add "${TYPINGS_INCLUDE}" to its "include"` };
  }
  const indent = /^[ \t]+/m.exec(existing)?.[0] ?? '  ';
  return { kind: 'patch', text: `${JSON.stringify(config, null, indent)}\n` };
}
