import { qualifiedName, type EdnMap, type EdnMapEntry, type EdnNode, type Position } from '../edn/nodes.js';
import { clip, printEdn } from '../edn/print.js';
import type { Problem } from '../problems.js';
import { indexedName, namespaceToPath } from './namespaces.js';
import type { NsDeclaration } from './ns-declarations.js';

/**
 * Collects located problems while checking values of one file. Each check reports what was
 * expected and what was found, and returns the value, or null after reporting an error, so that
 * callers carry on and every problem is found in one pass.
 */
export class Checker {
  readonly problems: Problem[] = [];

  constructor(
    private readonly file: string,
    private readonly namespaces: ReadonlySet<string> | null,
    private readonly declarations: ReadonlyMap<string, NsDeclaration> = new Map(),
  ) {}

  error(at: Position, message: string): void {
    this.problems.push({ severity: 'error', message, file: this.file, line: at.line, column: at.column });
  }

  warning(at: Position, message: string): void {
    this.problems.push({ severity: 'warning', message, file: this.file, line: at.line, column: at.column });
  }

  /** Reports `what must be <expected>; found <node>`. */
  wrongType(node: EdnNode, what: string, expected: string): null {
    this.error(node, `${what} must be ${expected}; found ${describe(node)}`);
    return null;
  }

  map(node: EdnNode, what: string, expected: string): EdnMap | null {
    return node.kind === 'map' ? node : this.wrongType(node, what, expected);
  }

  /**
   * The entries of a map with keyword keys, by key name (`app-name`). Non-keyword keys are errors,
   * unknown keys warnings: Datomic ignores them, but they are usually typos.
   */
  keywordEntries(map: EdnMap, what: string, known: readonly string[]): Map<string, EdnMapEntry> {
    const entries = new Map<string, EdnMapEntry>();
    const knownList = known.map((k) => `:${k}`).join(', ');
    for (const entry of map.entries) {
      const { key } = entry;
      if (key.kind !== 'keyword') {
        const hint =
          (key.kind === 'string' || key.kind === 'symbol') && known.includes(plainText(key)) ? ` (write :${plainText(key)})` : '';
        this.error(key, `keys of ${what} are keywords such as :${known[0]}; found ${describe(key)}${hint}`);
        continue;
      }
      const name = qualifiedName(key);
      if (!known.includes(name)) {
        const guess = closest(name, known);
        this.warning(key, `unknown key :${clip(name)} in ${what}; known keys are ${knownList}${guess ? ` (did you mean :${guess}?)` : ''}`);
        continue;
      }
      entries.set(name, entry);
    }
    return entries;
  }

  string(node: EdnNode, what: string): string | null {
    return node.kind === 'string' ? node.value : this.wrongType(node, what, 'a string');
  }

  /** An integer within [min, max]; `expected` describes the range for the message. */
  integer(node: EdnNode, what: string, min: number, max: number, expected: string): number | null {
    if (node.kind !== 'integer' || node.value < BigInt(min) || node.value > BigInt(max)) return this.wrongType(node, what, expected);
    return Number(node.value);
  }

  /** `ns/name` of a namespace-qualified symbol whose namespace is on the classpath (when known). */
  qualifiedSymbol(node: EdnNode, what: string): string | null {
    if (node.kind !== 'symbol') {
      const text = node.kind === 'string' ? node.value : node.kind === 'keyword' ? qualifiedName(node) : '';
      const hint = /^[^\s/:]+\/[^\s/:]+$/.test(text)
        ? ` (write ${clip(text)} without ${node.kind === 'string' ? 'the quotes' : "the ':'"})`
        : '';
      this.error(node, `${what} must be a namespace-qualified symbol such as my.ns/f; found ${describe(node)}${hint}`);
      return null;
    }
    const name = qualifiedName(node);
    if (node.namespace === null) {
      this.error(
        node,
        `symbol ${clip(name)} (${what}) is not namespace-qualified; use my.ns/${clip(name)}, naming the namespace that defines it`,
      );
      return null;
    }
    if (this.namespaces && !this.namespaces.has(indexedName(node.namespace))) {
      const path = namespaceToPath(node.namespace);
      this.error(
        node,
        `namespace ${clip(node.namespace)} (for ${clip(name)}) is not on the classpath: no ${clip(path)}.clj or ${clip(path)}.cljc in any classpath directory or jar; ` +
          'fix the symbol, or add the source path or dependency that defines it to deps.edn',
      );
      return null;
    }
    const declared = this.declarations.get(namespaceToPath(node.namespace));
    if (declared?.declares != null && declared.declares !== node.namespace) {
      this.error(node, declarationMismatch(node.namespace, node.name, declared));
      return null;
    }
    return name;
  }

  /** A vector, list or set of qualified symbols (`:allow`, `:xforms`). */
  symbols(node: EdnNode, what: string): string[] {
    if (node.kind !== 'vector' && node.kind !== 'list' && node.kind !== 'set') {
      this.wrongType(node, what, 'a vector of namespace-qualified symbols, like [my.ns/f]');
      return [];
    }
    return node.items.flatMap((item) => this.qualifiedSymbol(item, `${what} entry`) ?? []);
  }
}

/** The symbol names a namespace that its defining file does not declare: `resolve` finds nothing. */
function declarationMismatch(fullNamespace: string, fullName: string, declared: NsDeclaration): string {
  const [namespace, name] = [clip(fullNamespace), clip(fullName)];
  const says = `${declared.source} declares (ns ${declared.declares})`;
  // Only '_' and '-' differ: the same file, spelled the way Clojure does not look it up.
  const fix =
    declared.declares !== null && namespaceToPath(declared.declares) === namespaceToPath(fullNamespace)
      ? `write ${declared.declares}/${name}`
      : `fix the ns form of ${declared.source}, or name the namespace it declares`;
  return `namespace ${namespace} (for ${namespace}/${name}) is not the one its file declares: ${says}, so ${namespace}/${name} does not resolve on the cluster; ${fix}`;
}

/** "string \"60\"", "vector [1 2]", "nil": what was found, for messages. */
export function describe(node: EdnNode): string {
  const text = printEdn(node, 40);
  switch (node.kind) {
    case 'nil':
      return 'nil';
    case 'tagged':
      return `tagged value ${text}`;
    default:
      return `${node.kind === 'char' ? 'character' : node.kind} ${text}`;
  }
}

function plainText(node: EdnNode): string {
  if (node.kind === 'string') return node.value;
  if (node.kind === 'symbol' || node.kind === 'keyword') return qualifiedName(node);
  return '';
}

/** The candidate within edit distance 2 of `word`, if any: for "did you mean" hints. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d <= 2 && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
