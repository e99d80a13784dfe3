// Whether a file's text is a Tapescope cell file: it has a `// %%` cell marker, or imports "tapescope".
// The plugin gives the typings only to projects with such a file, so other projects never see a global `tf`.
const CELL_MARKER = /^[ \t]*\/\/\s?%%/m;
const TAPESCOPE_IMPORT = /\bfrom\s*['"]tapescope['"]|\brequire\(\s*['"]tapescope['"]\s*\)|\bimport\(\s*['"]tapescope['"]\s*\)/;

export function isCellSource(text: string): boolean {
  return CELL_MARKER.test(text) || TAPESCOPE_IMPORT.test(text);
}
