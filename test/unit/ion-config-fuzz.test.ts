/**
 * A seeded fuzz of the EDN reader and the ion-config validator: real ion-configs (the example app and
 * the test fixture) and generated EDN, mutated (characters deleted, inserted, duplicated; brackets
 * unbalanced; odd tags, huge numbers, deep nesting, unicode, `#_`, namespaced maps). Every case must
 * end with either a valid config or problems that are all located inside the text — never a throw,
 * never a stack overflow. Valid documents are also read by edn-data, and both readers must agree.
 *
 * Deterministic: the same seed gives the same cases, so a failure names a case that can be re-run.
 * Slowness is guarded by design (the reader's depth limit, linear scans), not by timing assertions.
 */
import { describe, expect, it } from '@jest/globals';
import { parseEDNString } from 'edn-data';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { EdnSyntaxError, readEdn, toPlain, type PlainOptions } from '../../src/core/edn/reader.js';
import { validateIonConfig, type ValidationContext } from '../../src/core/ion-config/validate.js';
import type { Problem } from '../../src/core/problems.js';
import { seeded } from '../support/seeded-random.js';

const SEED = 0x10c0f1;
const MUTATED_CASES = 7000;
const GENERATED_CASES = 2800;
const FILE = 'resources/datomic/ion-config.edn';
const MAX_MESSAGE = 1000;

/** Seeded, so every run tries the same cases and a failure replays. */
function generator(seed: number) {
  const next = seeded(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number): boolean => next() < p;
  return { int, pick, chance };
}
type Random = ReturnType<typeof generator>;

const REAL_CONFIGS = [
  readFileSync('examples/hello-ion/resources/datomic/ion-config.edn', 'utf8'),
  readFileSync('test/fixtures/sample-app/resources/datomic/ion-config.edn', 'utf8'),
  `;; every key
{:app-name "my-app"
 :allow [my-app.core/get-items my_app.core/f]
 :xforms (my-app.xforms/tenant)
 :lambdas {:get-items {:fn my-app.core/get-items :description "Lists items" :timeout-secs 30
                       :concurrency-limit :none :integration :api-gateway/proxy}
           :ping {:fn my-app.core/ping}
           #_#_ :old {:fn my-app.core/old}}
 :http-direct #:http-direct{:handler-fn my-app.http/handler}
 :http-direct2 {:handler-fn my-app.http/handler :pending-ops-queue-length 100 :processing-concurrency 16
                :pending-ops-exceeded-message "Throttled" :pending-ops-exceeded-code 429}}`,
];

// Snippets a mutation inserts: syntax that breaks things, or reads as something unusual.
const SNIPPETS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '#{',
  '#',
  '#_',
  '#_ ',
  '#:my.ns{',
  '#::{',
  '#?(:clj 1)',
  '#"re"',
  "#'v",
  '##Inf',
  '##NaN',
  '##Nope',
  '"',
  '\\',
  '\\u',
  '\\newline',
  '\\o777',
  ';',
  ';; comment\n',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ',',
  ' ',
  '^:meta ',
  "'",
  '`',
  '~',
  '@',
  ':',
  '::kw',
  ':a/',
  ':/',
  '/',
  'a/b/c',
  'my.ns/f',
  'nil',
  'true',
  ':none',
  ':api-gateway/proxy',
  '0',
  '-0',
  '007',
  '1/0',
  '1/2',
  '99999999999999999999999999999999999999N',
  `${'9'.repeat(400)}`,
  '1e999',
  '-1e-999',
  '1.5M',
  '0x10',
  '1.2.3',
  '#inst "2024-01-01T00:00:00Z"',
  '#inst "nope"',
  '#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"',
  '#uuid 1',
  '#my/tag ',
  '#a.b/c [1]',
  'é',
  'ß',
  '\u{1F600}',
  '\uD800',
  '\uDC00',
  '\uFEFF',
  '\u0000',
  '\u2028',
  'Ω.ns/λ',
  '"\u{1F600}"',
  '"\\u00e9"',
  '"\\x"',
  `:${'k'.repeat(3000)}`,
  `${'s'.repeat(3000)}.ns/f`,
  `"${'x'.repeat(3000)}"`,
  `#${'t'.repeat(3000)} 1`,
  `${'1'.repeat(3000)}x`,
  ':app-name',
  ':lambdas',
  ':allow',
  ':xforms',
  ':http-direct',
  ':fn',
  ':timeout-secs',
  ':description',
  ':concurrency-limit',
];

function mutate(r: Random, text: string): string {
  let t = text;
  const count = 1 + r.int(4);
  for (let i = 0; i < count; i++) {
    const at = r.int(t.length + 1);
    switch (r.int(7)) {
      case 0: // delete a few characters
        t = t.slice(0, at) + t.slice(at + 1 + r.int(8));
        break;
      case 1: // insert a snippet
        t = t.slice(0, at) + r.pick(SNIPPETS) + t.slice(at);
        break;
      case 2: {
        // duplicate a slice
        const len = 1 + r.int(40);
        t = t.slice(0, at + len) + t.slice(at, at + len) + t.slice(at + len);
        break;
      }
      case 3: // drop or add a bracket
        t = r.chance(0.5) ? t.replace(/[\])}]/, '') : t.slice(0, at) + r.pick(['(', '[', '{', ')', ']', '}']) + t.slice(at);
        break;
      case 4: // replace a character with any code unit
        t = t.slice(0, at) + String.fromCharCode(r.int(0x10000)) + t.slice(at + 1);
        break;
      case 5: // wrap a slice in something
        t = t.slice(0, at) + r.pick(['[', '#{', '#_', '#my/tag ', '{:k ', '(']) + t.slice(at, at + r.int(30)) + t.slice(at + r.int(30));
        break;
      default: // generated EDN in a random place
        t = t.slice(0, at) + ednText(r, 2) + t.slice(at);
    }
  }
  return t;
}

const SYMBOL_CHARS = 'abcxyz-_.*+!?<>=';
const name = (r: Random, n = 1 + r.int(8)): string =>
  r.pick(['a', 'b', 'my', 'x', 'ion']) +
  Array.from({ length: n - 1 }, () => SYMBOL_CHARS[r.int(SYMBOL_CHARS.length)])
    .join('')
    .replace(/\.$/, '');
const nsName = (r: Random): string => Array.from({ length: 1 + r.int(3) }, () => name(r, 1 + r.int(5)).replace(/[./]/g, '')).join('.');
const stringBody = (r: Random): string =>
  Array.from({ length: r.int(12) }, () =>
    r.pick(['a', ' ', 'é', '\u{1F600}', '\\n', '\\t', '\\"', '\\\\', '\\u00e9', '\n', 'λ', 'x']),
  ).join('');

/** Random EDN text (valid, unless a mutation breaks it later). */
function ednText(r: Random, depth: number): string {
  const scalar = (): string =>
    r.pick([
      () => 'nil',
      () => r.pick(['true', 'false']),
      () => String(r.int(2000) - 1000),
      () => `${r.int(10)}${'0'.repeat(r.int(30))}N`,
      () => `${r.int(100)}.${r.int(100)}`,
      () => `${r.int(9) + 1}e${r.int(20)}`,
      () => `"${stringBody(r)}"`,
      () => `\\${r.pick(['a', 'Z', 'newline', 'space', 'tab', 'u0041', 'é'])}`,
      () => `:${name(r)}`,
      () => `:${nsName(r)}/${name(r)}`,
      () => name(r),
      () => `${nsName(r)}/${name(r)}`,
      () => '#inst "2024-01-31T12:00:00Z"',
      () => '#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"',
    ])();
  if (depth <= 0 || r.chance(0.4)) return scalar();
  const items = (): string[] => Array.from({ length: r.int(5) }, () => ednText(r, depth - 1));
  const keyed = (): string[] => {
    // Distinct keys: a map with duplicate keys is (rightly) an error, and would hide the rest.
    const keys = [...new Set(Array.from({ length: r.int(4) }, () => `:${name(r)}`))];
    return keys.map((k) => `${k} ${ednText(r, depth - 1)}`);
  };
  const sep = (): string => r.pick([' ', ', ', '\n ', ' ;; c\n ', ' #_ x ']);
  return r.pick([
    () => `[${items().join(sep())}]`,
    () => `(${items().join(sep())})`,
    () => `#{${[...new Set(items())].join(' ')}}`,
    () => `{${keyed().join(sep())}}`,
    () => `#${nsName(r)}/${name(r).replace(/[^a-z]/g, '') || 'tag'} ${ednText(r, depth - 1)}`,
  ])();
}

/** A config-shaped document: real keys, random values, so that the checks past the reader run too. */
function configText(r: Random): string {
  const value = (): string =>
    r.chance(0.5) ? ednText(r, 2) : r.pick(['"my-app"', 'my-app.core/f', '[my-app.core/f]', ':none', '30', '{:fn my-app.core/f}']);
  const lambdas = Array.from({ length: r.int(4) }, (_, i) => {
    const keys = ['fn', 'description', 'timeout-secs', 'concurrency-limit', 'integration', 'memory'].filter(() => r.chance(0.5));
    return `:${r.pick(['get', 'a_b', 'x.y', 'l'])}${i} {${keys.map((k) => `:${k} ${value()}`).join(' ')}}`;
  });
  const keys = [
    `:app-name ${value()}`,
    `:allow ${value()}`,
    `:xforms ${value()}`,
    `:lambdas {${lambdas.join('\n')}}`,
    `:http-direct ${value()}`,
    ':nope 1',
  ];
  return `{${keys.filter(() => r.chance(0.7)).join('\n ')}}`;
}

/** Deep nesting of every kind, around the reader's limit and far past it. */
function deepText(r: Random): string {
  const depth = r.pick([10, 999, 1000, 1001, 5000, 100_000]);
  const [open, close] = r.pick([
    ['[', ']'],
    ['(', ')'],
    ['{:a ', '}'],
    ['#{', '}'],
    ['#_', ''],
    ['#t ', ''],
    ['#:n{:k ', '}'],
  ] as const);
  return `${open.repeat(depth)}1${r.chance(0.5) ? close.repeat(depth) : ''}`;
}

const CONTEXTS: ValidationContext[] = [
  { namespaces: null },
  {
    namespaces: new Set(['my-app.core', 'my-app.xforms', 'my-app.http', 'hello.core', 'hello.web', 'sample.core']),
    groups: ['prod', 'a-rather-long-deployment-group-name', 'v1.2'],
    declarations: new Map([
      ['my_app/core', { source: 'src/my_app/core.clj', declares: 'my-app.core' }],
      ['hello/web', { source: 'src/hello/web.clj', declares: 'hello.web' }],
    ]),
  },
];

/** How each line of `text` reads to the reader: lines split at '\n', columns in code points. */
function lineLengths(text: string): number[] {
  return text.split('\n').map((line) => [...line].length);
}

/** What is wrong with one outcome, or null. */
function outcomeProblem(text: string, outcome: { config: unknown; problems: Problem[] }): string | null {
  const lengths = lineLengths(text);
  const errors = outcome.problems.filter((p) => p.severity === 'error');
  if (outcome.config === null && errors.length === 0) return 'no config and no error';
  if (outcome.config !== null && errors.length > 0) return 'a config despite errors';
  for (const p of outcome.problems) {
    const { line, column } = p;
    if (p.file !== FILE) return `problem without the file: ${p.message}`;
    if (!Number.isInteger(line) || !Number.isInteger(column)) return `problem not located: ${p.message}`;
    const lineLength = lengths[(line as number) - 1];
    if (lineLength === undefined || (line as number) < 1) return `line ${line} outside the text (${lengths.length} lines): ${p.message}`;
    if ((column as number) < 1 || (column as number) > lineLength + 1)
      return `column ${column} outside line ${line} (${lineLength} characters): ${p.message}`;
    if (p.message.trim() === '') return 'empty message';
    // Names from the text are quoted cut short: a message stays readable whatever the document holds.
    if (p.message.length > MAX_MESSAGE) return `message of ${p.message.length} characters: ${p.message.slice(0, 200)}…`;
  }
  return null;
}

interface Failure {
  kind: string;
  index: number;
  text: string;
  why: string;
}

/** Runs one case; true when it gave a valid config. */
function runCase(failures: Failure[], kind: string, index: number, text: string, ctx: ValidationContext): boolean {
  try {
    const outcome = validateIonConfig(text, FILE, ctx);
    const why = outcomeProblem(text, outcome);
    if (why) failures.push({ kind, index, text, why });
    return outcome.config !== null;
  } catch (e) {
    failures.push({ kind, index, text, why: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` });
    return false;
  }
}

const shown = (failures: Failure[]): string =>
  failures
    .slice(0, 5)
    .map((f) => `${f.kind} #${f.index}: ${f.why}\n  ${JSON.stringify(f.text.length > 300 ? `${f.text.slice(0, 300)}…` : f.text)}`)
    .join('\n');

describe(`ion-config fuzz (seed ${SEED})`, () => {
  it(`validates ${MUTATED_CASES + GENERATED_CASES + 600}+ cases: a valid config or located problems, never a throw`, () => {
    const r = generator(SEED);
    const failures: Failure[] = [];
    let cases = 0;
    let valid = 0;
    for (let i = 0; i < MUTATED_CASES; i++) {
      const text = mutate(r, i % 4 === 3 ? configText(r) : r.pick(REAL_CONFIGS));
      cases++;
      if (runCase(failures, 'mutated', i, text, CONTEXTS[i % 2] as ValidationContext)) valid++;
    }
    for (let i = 0; i < GENERATED_CASES; i++) {
      cases++;
      runCase(failures, 'generated', i, i % 2 ? configText(r) : ednText(r, 4), CONTEXTS[i % 2] as ValidationContext);
    }
    for (let i = 0; i < 600; i++) {
      cases++;
      runCase(failures, 'deep', i, deepText(r), CONTEXTS[i % 2] as ValidationContext);
    }
    expect(shown(failures)).toBe('');
    expect(cases).toBeGreaterThanOrEqual(10_000);
    // The mutations keep some documents valid: the path to a config is exercised, not only errors.
    expect(valid).toBeGreaterThan(50);
  });

  it('reports nesting past the limit as a located error', () => {
    for (const text of [
      '['.repeat(100_000),
      `${'{:a '.repeat(5000)}1${'}'.repeat(5000)}`,
      `${'#_'.repeat(5000)}1`,
      `${'#t '.repeat(5000)}1`,
    ]) {
      const { config, problems } = validateIonConfig(text, FILE, { namespaces: null });
      expect(config).toBeNull();
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'error', line: 1, message: expect.stringContaining('nesting deeper than 1000 levels') }),
      ]);
    }
  });
});

/**
 * Where edn-data is known to read valid EDN wrongly (tried with edn-data 1.2.2), so the two readers
 * cannot be compared: namespaced maps `#:a{…}` (read as a tag `:a`), a `#` inside a token (`a#{}` is
 * the symbol `a#` and a map, as in clojure.edn, where '#' does not end a token), a `;` right after a
 * token, characters of reader-macro characters (`\;`, `\(`, `\"` read as null), and the
 * symbolic values `##Inf`, `##-Inf`, `##NaN` (read as a tag, or null).
 */
function ednDataReadsRight(text: string): boolean {
  const withoutStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return !(
    text.includes('#:') ||
    text.includes('##') ||
    /[^\s,()[\]{}"\\;#^`~@]#/.test(text) ||
    /[^\s,()[\]{}"\\;#]'?;/.test(withoutStrings) ||
    /\\[;"()[\]{}]/.test(text)
  );
}

describe(`readEdn agrees with edn-data on valid documents (seed ${SEED})`, () => {
  // Plain JS maps and sets, not objects: object keys are strings, and the readers stringify
  // collection keys differently (a choice, not a reading).
  const options: PlainOptions[] = [
    {},
    { mapAs: 'map', keywordAs: 'string', symbolAs: 'string', listAs: 'array', setAs: 'set', charAs: 'string' },
  ];

  it('gives the same values for generated documents, and for mutated ion-configs that stay valid', () => {
    const r = generator(SEED + 1);
    const disagreements: string[] = [];
    let compared = 0;
    for (let i = 0; i < 6000; i++) {
      const text = i % 2 === 0 ? mutate(r, r.pick(REAL_CONFIGS)) : i % 3 === 0 ? configText(r) : ednText(r, 4);
      if (!ednDataReadsRight(text)) continue;
      let ours: ReturnType<typeof readEdn>;
      try {
        ours = readEdn(text);
      } catch (e) {
        if (e instanceof EdnSyntaxError) continue; // not valid EDN: edn-data returns half-built values for such input
        throw e;
      }
      compared++;
      for (const o of options) {
        if (!isDeepStrictEqual(toPlain(ours, o), parseEDNString(text, o)))
          disagreements.push(`#${i} ${JSON.stringify(o)}: ${JSON.stringify(text)}`);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(2000);
  });
});
