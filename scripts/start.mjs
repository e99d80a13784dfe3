// `npm start`: builds Tapescope and opens it on examples/000_gradient_tape_basics.ts with the inspector beside it.
// With desktop VS Code (`code` on PATH) it launches it with the extension under development. Otherwise it runs
// the embedded default: code-server (installed into .tools/ on first use) on 127.0.0.1 with the freshly packaged
// extension installed, in a private user-data folder set up by first_workbench.mjs (no Welcome page, no chat,
// no telemetry or update checks), and prints the URL. Ctrl+C stops what it started.
// Usage: node scripts/start.mjs [--port N] [--code-server]   (TAPESCOPE_PORT also sets the port; default 8390)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { installCodeServer, installVsix, startCodeServer, toolsDir } from './code_server.mjs';
import { FIRST_EXAMPLE, openFilePayload, writeWorkbenchSettings } from './first_workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = path.join(root, 'examples');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = Number(portArg >= 0 ? args[portArg + 1] : process.env.TAPESCOPE_PORT ?? 8390);
const forceCodeServer = args.includes('--code-server');
const lockFile = path.join(toolsDir, 'start.lock');

function fail(message) {
  console.error(`tapescope: ${message}`);
  process.exit(1);
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`${command} ${commandArgs.join(' ')} failed`);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portIsFree(candidate) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

if (!existsSync(path.join(root, 'node_modules', '.bin', 'esbuild'))) {
  console.log('tapescope: installing dependencies (npm ci)');
  run('npm', ['ci']);
}

if (onPath('code') && !forceCodeServer) {
  run(process.execPath, ['scripts/build.mjs']);
  console.log('tapescope: opening desktop VS Code with the extension under development');
  run('code', ['--extensionDevelopmentPath', root, examples, path.join(examples, FIRST_EXAMPLE)]);
  process.exit(0);
}

if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`not a port: ${port}`);
mkdirSync(toolsDir, { recursive: true });
if (existsSync(lockFile)) {
  const previous = JSON.parse(readFileSync(lockFile, 'utf8'));
  if (isAlive(previous.pid)) {
    fail(`Tapescope is already running (pid ${previous.pid}) at ${previous.url}\nOpen that URL, or stop it with Ctrl+C in its terminal (or: kill ${previous.pid}).`);
  }
  rmSync(lockFile);
}
if (!(await portIsFree(port))) {
  fail(`port ${port} on 127.0.0.1 is in use by another program. Start on another port: npm start -- --port ${port + 1} (or TAPESCOPE_PORT=${port + 1} npm start).`);
}

installCodeServer();
// The extension a user gets: the production bundles, packaged as the .vsix, installed into code-server.
run('npm', ['run', 'package', '--silent']);
const vsix = readdirSync(root).filter((f) => /^tapescope-.*\.vsix$/.test(f)).sort().at(-1);
if (!vsix) fail('packaging produced no .vsix');

const state = path.join(toolsDir, 'start');
const userDataDir = path.join(state, 'user-data');
const extensionsDir = path.join(state, 'extensions');
mkdirSync(state, { recursive: true });
installVsix(path.join(root, vsix), extensionsDir, userDataDir);
writeWorkbenchSettings(userDataDir);

const server = await startCodeServer({ port, userDataDir, extensionsDir, workspace: examples }).catch((err) => fail(err.message));
const payload = JSON.stringify([openFilePayload(path.join(examples, FIRST_EXAMPLE), server.url)]);
const url = `${server.url}?folder=${encodeURIComponent(examples)}&payload=${encodeURIComponent(payload)}`;
writeFileSync(lockFile, JSON.stringify({ pid: process.pid, url }));

let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  server.stop();
  rmSync(lockFile, { force: true });
  console.log('\ntapescope: stopped');
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
server.child.once('exit', (code) => {
  if (!stopping) console.error(`tapescope: code-server exited (${code})`);
  stop(code ?? 1);
});

console.log(`\nTapescope is running in VS Code (code-server) with ${vsix} installed, examples/${FIRST_EXAMPLE} open:\n\n    ${url}\n\nOpen it in a browser on this machine, put the cursor in a cell and press Shift+Enter. Press Ctrl+C to stop.`);
