// Extension entry point. Activation only registers things: the kernel, the compiler and the inspector load when
// a cell file is first shown (the kernel and the compiler then warm up) or on the first command that needs them.
import * as vscode from 'vscode';
import { CellCodeLensProvider } from './editor/cell_code_lens';
import { CellCommands } from './editor/cell_commands';
import type { KernelRegistry, TapesForRun } from './editor/kernel_registry';
import type { CellRunRecord } from './editor/run_presenter';
import type { Kernel } from './kernel/kernel';
import { InspectorController } from './inspector/inspector_controller';
import { provideEditorTypings } from './typings/editor_typings';
import { CellDecorations, type CellFileReadiness } from './editor/cell_decorations';
import { openExample } from './welcome/example_files';
import { newCellFile } from './welcome/new_cell_file';
import { WalkthroughProgress } from './welcome/walkthrough_progress';

/** Returned from activate() so the end-to-end suite can watch runs. */
export interface TapescopeTestApi {
  /** The kernel of the file's workspace folder, if one was started. */
  kernelFor(uri: vscode.Uri): Kernel | undefined;
  /** Fires after every run with its outcome, value, error and printed output. */
  onDidRunCell: vscode.Event<CellRunRecord>;
  /** Fires with the tapes each run recorded (what the inspector is given). */
  onDidRecordTapes: vscode.Event<TapesForRun>;
  /** The output of the last finished run (printed text, then Out[n] / error / notice). */
  lastOutputText(): string;
  /** Everything the Tapescope output channel received since activation. */
  outputHistory(): string;
  /** The inline results (decorations) shown at the end of cells in a file. */
  inlineResults(uri: vscode.Uri): Array<{ line: number; text: string }>;
  /** The inline gradient texts shown in a file, by 1-based line (empty until a run took gradients). */
  inlineGradients(uri: vscode.Uri): Array<{ line: number; text: string }>;
  /** The status-bar item's text ('$(circle-large-outline) Tapescope: idle', '… busy 2.5 s', '… restarting…'). */
  statusText(): string;
  /** Whether the kernel code was loaded (false right after activation: activation is cheap). */
  isKernelLoaded(): boolean;
  /** How long activate() itself took, in ms (VS Code adds the bundle's load time, see the report). */
  activateMs: number;
  /** What the inspector last said it selected for the hover's link (its trace node id; absent: not found). */
  lastRevealedNode(): { tapeId: number; tensorId: number; node?: string } | undefined;
  /** How many `// %%` markers are decorated in a file (0 when it is not shown as a cell file). */
  decoratedMarkers(uri: vscode.Uri): number;
  /** When a cell file was first shown, decorated and given its CodeLens (performance.now() ms). */
  cellFileReadiness(uri: vscode.Uri): CellFileReadiness | undefined;
}

const CELL_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'typescript', scheme: 'file' },
  { language: 'javascript', scheme: 'file' },
];

export function activate(context: vscode.ExtensionContext): TapescopeTestApi {
  const activateStarted = performance.now();
  let registry: Promise<KernelRegistry> | undefined;
  let loadedRegistry: KernelRegistry | undefined;
  const runEmitter = new vscode.EventEmitter<CellRunRecord>();
  const tapesEmitter = new vscode.EventEmitter<TapesForRun>();
  context.subscriptions.push(runEmitter, tapesEmitter);

  // The inspector's controller registers the webview serializer, which must exist at activation for VS Code to
  // restore an open inspector after a window reload; constructing it only registers (no panel, no page).
  const inspector = new InspectorController(context);
  context.subscriptions.push(inspector);

  const walkthrough = new WalkthroughProgress();
  const loadRegistry = (): Promise<KernelRegistry> => {
    registry ??= import('./editor/kernel_registry').then(({ KernelRegistry }) => {
      const created = new KernelRegistry(context.asAbsolutePath('dist/kernel_process.js'), inspector);
      context.subscriptions.push(created, created.presenter.onDidRunCell((r) => runEmitter.fire(r)), created.onTapes((t) => tapesEmitter.fire(t)),
        created.onTapes((t) => walkthrough.tapesRecorded(t.tapes)), created.onMetrics(() => walkthrough.metricsLogged()),
        created.presenter.onDidRunCell(() => walkthrough.cellRan()));
      loadedRegistry = created;
      return created;
    });
    return registry;
  };

  const commands = new CellCommands(loadRegistry);
  context.subscriptions.push(
    ...commands.register(),
    vscode.commands.registerCommand('tapescope.openInspector', async (uri?: vscode.Uri, line?: number) => {
      inspector.open();
      // From a cell's Inspect lens: run that cell so its tapes appear.
      if (uri && line !== undefined) return commands.runCell(uri, line);
      return undefined;
    }),
    // The editor hover's link (gradient_decorations.ts): the tensor's node selected in the inspector.
    vscode.commands.registerCommand('tapescope.revealNode', (at?: { runId?: unknown; tapeId?: unknown; tensorId?: unknown }) => {
      const ids = [at?.runId, at?.tapeId, at?.tensorId];
      if (!ids.every((n) => Number.isInteger(n))) return;
      const [runId, tapeId, tensorId] = ids as number[];
      inspector.revealNode(runId, tapeId, tensorId);
    }),
  );

  // Types for tf, print and "tapescope" in the editor, in any workspace (a TypeScript server plugin).
  provideEditorTypings(context);

  // A cell file looks like cells at once; seeing one starts and warms up its folder's kernel and the compiler
  // (in a trusted workspace; else only the compiler, which runs nothing of the user's) and, if asked, opens the
  // inspector. The first Run Cell then finds everything ready.
  const decorations = new CellDecorations((editor) => {
    if (vscode.workspace.isTrusted) void loadRegistry().then((loaded) => loaded.warmUp(editor.document.uri));
    else void import('./repl/compile_cell').then(({ warmUpCompiler }) => warmUpCompiler());
    if (vscode.workspace.getConfiguration('tapescope.inspector').get<boolean>('openWithCellFile')) inspector.open();
  });
  const lenses = new CellCodeLensProvider();
  context.subscriptions.push(
    decorations,
    lenses,
    vscode.languages.registerCodeLensProvider(CELL_DOCUMENTS, {
      onDidChangeCodeLenses: lenses.onDidChangeCodeLenses,
      provideCodeLenses: (document) => {
        const provided = lenses.provideCodeLenses(document);
        if (provided.length) decorations.lensesProvided(document.uri);
        return provided;
      },
    }),
    vscode.commands.registerCommand('tapescope.openExample', (name: string) => openExample(context.extensionPath, name)),
    vscode.commands.registerCommand('tapescope.newCellFile', () => newCellFile(async () => inspector.open())),
  );

  const activateMs = performance.now() - activateStarted;
  return {
    activateMs,
    kernelFor: (uri) => loadedRegistry?.existing(uri),
    onDidRunCell: runEmitter.event,
    onDidRecordTapes: tapesEmitter.event,
    lastOutputText: () => loadedRegistry?.presenter.lastOutputText ?? '',
    outputHistory: () => loadedRegistry?.presenter.outputHistory ?? '',
    inlineResults: (uri) => loadedRegistry?.presenter.inlineResults(uri) ?? [],
    inlineGradients: (uri) => loadedRegistry?.gradients.inlineGradients(uri.fsPath) ?? [],
    statusText: () => loadedRegistry?.statusBar.text ?? '',
    isKernelLoaded: () => loadedRegistry !== undefined,
    lastRevealedNode: () => inspector.lastRevealed,
    decoratedMarkers: (uri) => decorations.markersIn(uri),
    cellFileReadiness: (uri) => decorations.readinessOf(uri),
  };
}

export function deactivate(): void {
  // Everything is on context.subscriptions; VS Code disposes it.
}
