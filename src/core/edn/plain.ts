import { qualifiedName, type EdnNode } from './nodes.js';

/**
 * How `toPlain` represents values. The options and defaults are those of edn-data's
 * `parseEDNString`, so `toPlain(readEdn(s), o)` can be compared with `parseEDNString(s, o)`.
 */
export interface PlainOptions {
  /** 'doubleArray': `{ map: [[k, v], …] }`; 'object': keys turned to strings; 'map': a JS Map. */
  mapAs?: 'doubleArray' | 'object' | 'map';
  setAs?: 'object' | 'array' | 'set';
  listAs?: 'object' | 'array';
  keywordAs?: 'object' | 'string';
  symbolAs?: 'object' | 'string';
  charAs?: 'object' | 'string';
}

/**
 * Plain JS values: nil → null, integers → number (bigint with the N suffix), floats → number,
 * ratios → number, `#inst` → Date, other tags → `{ tag, val }`, namespaced-map keys already qualified.
 */
export function toPlain(node: EdnNode, options: PlainOptions = {}): unknown {
  const o: Required<PlainOptions> = {
    mapAs: 'doubleArray',
    setAs: 'object',
    listAs: 'object',
    keywordAs: 'object',
    symbolAs: 'object',
    charAs: 'object',
    ...options,
  };
  const plain = (n: EdnNode): unknown => {
    switch (n.kind) {
      case 'nil':
        return null;
      case 'boolean':
      case 'string':
      case 'float':
        return n.value;
      case 'char':
        return o.charAs === 'string' ? n.value : { char: n.value };
      case 'integer':
        return n.big ? n.value : Number(n.value);
      case 'ratio':
        return Number(n.numerator) / Number(n.denominator);
      case 'keyword':
        return o.keywordAs === 'string' ? qualifiedName(n) : { key: qualifiedName(n) };
      case 'symbol':
        return o.symbolAs === 'string' ? qualifiedName(n) : { sym: qualifiedName(n) };
      case 'vector':
        return n.items.map(plain);
      case 'list':
        return o.listAs === 'array' ? n.items.map(plain) : { list: n.items.map(plain) };
      case 'set': {
        const items = n.items.map(plain);
        return o.setAs === 'array' ? items : o.setAs === 'set' ? new Set(items) : { set: items };
      }
      case 'map': {
        const pairs = n.entries.map((e): [unknown, unknown] => [plain(e.key), plain(e.value)]);
        if (o.mapAs === 'map') return new Map(pairs);
        if (o.mapAs === 'doubleArray') return { map: pairs };
        return Object.fromEntries(pairs.map(([k, v]) => [typeof k === 'object' && k !== null ? JSON.stringify(k) : String(k), v]));
      }
      case 'tagged':
        return n.tag === 'inst' && n.value.kind === 'string' ? new Date(n.value.value) : { tag: n.tag, val: plain(n.value) };
    }
  };
  return plain(node);
}
