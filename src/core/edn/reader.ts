/**
 * A small EDN reader that records the line and column of every value.
 *
 * Hand-written because no EDN reader on npm gives source positions (edn-data returns plain values
 * and silently half-parses bad input; jsedn rejects `#_` and tags), and validation errors in
 * ion-config.edn must point at the offending value. Follows clojure.edn: `#_` discards, comments,
 * commas, tagged literals, namespaced maps `#:ns{…}`, and rejects duplicate map keys and set elements.
 */
import { equalityKey } from './equality.js';
import { EdnSyntaxError } from './errors.js';
import type { EdnKeyword, EdnMap, EdnMapEntry, EdnNode, EdnSymbol, Position } from './nodes.js';
import { clip, printEdn } from './print.js';

export { EdnSyntaxError } from './errors.js';
export { toPlain, type PlainOptions } from './plain.js';
export { clip, printEdn } from './print.js';
export * from './nodes.js';

/** Reads a document holding exactly one EDN value. Throws EdnSyntaxError, located, on malformed input. */
export function readEdn(text: string): EdnNode {
  const r = new Reader(text);
  r.skipIgnorable();
  if (r.atEnd()) throw new EdnSyntaxError('no value: the document is empty or everything in it is commented out', r.here());
  const value = r.readForm();
  r.skipIgnorable();
  if (!r.atEnd()) {
    if (isCloser(r.peek())) r.unmatchedCloser();
    throw new EdnSyntaxError(
      'extra value after the first one: an EDN document holds exactly one value (wrap several in a vector or map)',
      r.here(),
    );
  }
  return value;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v', ',']);
// Characters that end a token (clojure's terminating macro characters, plus whitespace).
const TERMINATORS = new Set(['"', ';', '(', ')', '[', ']', '{', '}', '\\', '^', '`', '~', '@']);
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const MAX_DEPTH = 1000;

const isCloser = (c: string): boolean => c === ')' || c === ']' || c === '}';
const endsToken = (c: string): boolean => c === '' || WHITESPACE.has(c) || TERMINATORS.has(c);

const STRING_ESCAPES: Record<string, string> = { t: '\t', r: '\r', n: '\n', b: '\b', f: '\f', '\\': '\\', '"': '"' };
const NAMED_CHARS: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};

const INTEGER = /^([-+]?)(0|[1-9][0-9]*)(N?)$/;
const FLOAT = /^[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?(M?)$/;
const RATIO = /^([-+]?[0-9]+)\/([0-9]+)$/;
// clojure.instant's grammar: any prefix of an RFC 3339 timestamp, with optional offset.
const INST = /^\d{4}(?:-\d\d(?:-\d\d(?:T\d\d(?::\d\d(?::\d\d(?:\.\d+)?)?)?)?)?)?(?:Z|[-+]\d\d:\d\d)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

class Reader {
  private pos = 0;
  private line = 1;
  private column = 1;
  private depth = 0;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // a BOM is not part of the document
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** The next UTF-16 unit, or '' at the end. */
  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  here(): Position {
    return { line: this.line, column: this.column };
  }

  private next(): string {
    const c = this.text.charAt(this.pos);
    this.pos++;
    if (c === '\n') {
      this.line++;
      this.column = 1;
    } else if (!(isLowSurrogate(c) && isHighSurrogate(this.text.charAt(this.pos - 2)))) {
      this.column++; // the second half of a surrogate pair is the same character
    }
    return c;
  }

  /** Skips whitespace, commas, `;` comments and `#_` discarded forms. */
  skipIgnorable(): void {
    for (;;) {
      const c = this.peek();
      if (WHITESPACE.has(c)) this.next();
      else if (c === ';') while (!this.atEnd() && this.peek() !== '\n') this.next();
      else if (c === '#' && this.peek(1) === '_') {
        const at = this.here();
        if (++this.depth > MAX_DEPTH) throw new EdnSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
        this.next();
        this.next();
        this.skipIgnorable(); // handles `#_ #_ a b`: the inner discard eats a, this one eats b
        if (this.atEnd() || isCloser(this.peek())) throw new EdnSyntaxError('#_ must be followed by a value to discard', at);
        this.readForm();
        this.depth--;
      } else return;
    }
  }

  unmatchedCloser(expected?: { open: string; prefix: string; at: Position }): never {
    const c = this.peek();
    const message = expected
      ? `unmatched '${c}': the '${expected.prefix}${expected.open}' at line ${expected.at.line}, column ${expected.at.column} must be closed with '${CLOSERS[expected.open]}' first`
      : `unmatched '${c}': nothing is open here; remove it or add the opening bracket`;
    throw new EdnSyntaxError(message, this.here());
  }

  /** Reads one value; the caller has skipped ignorable text and checked there is a value here. */
  readForm(): EdnNode {
    const at = this.here();
    // Bounded so that hostile nesting is a located error, not a stack overflow.
    if (++this.depth > MAX_DEPTH) throw new EdnSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
    const node = this.readFormAt(at);
    this.depth--;
    return node;
  }

  private readFormAt(at: Position): EdnNode {
    const c = this.peek();
    switch (c) {
      case '(':
      case '[':
      case '{':
        return this.readCollection(at);
      case ')':
      case ']':
      case '}':
        return this.unmatchedCloser();
      case '"':
        return { kind: 'string', value: this.readString(), ...at };
      case '\\':
        return this.readChar(at);
      case '#':
        return this.readDispatch(at);
      case "'":
        throw new EdnSyntaxError("quote (') is not EDN: write the symbol without it, e.g. my.ns/f", at);
      case '^':
      case '`':
      case '~':
      case '@':
        throw new EdnSyntaxError(`unexpected '${c}': reader macros are not EDN`, at);
      default:
        return this.readAtom(at);
    }
  }

  /** Lists, vectors, maps, and sets (prefix '#'). */
  private readCollection(at: Position, prefix: '' | '#' = ''): EdnNode {
    const open = this.next();
    const items = this.readItems(open, at, prefix);
    if (open === '(') return { kind: 'list', items, ...at };
    if (open === '[') return { kind: 'vector', items, ...at };
    if (prefix === '#') return { kind: 'set', items: uniqueItems(items), ...at };
    return buildMap(items, at);
  }

  /** Reads values up to the closer of `open`, which has been consumed. */
  private readItems(open: string, at: Position, prefix = ''): EdnNode[] {
    const close = CLOSERS[open];
    const items: EdnNode[] = [];
    for (;;) {
      this.skipIgnorable();
      if (this.atEnd()) {
        throw new EdnSyntaxError(`'${prefix}${open}' is never closed: the input ends first; add the matching '${close}'`, at);
      }
      const c = this.peek();
      if (c === close) break;
      if (isCloser(c)) this.unmatchedCloser({ open, prefix, at });
      items.push(this.readForm());
    }
    this.next();
    return items;
  }

  private readString(): string {
    const start = this.here();
    this.next();
    let value = '';
    for (;;) {
      if (this.atEnd()) throw new EdnSyntaxError("unterminated string: no closing '\"' before the end of the input", start);
      const c = this.next();
      if (c === '"') return value;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const escapeAt = { line: this.line, column: this.column - 1 };
      if (this.atEnd()) throw new EdnSyntaxError("unterminated string: no closing '\"' before the end of the input", start);
      const e = this.next();
      const simple = STRING_ESCAPES[e];
      if (simple !== undefined) value += simple;
      else if (e === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw new EdnSyntaxError(`invalid unicode escape in string: write \\u followed by four hex digits, e.g. \\u00e9`, escapeAt);
        }
        for (let i = 0; i < 4; i++) this.next();
        value += String.fromCharCode(parseInt(hex, 16));
      } else {
        throw new EdnSyntaxError(`unsupported escape \\${e} in string: use \\n, \\t, \\r, \\b, \\f, \\\\, \\" or \\uXXXX`, escapeAt);
      }
    }
  }

  private readChar(at: Position): EdnNode {
    this.next();
    const first = this.peek();
    if (first === '' || WHITESPACE.has(first)) {
      throw new EdnSyntaxError('a backslash must be followed by a character: write \\a, or \\space, \\newline, \\tab', at);
    }
    let token = this.next();
    if (isHighSurrogate(token) && isLowSurrogate(this.peek())) token += this.next();
    while (!endsToken(this.peek())) token += this.next();
    const value = charValue(token);
    if (value === undefined) {
      throw new EdnSyntaxError(
        `unsupported character literal \\${clip(token)}: use a single character (\\a), \\newline, \\space, \\tab, \\return, \\backspace, \\formfeed or \\uXXXX`,
        at,
      );
    }
    return { kind: 'char', value, ...at };
  }

  /** `#` forms: sets, tagged values, namespaced maps, `##Inf`. (`#_` is handled by skipIgnorable.) */
  private readDispatch(at: Position): EdnNode {
    this.next();
    const c = this.peek();
    if (c === '{') return this.readCollection(at, '#');
    if (c === ':') return this.readNamespacedMap(at);
    if (c === '#') {
      this.next();
      const token = this.readToken();
      const value = { Inf: Infinity, '-Inf': -Infinity, NaN: NaN }[token];
      if (value === undefined) throw new EdnSyntaxError(`unknown symbolic value ##${clip(token)}: use ##Inf, ##-Inf or ##NaN`, at);
      return { kind: 'float', value, decimal: false, ...at };
    }
    if (/\p{L}/u.test(c)) {
      const tag = this.readToken();
      checkSymbol(tag, at, 'tag');
      splitName(tag, `#${tag}`, at, 'tag');
      this.skipIgnorable();
      if (this.atEnd() || isCloser(this.peek())) throw new EdnSyntaxError(`tag #${clip(tag)} must be followed by a value`, at);
      const value = this.readForm();
      checkBuiltinTag(tag, value);
      return { kind: 'tagged', tag, value, ...at };
    }
    const what =
      c === ''
        ? "'#' at the end of the input"
        : c === '"'
          ? 'a regular expression #"…"'
          : c === '?'
            ? 'a reader conditional #?'
            : c === '('
              ? 'an anonymous function #(…)'
              : c === "'"
                ? "a var quote #'"
                : `'#${c}'`;
    throw new EdnSyntaxError(`${what} is not EDN: after '#' comes {, _, :ns{ or a tag such as #inst`, at);
  }

  /** `#:ns{:a 1}` → `{:ns/a 1}`; `:_/a` keys lose their namespace. */
  private readNamespacedMap(at: Position): EdnNode {
    this.next();
    if (this.peek() === ':')
      throw new EdnSyntaxError('auto-resolved namespaced maps (#::{…}) are not EDN: name the namespace, as in #:my.ns{…}', at);
    const ns = this.readToken();
    if (ns === '' || ns.includes('/') || /^[0-9]/.test(ns)) {
      throw new EdnSyntaxError(`invalid namespace '${clip(ns)}' for a namespaced map: write #:my.ns{…}`, at);
    }
    while (WHITESPACE.has(this.peek())) this.next();
    if (this.peek() !== '{') throw new EdnSyntaxError(`namespaced map #:${clip(ns)} must be followed by a map {…}`, at);
    const open = this.next();
    const items = this.readItems(open, at, `#:${clip(ns)}`).map((item, i) => (i % 2 === 0 ? qualifyKey(item, ns) : item));
    return buildMap(items, at);
  }

  private readToken(): string {
    let token = '';
    while (!endsToken(this.peek())) token += this.next();
    return token;
  }

  /** nil, booleans, numbers, keywords, symbols. */
  private readAtom(at: Position): EdnNode {
    const token = this.readToken();
    if (token === '') throw new EdnSyntaxError(`unexpected '${this.peek()}'`, at);
    if (/^[-+]?[0-9]/.test(token)) return readNumber(token, at);
    if (token === 'nil') return { kind: 'nil', ...at };
    if (token === 'true' || token === 'false') return { kind: 'boolean', value: token === 'true', ...at };
    if (token.startsWith(':')) {
      const body = token.slice(1);
      if (body.startsWith(':')) {
        throw new EdnSyntaxError(
          `auto-resolved keyword ${clip(token)} is not EDN: write the namespace out, as in :my.ns/${clip(body.slice(1))}`,
          at,
        );
      }
      if (body === '' || body === '/')
        throw new EdnSyntaxError(`invalid keyword '${clip(token)}': a keyword needs a name, as in :name or :ns/name`, at);
      return { kind: 'keyword', ...splitName(body, token, at, 'keyword'), ...at };
    }
    checkSymbol(token, at, 'symbol');
    if (token === '/') return { kind: 'symbol', namespace: null, name: '/', ...at };
    return { kind: 'symbol', ...splitName(token, token, at, 'symbol'), ...at };
  }
}

function readNumber(token: string, at: Position): EdnNode {
  const int = INTEGER.exec(token);
  if (int) return { kind: 'integer', value: BigInt(`${int[1]}${int[2]}`), big: int[3] === 'N', ...at };
  const float = FLOAT.exec(token);
  if (float && /[.eEM]/.test(token)) {
    return { kind: 'float', value: Number(token.replace(/M$/, '')), decimal: float[1] === 'M', ...at };
  }
  const ratio = RATIO.exec(token);
  if (ratio) {
    const denominator = BigInt(ratio[2] ?? '');
    if (denominator === 0n) throw new EdnSyntaxError(`invalid ratio ${clip(token)}: the denominator is zero`, at);
    return { kind: 'ratio', numerator: BigInt(ratio[1] ?? ''), denominator, ...at };
  }
  const hint = /^[-+]?0[0-9]+N?$/.test(token) ? ' (only 0 itself may start with 0)' : '';
  throw new EdnSyntaxError(`invalid number '${clip(token)}'${hint}`, at);
}

/** clojure's symbol rules: '/' alone, or ns/name with '/' once, neither part empty, no trailing ':'. */
function checkSymbol(token: string, at: Position, what: 'symbol' | 'tag'): void {
  if (token === '/') return;
  if (/^[.][0-9]/.test(token))
    throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': a number needs a leading digit, as in 0${clip(token)}`, at);
  if (token.endsWith(':') || token.includes('::'))
    throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': it cannot end with ':' or contain '::'`, at);
}

function splitName(body: string, token: string, at: Position, what: string): { namespace: string | null; name: string } {
  if (body.endsWith(':') || body.includes('::'))
    throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': it cannot end with ':' or contain '::'`, at);
  if (body.length > 2 && body.endsWith('//')) return { namespace: body.slice(0, -2), name: '/' }; // clojure.core//
  const slash = body.indexOf('/');
  if (slash === -1) return { namespace: null, name: body };
  const namespace = body.slice(0, slash);
  const name = body.slice(slash + 1);
  if (namespace === '' || name === '' || name.includes('/') || (what === 'symbol' && /^[0-9]/.test(name))) {
    throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': write namespace/name with '/' once, as in my.ns/f`, at);
  }
  return { namespace, name };
}

function charValue(token: string): string | undefined {
  if ([...token].length === 1) return token;
  const named = NAMED_CHARS[token];
  if (named !== undefined) return named;
  if (/^u[0-9a-fA-F]{4}$/.test(token)) {
    const code = parseInt(token.slice(1), 16);
    return code >= 0xd800 && code <= 0xdfff ? undefined : String.fromCharCode(code);
  }
  if (/^o[0-7]{1,3}$/.test(token)) {
    const code = parseInt(token.slice(1), 8);
    return code <= 0o377 ? String.fromCharCode(code) : undefined;
  }
  return undefined;
}

function checkBuiltinTag(tag: string, value: EdnNode): void {
  if (tag === 'inst' && !(value.kind === 'string' && INST.test(value.value) && !Number.isNaN(Date.parse(value.value)))) {
    throw new EdnSyntaxError('#inst needs an RFC 3339 timestamp string, e.g. #inst "2024-01-31T12:00:00Z"', value);
  }
  if (tag === 'uuid' && !(value.kind === 'string' && UUID.test(value.value))) {
    throw new EdnSyntaxError('#uuid needs a UUID string, e.g. #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"', value);
  }
}

function qualifyKey(key: EdnNode, ns: string): EdnNode {
  if (key.kind !== 'keyword' && key.kind !== 'symbol') return key;
  if (key.namespace === null) return { ...key, namespace: ns } as EdnKeyword | EdnSymbol;
  if (key.namespace === '_') return { ...key, namespace: null } as EdnKeyword | EdnSymbol;
  return key;
}

function buildMap(items: EdnNode[], at: Position): EdnMap {
  if (items.length % 2 !== 0) {
    const last = items[items.length - 1];
    const where = last ? ` (the last key, at line ${last.line}, column ${last.column}, has no value)` : '';
    throw new EdnSyntaxError(`map has an odd number of forms${where}: every key needs a value`, at);
  }
  const entries: EdnMapEntry[] = [];
  for (let i = 0; i < items.length; i += 2) entries.push({ key: items[i] as EdnNode, value: items[i + 1] as EdnNode });
  uniqueItems(
    entries.map((e) => e.key),
    'key in map',
  );
  return { kind: 'map', entries, ...at };
}

/** Throws at the second occurrence of an equal value. */
function uniqueItems(items: EdnNode[], what = 'element in set'): EdnNode[] {
  const seen = new Map<string, EdnNode>();
  for (const item of items) {
    const key = equalityKey(item);
    const first = seen.get(key);
    if (first) {
      throw new EdnSyntaxError(
        `duplicate ${what}: ${printEdn(item)} is already at line ${first.line}, column ${first.column}; remove one`,
        item,
      );
    }
    seen.set(key, item);
  }
  return items;
}

const isHighSurrogate = (c: string): boolean => c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdbff;
const isLowSurrogate = (c: string): boolean => c.length === 1 && c.charCodeAt(0) >= 0xdc00 && c.charCodeAt(0) <= 0xdfff;
