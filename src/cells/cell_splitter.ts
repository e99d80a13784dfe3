// Splits a source file into `// %%` cells, the way Jupyter's interactive window reads Python files.

export interface Cell {
  /** 0-based position among the file's cells. */
  index: number;
  /** Text after `// %%` on the marker line ('' when absent or for the code before the first marker). */
  title: string;
  /** 0-based line of the marker (or of the file's first line for a leading unmarked cell). */
  startLine: number;
  /** 0-based last line of the cell, inclusive. */
  endLine: number;
  /** The cell's lines, marker included, so line k of the cell is line startLine + k of the file. */
  code: string;
}

const MARKER = /^\s*\/\/\s?%%(.*)$/;

/** Whether a line starts a cell (`// %%`, optionally with a title). */
export function isCellMarker(line: string): boolean {
  return MARKER.test(line);
}

export function splitCells(text: string): Cell[] {
  const lines = text.split(/\r?\n/);
  const starts: Array<{ line: number; title: string }> = [];
  lines.forEach((line, i) => {
    const match = MARKER.exec(line);
    if (match) starts.push({ line: i, title: match[1].trim() });
  });
  const leadingEnd = starts.length ? starts[0].line : lines.length;
  // Code above the first marker is a cell of its own when it holds anything but blank lines.
  if (lines.slice(0, leadingEnd).some((l) => l.trim() !== '')) starts.unshift({ line: 0, title: '' });
  return starts.map((start, index) => {
    const endLine = index + 1 < starts.length ? starts[index + 1].line - 1 : lines.length - 1;
    return {
      index,
      title: start.title,
      startLine: start.line,
      endLine,
      code: lines.slice(start.line, endLine + 1).join('\n'),
    };
  });
}

/** The cell containing a 0-based line (the nearest cell for blank lines outside all cells; undefined for an empty file). */
export function cellAtLine(cells: Cell[], line: number): Cell | undefined {
  return cells.find((c) => line >= c.startLine && line <= c.endLine) 
    ?? (cells.length > 0 && line < cells[0].startLine ? cells[0] : cells[cells.length - 1]);
}
