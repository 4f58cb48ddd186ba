/**
 * Shows an action's stdout the way the GitHub Actions log viewer does: workflow commands are
 * interpreted, not printed. `::group::` starts a (here: always open) group, annotations become
 * "Error: …" / "Warning: …" / "Notice: …" lines, `::debug::`, masks and state/output commands are
 * hidden, and between `::stop-commands::<token>` and `::<token>::` lines are shown verbatim.
 */
export interface RunnerLogOptions {
  write: (text: string) => void;
  /** ANSI colours (a terminal). */
  color: boolean;
  /** Prefix for every line (indentation inside a step). */
  indent?: string;
}

const ANSI = { bold: '\x1b[1m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** Undoes the escaping of command data (%25 %0D %0A) and properties (also %3A %2C), as src/github/workflow-commands.ts writes them. */
const unescapeCommand = (s: string) =>
  s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%25/g, '%');

export class RunnerLog {
  private partial = '';
  private stopToken: string | undefined;
  private inGroup = false;

  constructor(private readonly o: RunnerLogOptions) {}

  /** Feeds a chunk of stdout; complete lines are rendered. */
  write(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  /** Renders what is left of an unterminated last line. */
  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  private paint(color: keyof typeof ANSI, text: string): string {
    return this.o.color ? `${ANSI[color]}${text}${ANSI.reset}` : text;
  }

  private out(text: string): void {
    const indent = (this.o.indent ?? '') + (this.inGroup ? '  ' : '');
    for (const l of text.split('\n')) this.o.write(`${indent}${l}\n`);
  }

  private line(line: string): void {
    if (this.stopToken !== undefined) {
      if (line === `::${this.stopToken}::`) this.stopToken = undefined;
      else this.out(line);
      return;
    }
    const m = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
    if (!m) {
      this.out(line);
      return;
    }
    const [, command, props = '', data = ''] = m;
    switch (command) {
      case 'group':
        this.inGroup = false;
        this.out(this.paint('bold', `▾ ${unescapeCommand(data)}`));
        this.inGroup = true;
        return;
      case 'endgroup':
        this.inGroup = false;
        return;
      case 'stop-commands':
        this.stopToken = data;
        return;
      case 'error':
      case 'warning':
      case 'notice': {
        const label = { error: 'Error', warning: 'Warning', notice: 'Notice' }[command];
        const color = command === 'error' ? 'red' : command === 'warning' ? 'yellow' : 'blue';
        const where = describeProps(props);
        this.out(this.paint(color, `${label}${where ? ` (${where})` : ''}: ${unescapeCommand(data)}`));
        return;
      }
      case 'debug':
      case 'add-mask':
      case 'save-state':
      case 'set-output':
      case 'echo':
        return;
      default:
        this.out(line);
    }
  }
}

/** ` file=deps.edn,line=3,col=5,title=Bad` → `deps.edn:3:5 Bad`. */
function describeProps(props: string): string {
  const values = new Map<string, string>();
  for (const part of props.trim().split(',')) {
    const i = part.indexOf('=');
    if (i > 0) values.set(part.slice(0, i), unescapeCommand(part.slice(i + 1)));
  }
  const file = values.get('file');
  const where = file ? [file, values.get('line'), values.get('col')].filter(Boolean).join(':') : '';
  return [where, values.get('title')].filter(Boolean).join(' ');
}
