// A TypeScript server plugin, loaded by the TypeScript server of the user's editor (contributed in
// package.json's `typescriptServerPlugins`): it adds the Tapescope typings (dist/types/: the globals `tf`
// and `print`, the module "tapescope") to every project that holds a cell file, so cells show no red
// squiggles in any workspace, without a tsconfig or files of ours in it. Projects without an open cell file
// are left as they are.
import type * as ts from 'typescript';
import path from 'node:path';
import { isCellSource } from './cell_source';
import { diagnosticsForCells } from './cell_diagnostics';

// The package sits in <extension>/node_modules/tapescope-ts-plugin/; the typings in <extension>/dist/types/.
const typesDir = path.resolve(__dirname, '..', '..', 'dist', 'types');
const TYPINGS = [path.join(typesDir, 'tapescope.d.ts'), path.join(typesDir, 'globals.d.ts')].map((f) => f.replace(/\\/g, '/'));
const CODE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const WORKSPACE_TYPINGS = /\/\.tapescope\/globals\.d\.ts$/;

function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  // Only files open in the editor are looked at (squiggles are shown for them alone): nothing is read from disk,
  // and a project of thousands of files costs one pass over the few open ones. Each text is scanned once per edit.
  const cellByVersion = new WeakMap<ts.server.ScriptInfo, { version: string; isCell: boolean }>();

  function openFileIsCell(info: ts.server.ScriptInfo): boolean {
    const version = info.getLatestVersion();
    const known = cellByVersion.get(info);
    if (known?.version === version) return known.isCell;
    const snapshot = info.getSnapshot();
    const isCell = isCellSource(snapshot.getText(0, snapshot.getLength()));
    cellByVersion.set(info, { version, isCell });
    return isCell;
  }

  function projectHasCells(project: ts.server.Project, rootFiles: () => readonly string[]): boolean {
    // A project that maps "tapescope" itself (this repository's examples, typed from the engine's sources)
    // declares the globals too; adding ours would declare `tf` twice.
    if (project.getCompilerOptions().paths?.tapescope) return false;
    const service = project.projectService;
    let hasCellOpen = false;
    for (const openPath of service.openFiles.keys()) {
      const info = service.getScriptInfoForPath(openPath);
      if (!info || !CODE_FILE.test(info.fileName) || info.fileName.endsWith('.d.ts') || !project.isRoot(info)) continue;
      if (openFileIsCell(info)) {
        hasCellOpen = true;
        break;
      }
    }
    // Typings written into the workspace by Tapescope: Add Typings to Workspace already declare everything.
    return hasCellOpen && !rootFiles().some((f) => WORKSPACE_TYPINGS.test(f));
  }

  /** The language service, its diagnostics of cell files seen cell by cell (src/ts_plugin/cell_diagnostics.ts). */
  function withCellDiagnostics(service: ts.LanguageService): ts.LanguageService {
    const forCells = <D extends ts.Diagnostic>(fileName: string, diagnostics: D[]): D[] => {
      const file = service.getProgram()?.getSourceFile(fileName);
      return file && isCellSource(file.text) ? diagnosticsForCells(modules.typescript, file, diagnostics) : diagnostics;
    };
    return {
      ...service,
      getSemanticDiagnostics: (fileName) => forCells(fileName, service.getSemanticDiagnostics(fileName)),
      getSuggestionDiagnostics: (fileName) => forCells(fileName, service.getSuggestionDiagnostics(fileName)),
      getSyntacticDiagnostics: (fileName) => forCells(fileName, service.getSyntacticDiagnostics(fileName)),
    };
  }

  return {
    create(info) {
      const project = info.project;
      const host = info.languageServiceHost;
      const rootFiles = host.getScriptFileNames.bind(host);
      // The program's roots: inferred projects (a loose file, no tsconfig) get no external files as roots, so
      // the typings join the roots here, in every kind of project, while the project has a cell file.
      host.getScriptFileNames = () => {
        const files = rootFiles();
        if (!projectHasCells(project, () => files)) return files;
        return [...files, ...TYPINGS.filter((t) => !files.includes(t))];
      };
      info.project.projectService.logger.info(`tapescope-ts-plugin: typings from ${typesDir} (TypeScript ${modules.typescript.version})`);
      return withCellDiagnostics(info.languageService);
    },
    // Lets the server watch the typings (a rebuild of the extension updates them in open editors).
    getExternalFiles(project) {
      return projectHasCells(project, () => project.getRootFiles()) ? TYPINGS : [];
    },
  };
}

// The TypeScript server calls the module itself (CommonJS `module.exports = init`, made so by the build).
export default init;
