/*
 * The one way text that did not come from this code (AWS answers, hook output, file names, config
 * values, git data) reaches the workflow log. The runner reads every line a step prints as a
 * possible command (actions/runner, ActionCommand.cs and ActionCommandManager.cs):
 *
 * - `::name props::data` when the line starts with `::` after .NET's TrimStart (Unicode white space);
 * - the legacy `##[name props]data` anywhere in the line;
 * - lines end at `\r\n`, `\n` and a lone `\r`;
 * - `::stop-commands::TOKEN` (or `##[stop-commands]TOKEN`) suspends both forms until `::TOKEN::`.
 *
 * `inert` returns one line in which none of that can happen, however the result is concatenated
 * with this code's own text or with other inert pieces:
 * - no line breaks or other control characters (shown as `\n`, `\r`, `\x1b`, `\u2028`, …), so
 *   nothing can start a line of its own, and ANSI sequences cannot repaint the log;
 * - no `#[` (a zero-width space goes between), no leading `[` and no trailing `#`, so no `##[` can
 *   form inside the piece or across its edges;
 * - no `:` as the first character after leading white space, so no piece can begin a `::` command
 *   when it starts a line (and none can complete one that a previous piece began with `:`).
 * The zero-width space (U+200B) is not white space to .NET, so TrimStart keeps it; the text still
 * reads the same.
 */

const ZWSP = '\u200B';

/** C0 controls but tab, DEL, C1 controls (NEL among them), and the Unicode line/paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\x1b', '\u0000': '\\0' };

function showControl(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Outside text as one line that the runner shows and never executes. `maxLength` (characters of
 * the result, before the ellipsis) shortens long text; the default keeps it whole.
 */
export function inert(text: unknown, maxLength = Infinity): string {
  let s = typeof text === 'string' ? text : text instanceof Error ? text.message : String(text);
  s = s.replace(/\r\n/g, '\n').replace(CONTROL, showControl);
  if (s.length > maxLength) s = `${s.slice(0, Math.max(0, maxLength - 1))}…`;
  s = s.replace(/#\[/g, `#${ZWSP}[`);
  s = s.replace(/^(\s*)([:[])/u, `$1${ZWSP}$2`);
  if (s.endsWith('#')) s += ZWSP;
  return s;
}

/**
 * Multi-line outside text (a hook's log tail, a cause's JSON) as inert lines, each shown as it was.
 * Tabs stay; every other control character is shown escaped.
 */
export function inertLines(text: string, maxLines = Infinity): string[] {
  const lines = text.replace(/\r\n/g, '\n').split(/[\n\r]/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const kept = lines.length > maxLines ? lines.slice(-maxLines) : lines;
  return kept.map((line) => inert(line));
}

/** White space collapsed to single spaces, then made inert: for one-line messages built from outside text. */
export function inertOneLine(text: string, maxLength = 500): string {
  return inert(text.replace(/\s+/g, ' ').trim(), maxLength);
}
