// The two ways a graph node and the user's line point at each other, as pure mappings the controller
// applies: the editor's cursor (VS Code's 0-based line) becomes a `cursor` message (the trace's 1-based
// line), and a `revealSource` request (1-based line and column) becomes the 0-based position to select.
// Only files the inspector was sent traces or runs for take part either way.
import type { CursorLineMessage, RevealSourceMessage } from '../protocol/inspector_messages';

/** The message that lights a line's nodes, or nothing for a file no trace drew. */
export function cursorMessage(file: string, editorLine: number, knownFiles: ReadonlySet<string>): CursorLineMessage | undefined {
  if (!knownFiles.has(file)) return undefined;
  return { type: 'cursor', file, line: editorLine + 1 };
}

/** Where the editor should put the cursor for a node's line, or nothing for a file no trace named. */
export function revealPosition(message: RevealSourceMessage, knownFiles: ReadonlySet<string>): { file: string; line: number; character: number } | undefined {
  if (!knownFiles.has(message.file)) return undefined;
  return { file: message.file, line: Math.max(0, message.line - 1), character: Math.max(0, message.column - 1) };
}
