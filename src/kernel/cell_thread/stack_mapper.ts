// Maps V8 stack frames of compiled cells (tapescope-run-N.js:line:col) back to the user's file.
// Every cell's source map stays registered for the kernel's life: a function defined in
// cell 1 and failing when cell 9 calls it still points at its own line.
import { SourceMapConsumer } from 'source-map-js';
import type { SourceLocation } from '../../../engine/trace/trace_format';

const CELL_FRAME = /tapescope-run-(\d+)\.js:(\d+):(\d+)/;

export class StackMapper {
  private readonly maps = new Map<number, SourceMapConsumer>();

  constructor(private readonly hiddenScript: string) {}

  register(runId: number, sourceMap: string): void {
    this.maps.set(runId, new SourceMapConsumer(JSON.parse(sourceMap)));
  }

  /** The user's file position of one compiled position, if it maps. */
  locate(runId: number, line: number, column: number): SourceLocation | undefined {
    const map = this.maps.get(runId);
    if (!map) return undefined;
    let pos = map.originalPositionFor({ line, column: column - 1, bias: SourceMapConsumer.GREATEST_LOWER_BOUND });
    if (pos.source == null) pos = map.originalPositionFor({ line, column: column - 1, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
    if (pos.source == null || pos.line == null) return undefined;
    return { file: pos.source, line: pos.line, column: (pos.column ?? 0) + 1 };
  }

  private locateFrame(frame: string): SourceLocation | undefined {
    const m = CELL_FRAME.exec(frame);
    return m ? this.locate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  }

  /** The innermost frame of user code in a stack. */
  firstCellLocation(stack: string): SourceLocation | undefined {
    for (const frame of stack.split('\n')) {
      const loc = this.locateFrame(frame);
      if (loc) return loc;
    }
    return undefined;
  }

  /** The stack with cell frames rewritten to file:line:column and the kernel's own frames dropped. */
  mapStack(stack: string): string {
    const out: string[] = [];
    for (const line of stack.split('\n')) {
      if (!/^\s+at /.test(line)) {
        out.push(line);
        continue;
      }
      const m = CELL_FRAME.exec(line);
      if (m) {
        const loc = this.locateFrame(line);
        if (loc) out.push(line.replace(CELL_FRAME, `${loc.file}:${loc.line}:${loc.column}`).replace(/^(\s+at )async /, '$1'));
      } else if (!line.includes(this.hiddenScript) && !/\(node:|at node:/.test(line) && !line.includes('<anonymous>')) {
        out.push(line);
      }
    }
    return out.join('\n');
  }
}
