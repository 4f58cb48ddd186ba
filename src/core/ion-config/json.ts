import { printEdn } from '../edn/print.js';
import { qualifiedName, type EdnNode } from '../edn/nodes.js';

/**
 * EDN as JSON: keywords and symbols become strings without ':' (`app-name`, `my.ns/f`), maps objects
 * (non-string keys as their JSON text), vectors/lists/sets arrays, chars strings, tagged values
 * `{ tag, value }`. Integers beyond 2^53 and ±Inf/NaN become their EDN text, which JSON cannot hold exactly.
 */
export function ednToJson(node: EdnNode): unknown {
  switch (node.kind) {
    case 'nil':
      return null;
    case 'boolean':
    case 'string':
    case 'char':
      return node.value;
    case 'integer':
      return Number.isSafeInteger(Number(node.value)) ? Number(node.value) : printEdn(node, Infinity);
    case 'float':
      return Number.isFinite(node.value) ? node.value : printEdn(node);
    case 'ratio':
      return Number(node.numerator) / Number(node.denominator);
    case 'keyword':
    case 'symbol':
      return qualifiedName(node);
    case 'list':
    case 'vector':
    case 'set':
      return node.items.map(ednToJson);
    case 'map':
      return Object.fromEntries(
        node.entries.map((e) => {
          const key = ednToJson(e.key);
          return [typeof key === 'string' ? key : JSON.stringify(key), ednToJson(e.value)];
        }),
      );
    case 'tagged':
      return { tag: node.tag, value: ednToJson(node.value) };
  }
}
