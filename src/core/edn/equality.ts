import { qualifiedName, type EdnNode } from './nodes.js';

/**
 * A string that is equal for two nodes exactly when Clojure's `=` holds for their values
 * (close enough for duplicate-key detection): 1 and 1N are equal, [1] and (1) are equal,
 * maps and sets ignore order.
 */
export function equalityKey(node: EdnNode): string {
  switch (node.kind) {
    case 'nil':
      return 'nil';
    case 'boolean':
      return String(node.value);
    case 'string':
      return `s${JSON.stringify(node.value)}`;
    case 'char':
      return `c${JSON.stringify(node.value)}`;
    case 'integer':
      return `i${node.value}`;
    case 'float':
      return `${node.decimal ? 'M' : 'd'}${node.value}`;
    case 'ratio': {
      const g = gcd(node.numerator, node.denominator);
      const [n, d] = [node.numerator / g, node.denominator / g];
      // A ratio that reduces to a whole number is read as an integer by Clojure.
      return d === 1n ? `i${n}` : `r${n}/${d}`;
    }
    case 'keyword':
      return `:${qualifiedName(node)}`;
    case 'symbol':
      return `'${qualifiedName(node)}`;
    case 'list':
    case 'vector':
      return `[${node.items.map(equalityKey).join(' ')}]`;
    case 'set':
      return `#{${node.items.map(equalityKey).sort().join(' ')}}`;
    case 'map':
      return `{${node.entries
        .map((e) => `${equalityKey(e.key)} ${equalityKey(e.value)}`)
        .sort()
        .join(',')}}`;
    case 'tagged':
      return `#${node.tag} ${equalityKey(node.value)}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}
