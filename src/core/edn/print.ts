import { qualifiedName, type EdnNode } from './nodes.js';

const CHAR_NAMES: Record<string, string> = {
  '\n': 'newline',
  ' ': 'space',
  '\t': 'tab',
  '\r': 'return',
  '\b': 'backspace',
  '\f': 'formfeed',
};

/** `text` cut to about `max` characters, for quoting outside names in messages: a name can be megabytes long. */
export function clip(text: string, max = 100): string {
  if (text.length <= max) return text;
  return `${[...text.slice(0, max)].slice(0, max - 1).join('')}…`;
}

/** Compact EDN text for a node, cut to about `max` characters: for quoting values in messages. */
export function printEdn(node: EdnNode, max = 60): string {
  const text = print(node);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function print(node: EdnNode): string {
  switch (node.kind) {
    case 'nil':
      return 'nil';
    case 'boolean':
      return String(node.value);
    case 'string':
      return JSON.stringify(node.value); // JSON's escapes are all valid EDN escapes
    case 'char':
      return `\\${CHAR_NAMES[node.value] ?? node.value}`;
    case 'integer':
      return `${node.value}${node.big ? 'N' : ''}`;
    case 'float':
      if (Number.isNaN(node.value)) return '##NaN';
      if (!Number.isFinite(node.value)) return node.value > 0 ? '##Inf' : '##-Inf';
      return `${Number.isInteger(node.value) ? node.value.toFixed(1) : node.value}${node.decimal ? 'M' : ''}`;
    case 'ratio':
      return `${node.numerator}/${node.denominator}`;
    case 'keyword':
      return `:${qualifiedName(node)}`;
    case 'symbol':
      return qualifiedName(node);
    case 'list':
      return `(${node.items.map(print).join(' ')})`;
    case 'vector':
      return `[${node.items.map(print).join(' ')}]`;
    case 'set':
      return `#{${node.items.map(print).join(' ')}}`;
    case 'map':
      return `{${node.entries.map((e) => `${print(e.key)} ${print(e.value)}`).join(', ')}}`;
    case 'tagged':
      return `#${node.tag} ${print(node.value)}`;
  }
}
