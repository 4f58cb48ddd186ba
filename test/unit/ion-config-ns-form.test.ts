import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import yauzl from 'yauzl';
import { declaredNamespace } from '../../src/core/ion-config/ns-form.js';
import { seeded } from '../support/seeded-random.js';

// Debian's Clojure jar, which the test environment installs (docs/test-environment.md): real sources.
const CLOJURE_JAR = '/usr/share/maven-repo/org/clojure/clojure/1.11.1/clojure-1.11.1.jar';

/** Every .clj/.cljc entry of a jar, with its text. */
async function sources(jar: string): Promise<{ name: string; text: string }[]> {
  const zip = await yauzl.fromBufferPromise(readFileSync(jar), { lazyEntries: true });
  const found: { name: string; text: string }[] = [];
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      zip.once('entry', resolve);
      zip.once('end', () => resolve(null));
      zip.once('error', reject);
      zip.readEntry();
    });
    zip.removeAllListeners();
    if (!entry) return found;
    if (!/\.cljc?$/.test(entry.fileName) || entry.fileName.startsWith('META-INF/')) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    found.push({ name: entry.fileName, text: Buffer.concat(chunks).toString('utf8') });
  }
}

describe('declaredNamespace: the name a source file declares', () => {
  it.each([
    ['(ns my-lib.core)', 'my-lib.core'],
    ['(ns my-lib.core\n  "doc" (:require [clojure.string :as str]))', 'my-lib.core'],
    ['\uFEFF(ns bom.first)', 'bom.first'],
    [';; header\n;; more\n\n(ns after.comments)', 'after.comments'],
    ['#!/usr/bin/env bb\n(ns after.shebang)', 'after.shebang'],
    ['#_(ns discarded.one) #_ #_ (a) (b) (ns after.discards)', 'after.discards'],
    ['(ns ^:no-doc with.keyword-meta)', 'with.keyword-meta'],
    ['(ns ^{:doc "a ) in a string" :author "x"} with.map-meta)', 'with.map-meta'],
    ['(ns #^{:doc "old"} with.old-meta)', 'with.old-meta'],
    ['(ns ^:a ^:b ^String with.stacked-meta)', 'with.stacked-meta'],
    ['(clojure.core/ns fully.qualified)', 'fully.qualified'],
    ['(set! *warn-on-reflection* true)\n(ns after.a-form)', 'after.a-form'],
    ['(def re #"[(\\"]") (def c \\() (def s "(ns not.this)") (ns after.tricky-forms)', 'after.tricky-forms'],
    [
      '(comment (ns not.this)) \'(x) `(y ~z ~@w) @a #\'v #(inc %) #{1} #:a{:b 1} #::{:c 2} ##Inf #inst "2024" (ns after.reader-macros)',
      'after.reader-macros',
    ],
    ['(ns with_underscore.core)', 'with_underscore.core'],
  ])('%j declares %s', (text, name) => {
    expect(declaredNamespace(text, 'clj')).toBe(name);
  });

  it('reads a .cljc file with the branch the JVM takes', () => {
    expect(declaredNamespace('#?(:cljs (ns for.cljs) :clj (ns for.clj))', 'cljc')).toBe('for.clj');
    expect(declaredNamespace('#?(:cljs (ns for.cljs) :default (ns for.default) :clj (ns later.clj))', 'cljc')).toBe('for.default');
    expect(declaredNamespace('#?(:cljs (def x 1))\n(ns plain.after)', 'cljc')).toBe('plain.after');
    expect(declaredNamespace('(ns plain.cljc (:require #?(:clj [a] :cljs [b])))', 'cljc')).toBe('plain.cljc');
  });

  it.each([
    ['empty', ''],
    ['no form', ';; only a comment'],
    ['no ns form', '(def x 1)'],
    ['in-ns', "(in-ns 'made.at.run-time)"],
    ['no name', '(ns)'],
    ['a string for a name', '(ns "string")'],
    ['a qualified name', '(ns a/b)'],
    ['a number for a name', '(ns 9lives)'],
    ['a conditional name', '(ns #?(:clj a :cljs b))'],
    ['a name that may be cut off at the end of the text read', '(ns cut.off'],
    ['an unclosed form before any ns', '(def x ('],
    ['an unmatched closer', '(def x)) (ns after.unbalanced)'],
    ['a reader conditional in .clj (Clojure refuses it)', '#?(:clj (ns not.in.clj))'],
    ['top-level splicing', '#?@(:clj [(ns spliced)])'],
    ['another head', '(nsx not.ns)'],
    ['hostile nesting', `${'['.repeat(100_000)}`],
    ['an ns form after more than 64 forms', `${'(def x 1)\n'.repeat(100)}(ns too.far.down)`],
  ])('no guess: %s', (_what, text) => {
    expect(declaredNamespace(text, 'clj')).toBeNull();
  });

  it('never throws, whatever the text', () => {
    // Seeded, so every run tries the same texts.
    const next = seeded(7);
    const random = (n: number): number => (next() * n) | 0;
    const alphabet = [
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '"',
      '\\',
      '#',
      '?',
      '@',
      '^',
      ':',
      ';',
      '\n',
      ' ',
      'ns',
      'a.b',
      '_',
      "'",
      '`',
      '~',
      '!',
      'é',
      '\u{1F600}',
    ];
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: random(40) }, () => alphabet[random(alphabet.length)]).join('');
      expect(() => declaredNamespace(text, i % 2 ? 'clj' : 'cljc')).not.toThrow();
    }
  });

  (existsSync(CLOJURE_JAR) ? it : it.skip)("reads Clojure's own sources: every ns form right, in-ns files left unguessed", async () => {
    const files = await sources(CLOJURE_JAR);
    expect(files.length).toBeGreaterThan(40);
    const results = files.map(({ name, text }) => ({
      name,
      declared: declaredNamespace(text, name.endsWith('.cljc') ? 'cljc' : 'clj'),
      inNs: /^\(in-ns /m.test(text),
    }));
    for (const r of results) {
      if (r.declared === null) expect({ name: r.name, inNs: r.inNs }).toEqual({ name: r.name, inNs: true });
      // clojure/core_print.clj is loaded into clojure.core; every ns form names its own path.
      else expect(r.declared.replace(/-/g, '_').replace(/\./g, '/')).toBe(r.name.replace(/\.cljc?$/, ''));
    }
    expect(results.filter((r) => r.declared !== null).length).toBeGreaterThan(25);
  });
});
