// Runs the end-to-end suite with the standard @vscode/test-electron runTests. Where desktop VS Code cannot be
// downloaded (these machines), the "VS Code executable" is our launcher that runs code-server in Chromium.
// Usage: node test/e2e/run_e2e.mjs [--vsix | --restricted]   (--vsix: install the packaged .vsix instead of the
// dev folder; --restricted: workspace trust on, the examples folder untrusted, only the Restricted Mode tests)
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { installCodeServer, installVsix } from '../../scripts/code_server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const useVsix = process.argv.includes('--vsix');
const restricted = process.argv.includes('--restricted');

// The suite is TypeScript; VS Code loads it as one CommonJS file, out/e2e/index.js (vscode provided by the host).
const suiteFile = path.join(root, 'out', 'e2e', 'index.js');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'e2e', 'suite', 'index.ts')],
  outfile: suiteFile, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', sourcemap: 'inline',
  external: ['vscode'], logLevel: 'warning',
});

const desktop = process.env.TAPESCOPE_E2E_DESKTOP === '1';
if (!desktop) installCodeServer();
const launcher = path.join(root, 'test', 'e2e', 'code_server_launcher.mjs');
const scratch = mkdtempSync('/tmp/tsr-');
const extensionsDir = path.join(scratch, 'extensions');
const userDataDir = path.join(scratch, 'user-data');

let extensionDevelopmentPath = root;
if (useVsix) {
  const vsix = readdirSync(root).filter((f) => f.endsWith('.vsix')).sort((a, b) => statSync(path.join(root, b)).mtimeMs - statSync(path.join(root, a)).mtimeMs)[0];
  if (!vsix) throw new Error('no .vsix in the repository root: run `npm run package` first');
  console.log(`e2e: installing ${vsix} into a fresh extensions folder`);
  installVsix(path.join(root, vsix), extensionsDir, userDataDir);
  // No development path: the installed .vsix is the extension under test. The suite still needs a folder to
  // load from; an empty one with no package.json contributes nothing.
  extensionDevelopmentPath = path.join(scratch, 'no-extension');
  mkdirSync(extensionDevelopmentPath);
}

let exitCode = 0;
try {
  await runTests({
    ...(desktop ? {} : { vscodeExecutablePath: launcher }),
    extensionDevelopmentPath,
    extensionTestsPath: suiteFile,
    launchArgs: [path.join(root, 'examples'), `--user-data-dir=${userDataDir}`, `--extensions-dir=${extensionsDir}`],
    extensionTestsEnv: { TAPESCOPE_E2E_MODE: useVsix ? 'vsix' : restricted ? 'restricted' : 'dev' },
  });
} catch (err) {
  console.error(`e2e: ${err.message}`);
  exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
