/** The EDN node tree: every value remembers where its first character is, so callers can point at it. */

/** 1-based line and column (columns count Unicode code points). */
export interface Position {
  line: number;
  column: number;
}

export interface EdnNil extends Position {
  kind: 'nil';
}
export interface EdnBoolean extends Position {
  kind: 'boolean';
  value: boolean;
}
export interface EdnString extends Position {
  kind: 'string';
  value: string;
}
export interface EdnChar extends Position {
  kind: 'char';
  value: string;
}
export interface EdnInteger extends Position {
  kind: 'integer';
  /** bigint so that no integer loses precision. */
  value: bigint;
  /** Written with the `N` suffix. */
  big: boolean;
}
export interface EdnFloat extends Position {
  kind: 'float';
  value: number;
  /** Written with the `M` suffix (a BigDecimal in Clojure). */
  decimal: boolean;
}
export interface EdnRatio extends Position {
  kind: 'ratio';
  /** As written (not reduced). */
  numerator: bigint;
  denominator: bigint;
}
export interface EdnKeyword extends Position {
  kind: 'keyword';
  /** `:a/b` → 'a'; null when unqualified. */
  namespace: string | null;
  name: string;
}
export interface EdnSymbol extends Position {
  kind: 'symbol';
  namespace: string | null;
  name: string;
}
export interface EdnList extends Position {
  kind: 'list';
  items: EdnNode[];
}
export interface EdnVector extends Position {
  kind: 'vector';
  items: EdnNode[];
}
export interface EdnSet extends Position {
  kind: 'set';
  items: EdnNode[];
}
export interface EdnMapEntry {
  key: EdnNode;
  value: EdnNode;
}
export interface EdnMap extends Position {
  kind: 'map';
  /** In source order; keys are unique. */
  entries: EdnMapEntry[];
}
export interface EdnTagged extends Position {
  kind: 'tagged';
  /** Without the '#': `inst`, `uuid`, `my/tag`. */
  tag: string;
  value: EdnNode;
}

export type EdnNode =
  | EdnNil
  | EdnBoolean
  | EdnString
  | EdnChar
  | EdnInteger
  | EdnFloat
  | EdnRatio
  | EdnKeyword
  | EdnSymbol
  | EdnList
  | EdnVector
  | EdnSet
  | EdnMap
  | EdnTagged;

/** `ns/name` or `name` (no leading colon for keywords). */
export const qualifiedName = (node: { namespace: string | null; name: string }): string =>
  node.namespace === null ? node.name : `${node.namespace}/${node.name}`;
