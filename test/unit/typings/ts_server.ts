// A real TypeScript server (the one VS Code runs), with or without our plugin, spoken to over its stdio protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

export interface ServerDiagnostic { line: number; code: number; text: string }

export class TsServer {
  private readonly process: ChildProcess;
  private buffer = '';
  private seq = 0;
  private readonly pending = new Map<number, (body: unknown) => void>();

  /** `withPlugin: false` runs plain TypeScript, to show what the plugin changes. */
  constructor({ withPlugin = true } = {}) {
    const plugin = withPlugin ? ['--globalPlugins', 'tapescope-ts-plugin', '--pluginProbeLocations', root] : [];
    this.process = spawn(process.execPath, [path.join(root, 'node_modules', 'typescript', 'lib', 'tsserver.js'),
      ...plugin, '--disableAutomaticTypingAcquisition'],
    { stdio: ['pipe', 'pipe', 'ignore'] });
    this.process.stdout!.setEncoding('utf8');
    this.process.stdout!.on('data', (chunk: string) => this.receive(chunk));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const header = /Content-Length: (\d+)\r\n\r\n/.exec(this.buffer);
      if (!header) return;
      const start = header.index + header[0].length;
      const body = Buffer.from(this.buffer.slice(start));
      const length = Number(header[1]);
      if (body.length < length) return;
      const message = JSON.parse(body.subarray(0, length).toString('utf8'));
      this.buffer = body.subarray(length).toString('utf8');
      if (message.type === 'response') this.pending.get(message.request_seq)?.(message.body);
    }
  }

  request<T>(command: string, args: object): Promise<T> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, (body) => resolve(body as T));
      this.process.stdin!.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    });
  }

  notify(command: string, args: object): void {
    this.process.stdin!.write(`${JSON.stringify({ seq: ++this.seq, type: 'request', command, arguments: args })}\n`);
  }

  async errorsIn(file: string): Promise<ServerDiagnostic[]> {
    return this.diagnostics('semanticDiagnosticsSync', file);
  }

  /** Suggestions: where the editor greys unreachable code and unused names. */
  async suggestionsIn(file: string): Promise<ServerDiagnostic[]> {
    return this.diagnostics('suggestionDiagnosticsSync', file);
  }

  private async diagnostics(command: string, file: string): Promise<ServerDiagnostic[]> {
    const body = await this.request<{ start: { line: number }; code: number; text: string }[]>(command, { file });
    return body.map((d) => ({ line: d.start.line, code: d.code, text: d.text }));
  }

  stop(): void {
    this.process.kill();
  }
}

