import { describe, expect, it } from '@jest/globals';
import { parseEDNString } from 'edn-data';
import { EdnSyntaxError, printEdn, readEdn, toPlain, type EdnMap, type EdnNode, type PlainOptions } from '../../src/core/edn/reader.js';

const at = (node: EdnNode | undefined): [number, number] => [node?.line ?? -1, node?.column ?? -1];
const asMap = (node: EdnNode | undefined): EdnMap => {
  if (node?.kind !== 'map') throw new Error(`expected a map, got ${node?.kind}`);
  return node;
};
const entry = (map: EdnMap, key: string) => {
  const e = map.entries.find(
    (x) => x.key.kind === 'keyword' && (x.key.namespace ? `${x.key.namespace}/${x.key.name}` : x.key.name) === key,
  );
  if (!e) throw new Error(`no :${key}`);
  return e;
};
const syntaxError = (text: string): EdnSyntaxError => {
  try {
    readEdn(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) return e;
    throw e;
  }
  throw new Error(`no syntax error for ${JSON.stringify(text)}`);
};

describe('readEdn: positions', () => {
  const doc = [
    '; the config', //                           line 1
    '{:app-name "demo"', //                      line 2
    ' :lambdas {:get-items', //                  line 3
    '           {:fn my.ns/get-items, :timeout-secs 30}}', // line 4
    ' #_ :ignored #_ 1', //                      line 5
    ' :notes "two', //                           line 6
    'lines" :v [1 2.5 \\a nil true]', //         line 7
    ' :tag #inst "2024-01-31T12:00:00Z"}', //    line 8
  ].join('\n');
  const root = asMap(readEdn(doc));

  it('locates collections, keys and values on several lines', () => {
    expect(at(root)).toEqual([2, 1]);
    expect(at(entry(root, 'app-name').key)).toEqual([2, 2]);
    expect(at(entry(root, 'app-name').value)).toEqual([2, 12]);
    const lambdas = asMap(entry(root, 'lambdas').value);
    expect(at(lambdas)).toEqual([3, 11]);
    expect(at(entry(lambdas, 'get-items').key)).toEqual([3, 12]);
    const getItems = asMap(entry(lambdas, 'get-items').value);
    expect(at(getItems)).toEqual([4, 12]);
    expect(at(entry(getItems, 'fn').value)).toEqual([4, 17]);
    expect(at(entry(getItems, 'timeout-secs').key)).toEqual([4, 34]);
    expect(at(entry(getItems, 'timeout-secs').value)).toEqual([4, 48]);
  });

  it('counts lines inside multi-line strings, skips #_ and comments', () => {
    expect(root.entries.map((e) => printEdn(e.key))).toEqual([':app-name', ':lambdas', ':notes', ':v', ':tag']);
    expect(at(entry(root, 'notes').value)).toEqual([6, 9]);
    const v = entry(root, 'v').value;
    expect(at(v)).toEqual([7, 11]);
    if (v.kind !== 'vector') throw new Error('vector expected');
    expect(v.items.map(at)).toEqual([
      [7, 12],
      [7, 14],
      [7, 18],
      [7, 21],
      [7, 25],
    ]);
    expect(at(entry(root, 'tag').value)).toEqual([8, 7]);
  });

  it('keeps keyword namespaces separate, and map entries in order', () => {
    const node = readEdn('{:b 1 :a/x 2 :c.d/e-f 3}');
    expect(asMap(node).entries.map((e) => e.key)).toEqual([
      { kind: 'keyword', namespace: null, name: 'b', line: 1, column: 2 },
      { kind: 'keyword', namespace: 'a', name: 'x', line: 1, column: 7 },
      { kind: 'keyword', namespace: 'c.d', name: 'e-f', line: 1, column: 14 },
    ]);
  });

  it('treats CRLF as one line break and a surrogate pair as one column', () => {
    const v = readEdn('[1\r\n "😀" x]');
    if (v.kind !== 'vector') throw new Error('vector expected');
    expect(v.items.map(at)).toEqual([
      [1, 2],
      [2, 2],
      [2, 6],
    ]);
  });

  it('reads scalars into typed nodes', () => {
    expect(readEdn('42N')).toMatchObject({ kind: 'integer', value: 42n, big: true });
    expect(readEdn('-7')).toMatchObject({ kind: 'integer', value: -7n, big: false });
    expect(readEdn('9007199254740993')).toMatchObject({ kind: 'integer', value: 9007199254740993n });
    expect(readEdn('1.5M')).toMatchObject({ kind: 'float', value: 1.5, decimal: true });
    expect(readEdn('-2.5e-3')).toMatchObject({ kind: 'float', value: -0.0025 });
    expect(readEdn('##-Inf')).toMatchObject({ kind: 'float', value: -Infinity });
    expect(readEdn('3/4')).toMatchObject({ kind: 'ratio', numerator: 3n, denominator: 4n });
    expect(readEdn('"\\u00e9\\t\\"\\\\"')).toMatchObject({ kind: 'string', value: 'é\t"\\' });
    expect(readEdn('\\newline')).toMatchObject({ kind: 'char', value: '\n' });
    expect(readEdn('\\u03A9')).toMatchObject({ kind: 'char', value: 'Ω' });
    expect(readEdn('\\o101')).toMatchObject({ kind: 'char', value: 'A' });
    expect(readEdn('a.b/c')).toMatchObject({ kind: 'symbol', namespace: 'a.b', name: 'c' });
    expect(readEdn('/')).toMatchObject({ kind: 'symbol', namespace: null, name: '/' });
    expect(readEdn('clojure.core//')).toMatchObject({ kind: 'symbol', namespace: 'clojure.core', name: '/' });
    expect(readEdn('#my/tag [1]')).toMatchObject({ kind: 'tagged', tag: 'my/tag', value: { kind: 'vector' } });
  });

  it('qualifies namespaced map keys, leaving :_/x unqualified', () => {
    const node = asMap(readEdn('#:ns{:a 1 :_/b 2 :other/c 3 "s" 4}'));
    expect(at(node)).toEqual([1, 1]);
    expect(node.entries.map((e) => printEdn(e.key))).toEqual([':ns/a', ':b', ':other/c', '"s"']);
    expect(at(node.entries[0]?.key)).toEqual([1, 6]);
  });

  it('discards nested #_ forms', () => {
    expect(toPlain(readEdn('[1 #_ #_ 2 3 4 #_[5 #_6] 7]'))).toEqual([1, 4, 7]);
  });
});

describe('readEdn: syntax errors', () => {
  // [input, line, column, message fragment]
  const cases: [string, number, number, RegExp][] = [
    ['{:a "x}', 1, 5, /unterminated string/],
    ['{:a 1\n :b "never\nclosed', 2, 5, /unterminated string/],
    ['"bad \\q escape"', 1, 6, /unsupported escape \\q/],
    ['"\\u12x4"', 1, 2, /unicode escape/],
    ['[1 2)', 1, 5, /unmatched '\)'.*'\[' at line 1, column 1/],
    ['{:a [1}', 1, 7, /unmatched '}'/],
    ['#{1 ]', 1, 5, /unmatched '\]': the '#\{' at line 1, column 1 must be closed with '\}' first/],
    ['(1))', 1, 4, /unmatched '\)': nothing is open/],
    [']', 1, 1, /unmatched '\]'/],
    ['{:a 1\n :b}', 1, 1, /odd number of forms.*line 2, column 2/],
    ['{:a 1\n :a 2}', 2, 2, /duplicate key in map: :a is already at line 1, column 2/],
    ['#:x{:a 1 :x/a 2}', 1, 10, /duplicate key in map: :x\/a/],
    ['#{1 [2] [2]}', 1, 9, /duplicate element in set/],
    ['[1\n [2 {:a 3}', 2, 2, /'\[' is never closed/],
    ['{:a\n', 1, 1, /'\{' is never closed/],
    ['#{1', 1, 1, /'#\{' is never closed/],
    ['{:a 1} {:b 2}', 1, 8, /exactly one value/],
    ['', 1, 1, /no value/],
    ['; only a comment\n', 2, 1, /no value/],
    ['[1 #_]', 1, 4, /#_ must be followed/],
    ['\\foo', 1, 1, /unsupported character literal \\foo/],
    ['[\\ ]', 1, 2, /backslash must be followed/],
    ['007', 1, 1, /invalid number '007'/],
    ['[1 2x]', 1, 4, /invalid number '2x'/],
    ['[::auto]', 1, 2, /auto-resolved keyword/],
    [':', 1, 1, /invalid keyword/],
    ['a/b/c', 1, 1, /invalid symbol 'a\/b\/c'/],
    ["[  'my.ns/f]", 1, 4, /quote/],
    ['#"re"', 1, 1, /regular expression/],
    ['#?(:clj 1)', 1, 1, /reader conditional/],
    ['#inst "yesterday"', 1, 7, /#inst needs/],
    ['#uuid 42', 1, 7, /#uuid needs/],
    ['#my/tag', 1, 1, /tag #my\/tag must be followed/],
    ['#:ns [1]', 1, 1, /must be followed by a map/],
    ['1/0', 1, 1, /denominator is zero/],
    ['##Foo', 1, 1, /##Inf/],
  ];
  it.each(cases)('%j → %i:%i', (text, line, column, message) => {
    const e = syntaxError(text);
    expect(e).toBeInstanceOf(EdnSyntaxError);
    expect(e.message).toMatch(message);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('is a located error, not a stack overflow, for absurd nesting', () => {
    expect(syntaxError('['.repeat(100_000)).message).toMatch(/nesting deeper/);
    expect(syntaxError('#_ '.repeat(100_000)).message).toMatch(/nesting deeper/);
  });
});

describe('readEdn agrees with edn-data on valid documents', () => {
  const ionConfig = `
;; resources/datomic/ion-config.edn
{:app-name "my-app"
 :allow [my-app.core/get-items
         my-app.core/create-item]
 :xforms [my-app.xforms/with-tenant]
 :lambdas {:get-items {:fn my-app.core/get-items
                       :description "Lists items"
                       :timeout-secs 30
                       :concurrency-limit :none}
           :create-item {:fn my-app.core/create-item, :integration :api-gateway/proxy}}
 :http-direct {:handler-fn my-app.http/handler
               :pending-ops-queue-length 100
               :pending-ops-exceeded-message "Throttled"}}
`;
  const docs: [string, string][] = [
    ['realistic ion-config', ionConfig],
    ['commas as whitespace', '{:a 1,, :b 2 ,}'],
    ['nested collections', '[1 [2 (3 4)] {:k [5]} ()]'],
    ['strings with escapes', '["a\\"b" "c\\\\d" "tab\\there" "nl\\n" "\\u00e9t\\u00E9" "multi\nline" ""]'],
    ['integers and floats', '[0 -1 +2 42N -3.5 1e3 2.5E-2 1.5M 0.0 -0.25 12345678]'],
    ['characters', '[\\a \\Z \\newline \\space \\tab \\return \\u0041 \\\\]'],
    ['sets', '#{1 2 :three "four"}'],
    ['discards', '[1 #_ 2 3 #_ #_ 4 5 6 #_{:a [7]} 8]'],
    ['comments', '; leading\n{:a 1 ; trailing\n ;; whole line\n :b 2}\n; after'],
    ['builtin tags', '[#inst "1985-04-12T23:20:50.52Z" #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"]'],
    ['custom tags', '{:x #my/point [1 2] :y #color "red"}'],
    ['symbols', '[a a.b/c / + - foo? *bar* <=> ->x a-b.c_d/e!]'],
    ['keywords', '[:a :a/b :a.b/c-d :x? :-> :ns/with.dots]'],
    ['nil and booleans', '[nil true false {:n nil}]'],
    ['empty collections', '[[] () {} #{}]'],
    ['deeply nested', '{:a {:b {:c {:d [1 {:e #{:f}}]}}}}'],
    ['top-level scalar', '"just a string"'],
    ['top-level list', '(defn f [x] (inc x))'],
  ];
  const optionSets: [string, PlainOptions][] = [
    ['edn-data defaults', {}],
    ['simple JS values', { mapAs: 'object', keywordAs: 'string', symbolAs: 'string', listAs: 'array', setAs: 'array', charAs: 'string' }],
  ];
  describe.each(optionSets)('%s', (_name, options) => {
    it.each(docs)('%s', (_label, text) => {
      expect(toPlain(readEdn(text), options)).toEqual(parseEDNString(text, options));
    });
  });

  it('gives the realistic ion-config the expected shape', () => {
    const plain = toPlain(readEdn(ionConfig), { mapAs: 'object', keywordAs: 'string', symbolAs: 'string', listAs: 'array' });
    expect(plain).toMatchObject({
      'app-name': 'my-app',
      lambdas: { 'get-items': { fn: 'my-app.core/get-items', 'concurrency-limit': 'none' } },
    });
  });
});
