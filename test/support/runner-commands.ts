/**
 * A port of the GitHub Actions runner's workflow-command parser (actions/runner:
 * src/Runner.Common/ActionCommand.cs TryParseV2 / TryParse, src/Runner.Worker/ActionCommandManager.cs
 * TryProcessCommand), to check what a step's stdout would make the runner do.
 *
 * - Lines split on `\r\n`, `\n` and a lone `\r` (the runner reads the process output line by line).
 * - v2 form: after TrimStart (Unicode white space), `::` + name [+ ' ' + props] + `::` + data.
 * - legacy form, tried when v2 does not match: `##[` anywhere, name [+ ' ' + props] up to the next `]`.
 * - Only registered command names count (case-insensitive); `stop-commands` suspends processing
 *   until a command named like its token appears (in either form).
 */
export interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
  /** 0-based index of the line (after the runner's line splitting). */
  line: number;
  form: 'v2' | 'legacy';
}

export const REGISTERED_COMMANDS = [
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
] as const;

/** .NET's char.IsWhiteSpace, which String.TrimStart() trims. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: .NET white space includes control characters
const DOTNET_WHITESPACE = /^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*/;

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
const unescapeLegacy = (s: string) =>
  s.replace(/%3B/g, ';').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%25/g, '%');

export function splitRunnerLines(stdout: string): string[] {
  const lines = stdout.split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function parseV2(message: string, registered: Set<string>, line: number): RunnerCommand | null {
  const m = message.replace(DOTNET_WHITESPACE, '');
  if (!m.startsWith('::')) return null;
  const end = m.indexOf('::', 2);
  if (end < 0) return null;
  const info = m.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return null;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const p of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const i = p.indexOf('=');
      if (i > 0 && i < p.length - 1) properties[p.slice(0, i)] = unescapeProperty(p.slice(i + 1));
    }
  }
  return { name, properties, data: unescapeData(m.slice(end + 2)), line, form: 'v2' };
}

function parseLegacy(message: string, registered: Set<string>, line: number): RunnerCommand | null {
  const start = message.indexOf('##[');
  if (start < 0) return null;
  const rb = message.indexOf(']', start);
  if (rb < 0) return null;
  const info = message.slice(start + 3, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return null;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const p of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const i = p.indexOf('=');
      if (i > 0 && i < p.length - 1) properties[p.slice(0, i)] = unescapeLegacy(p.slice(i + 1));
    }
  }
  return { name, properties, data: unescapeLegacy(message.slice(rb + 1)), line, form: 'legacy' };
}

/** The commands the runner would execute for this stdout, in order (a resume token is not listed). */
export function runnerCommands(stdout: string): RunnerCommand[] {
  const registered = new Set<string>(REGISTERED_COMMANDS);
  const out: RunnerCommand[] = [];
  let stopToken: string | null = null;
  splitRunnerLines(stdout).forEach((text, i) => {
    if (text === '') return;
    const cmd = parseV2(text, registered, i) ?? parseLegacy(text, registered, i);
    if (!cmd) return;
    if (stopToken !== null) {
      if (cmd.name.toLowerCase() === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase());
        stopToken = null;
      }
      return;
    }
    if (cmd.name.toLowerCase() === 'stop-commands') {
      stopToken = cmd.data;
      registered.add(cmd.data.toLowerCase());
    }
    out.push(cmd);
  });
  return out;
}

/** Hostile strings for fuzzing printing paths: each tries one way to make the runner act. */
export const HOSTILE_STRINGS: readonly string[] = [
  '##[add-mask]hello',
  'res##[add-mask]hello',
  '##[stop-commands]hush',
  '::stop-commands::hush',
  '::add-mask::hello',
  '  ::error file=x,line=1::forged',
  'a\r::error::forged by CR',
  'a\n::warning::forged by LF',
  'a\r\n  ::set-output name=rev::evil',
  '\u2028::notice::forged by LS',
  '\u0085::notice::forged by NEL',
  '\u00a0::error::forged after NBSP',
  '::group::fake group',
  '#',
  '[add-mask]secret',
  ':',
  ':add-mask::x',
  '##[ADD-MASK]upper',
  '\u001b[2K\u001b[1Ahidden',
  '%0A::error::percent',
];
