/** Job-summary markdown for text that came from elsewhere (AWS messages, log tails, file names). */

/** Markdown- and HTML-inert text for one table cell or line. */
export function escapeCell(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]|<>]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .trim();
}

/** Inline code whose fence is longer than any backtick run inside. */
export const code = (text: string): string => {
  const clean = text.replace(/\s+/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`;
};

/** A fenced block longer than any backtick run inside, so remote text cannot close it. */
export function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\s+$/, '')}\n${fence}`;
}
