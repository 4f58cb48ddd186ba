/**
 * Normalises the `aliases` input (":prod:ion", "prod ion", ":prod, :ion") to the `-A` argument
 * form (":prod:ion"), or returns an error message.
 */
export function parseAliases(input: string): { value: string } | { error: string } {
  const names = input
    .split(/[\s,:]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = names.filter((n) => !/^[A-Za-z0-9*+!_?<>=.-]+(\/[A-Za-z0-9*+!_?<>=.-]+)?$/.test(n));
  if (bad.length) {
    return { error: `aliases: ${bad.map((b) => `"${b}"`).join(', ')} is not an alias name; write aliases like ":prod:ion"` };
  }
  return { value: names.map((n) => `:${n}`).join('') };
}
