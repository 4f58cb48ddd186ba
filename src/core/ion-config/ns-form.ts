/**
 * The namespace a Clojure source file declares with its `ns` form, read from the file's text.
 *
 * Clojure source is not EDN (quotes, regexes, `#(…)`, reader conditionals), so this is a small
 * scanner that skips whole forms without understanding them, rather than the EDN reader. It looks
 * at top-level forms in order: comments, `#_` discards, and other forms (`(set! …)`) are passed
 * over; the first `(ns name …)` or `(clojure.core/ns name …)` gives the name, after any metadata
 * (`^:no-doc`, `^{:doc "x"}`, `#^{…}`). In .cljc files a top-level reader conditional `#?(…)` is
 * read with the branch the JVM takes (`:clj`, else `:default`). Whenever the text cannot be read
 * with confidence (cut off, unbalanced, an `in-ns`, an odd name) the answer is null: no guess.
 */

export type SourceDialect = 'clj' | 'cljc';

/** Top-level forms looked at before giving up: the ns form comes first in practice. */
const MAX_TOP_LEVEL_FORMS = 64;
/** Bounded so that hostile nesting ends the scan instead of the stack. */
const MAX_DEPTH = 512;

class Unreadable extends Error {}

const WHITESPACE = /[\s,]/;
// Clojure's terminating macro characters: a symbol ends before any of these (or whitespace).
const TERMINATING = new Set(['"', ';', '@', '^', '`', '~', '(', ')', '[', ']', '{', '}', '\\']);
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
// A namespace name: a symbol without '/', not starting with a digit or reader character.
const NAMESPACE = /^[^\s\d:#'"/\\^`~@()[\]{};,][^\s/\\^`~@()[\]{};,"]*$/;

/** The name `text` declares in its `ns` form, or null when that cannot be told with confidence. */
export function declaredNamespace(text: string, dialect: SourceDialect): string | null {
  try {
    return new Scanner(text, dialect).declared();
  } catch (e) {
    if (e instanceof Unreadable) return null;
    throw e;
  }
}

class Scanner {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly dialect: SourceDialect,
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  declared(): string | null {
    for (let forms = 0; forms < MAX_TOP_LEVEL_FORMS; forms++) {
      this.skipIgnorable(0);
      if (this.atEnd()) return null;
      const found = this.topLevelForm();
      if (found !== undefined) return found;
    }
    return null;
  }

  /** The ns name if the form here is an ns form (null if it cannot be read); undefined after skipping another form. */
  private topLevelForm(): string | null | undefined {
    if (this.startsWith('#?@')) throw new Unreadable(); // splicing is not allowed at top level
    if (!this.startsWith('#?')) {
      const found = this.nsFormHere();
      if (found === undefined) this.skipForm(0);
      return found;
    }
    if (this.dialect !== 'cljc') throw new Unreadable(); // Clojure refuses #? outside .cljc
    const branch = this.readerConditionalBranch();
    if (branch === null) return undefined; // nothing for the JVM here
    const after = this.pos;
    this.pos = branch;
    const found = this.nsFormHere();
    this.pos = after;
    return found;
  }

  /** The name when an ns form starts here; undefined, with `pos` unchanged, when another form does. */
  private nsFormHere(): string | null | undefined {
    if (this.peek() !== '(') return undefined;
    const start = this.pos;
    this.pos++;
    this.skipIgnorable(1);
    const head = this.atEnd() || TERMINATING.has(this.peek()) ? '' : this.token();
    if (head === 'ns' || head === 'clojure.core/ns') return this.nsName();
    if (head === 'in-ns') throw new Unreadable(); // a namespace made at run time: not told by its text
    this.pos = start;
    return undefined;
  }

  /** After `(ns`: skips metadata and discards, then reads the name. */
  private nsName(): string | null {
    for (;;) {
      this.skipIgnorable(1);
      if (this.peek() === '^') {
        this.pos++;
        this.skipForm(1);
      } else if (this.startsWith('#^')) {
        this.pos += 2;
        this.skipForm(1);
      } else break;
    }
    if (this.atEnd() || TERMINATING.has(this.peek()) || this.peek() === '#') return null;
    const name = this.token();
    // At the end of the text the name may be cut off (only the file's head is read): no guess.
    return NAMESPACE.test(name) && !this.atEnd() ? name : null;
  }

  /**
   * At `#?(`: the position of the form the JVM reads (the first `:clj` or `:default` branch), or
   * null when no branch applies. Leaves `pos` after the whole conditional.
   */
  private readerConditionalBranch(): number | null {
    this.pos += 2;
    this.skipIgnorable(1);
    if (this.peek() !== '(') throw new Unreadable();
    this.pos++;
    let chosen: number | null = null;
    for (;;) {
      this.skipIgnorable(1);
      if (this.atEnd()) throw new Unreadable();
      if (this.peek() === ')') {
        this.pos++;
        return chosen;
      }
      if (this.peek() !== ':') throw new Unreadable();
      const feature = this.token();
      this.skipIgnorable(1);
      if (this.atEnd() || this.peek() === ')') throw new Unreadable();
      if (chosen === null && (feature === ':clj' || feature === ':default')) chosen = this.pos;
      this.skipForm(1);
    }
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Whitespace, commas, `;` and `#!` comments, and `#_` discarded forms. */
  private skipIgnorable(depth: number): void {
    for (;;) {
      const c = this.peek();
      if (c !== '' && WHITESPACE.test(c)) this.pos++;
      else if (c === ';' || this.startsWith('#!')) this.skipLine();
      else if (this.startsWith('#_')) {
        this.pos += 2;
        this.skipForm(depth + 1);
      } else return;
    }
  }

  private skipLine(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.text.length : end + 1;
  }

  /** A symbol, keyword or number: up to whitespace or a terminating character. */
  private token(): string {
    const start = this.pos;
    while (!this.atEnd() && !WHITESPACE.test(this.peek()) && !TERMINATING.has(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Skips one form of any Clojure syntax, without interpreting it; throws Unreadable when it cannot. */
  private skipForm(depth: number): void {
    if (depth > MAX_DEPTH) throw new Unreadable();
    this.skipIgnorable(depth);
    const c = this.peek();
    if (c === '' || c === ')' || c === ']' || c === '}') throw new Unreadable();
    if (c === '(' || c === '[' || c === '{') this.skipCollection(depth);
    else if (c === '"') this.skipString();
    else if (c === '\\') this.skipChar();
    else if (c === "'" || c === '`' || c === '@') this.skipPrefixed(1, 1, depth);
    else if (c === '~') this.skipPrefixed(this.peek(1) === '@' ? 2 : 1, 1, depth);
    else if (c === '^')
      this.skipPrefixed(1, 2, depth); // the metadata, then what it is attached to
    else if (c === '#') this.skipDispatch(depth);
    else if (this.token() === '') throw new Unreadable();
  }

  /** Skips a prefix of `length` characters and the `forms` forms after it. */
  private skipPrefixed(length: number, forms: number, depth: number): void {
    this.pos += length;
    for (let i = 0; i < forms; i++) this.skipForm(depth + 1);
  }

  private skipDispatch(depth: number): void {
    const d = this.peek(1);
    if (d === '{' || d === '(') {
      this.pos++;
      this.skipCollection(depth);
    } else if (d === '"') {
      this.pos++;
      this.skipString();
    } else if (d === "'" || d === '=') this.skipPrefixed(2, 1, depth);
    else if (d === '^') this.skipPrefixed(2, 2, depth);
    else if (d === '?') this.skipPrefixed(this.peek(2) === '@' ? 3 : 2, 1, depth);
    else if (d === ':') {
      // #:ns{…} and #::{…}: a prefix token, then the map.
      this.pos += this.peek(2) === ':' ? 3 : 2;
      this.token();
      this.skipIgnorable(depth);
      if (this.peek() !== '{') throw new Unreadable();
      this.skipCollection(depth);
    } else if (d === '#') {
      this.pos += 2;
      if (this.token() === '') throw new Unreadable();
    } else if (d === '' || WHITESPACE.test(d) || TERMINATING.has(d)) throw new Unreadable();
    else {
      // A tagged literal: #inst "…", #my/tag {…}.
      this.pos++;
      this.token();
      this.skipForm(depth + 1);
    }
  }

  private skipCollection(depth: number): void {
    const close = CLOSER[this.peek()];
    this.pos++;
    for (;;) {
      this.skipIgnorable(depth + 1);
      const c = this.peek();
      if (c === '') throw new Unreadable();
      if (c === close) {
        this.pos++;
        return;
      }
      this.skipForm(depth + 1);
    }
  }

  /** A string or regex body from its opening quote: a backslash escapes the next character. */
  private skipString(): void {
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === '') throw new Unreadable();
      this.pos += c === '\\' ? 2 : 1;
      if (c === '"') return;
    }
  }

  /** `\a`, `\(`, `\newline`, `\u00e9`: the backslash, one character, then token characters. */
  private skipChar(): void {
    this.pos++;
    if (this.atEnd()) throw new Unreadable();
    this.pos++;
    this.token();
  }
}
