import { describe, expect, it } from '@jest/globals';
import { declaredAppName, lambdaFunctionName, validateIonConfig, type ValidationContext } from '../../src/core/ion-config/validate.js';

const FILE = 'resources/datomic/ion-config.edn';
const NAMESPACES = new Set(['my-app.core', 'my-app.xforms', 'my-app.http']);
const ctx: ValidationContext = { namespaces: NAMESPACES };

/** [severity, line, column, message] of each problem, after checking that each names the file. */
function problemsOf(text: string, context: ValidationContext = ctx): [string, number | undefined, number | undefined, string][] {
  const { config, problems } = validateIonConfig(text, FILE, context);
  for (const p of problems) expect(p.file).toBe(FILE);
  if (problems.some((p) => p.severity === 'error')) expect(config).toBeNull();
  return problems.map((p) => [p.severity, p.line, p.column, p.message]);
}

/** The only problem of `text`. */
function onlyProblem(text: string, context: ValidationContext = ctx) {
  const problems = problemsOf(text, context);
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe('declaredAppName: the name push asks CodeDeploy about before validating', () => {
  it('is the :app-name of a config, valid or not in other ways', () => {
    expect(declaredAppName('{:app-name "my-app" :allow [no.such/fn] :bogus 1}')).toBe('my-app');
    expect(declaredAppName(';; c\n#_{:app-name "x"} {:app-name "my-app"}')).toBe('my-app');
  });

  it('is null whenever validation would not accept the name: nothing is asked about a name push refuses', () => {
    const cases = [
      '',
      '{:app-name ',
      '[:app-name "a"]',
      '{}',
      '{:app-name my-app}',
      '{:app-name "a" :app-name "b"}',
      '{:app-name "bad name"}',
      '{:x/app-name "a"}',
    ];
    for (const text of cases) {
      expect(declaredAppName(text)).toBeNull();
      expect(validateIonConfig(text, 'ion-config.edn', { namespaces: new Set() }).config).toBeNull();
    }
  });
});

describe('validateIonConfig: a valid config', () => {
  const text = `;; the whole thing
{:app-name "my-app"
 :allow [my-app.core/get-items]
 :xforms (my-app.xforms/tenant)
 :lambdas {:get-items {:fn my-app.core/get-items
                       :description "Lists items"
                       :timeout-secs 30
                       :concurrency-limit :none
                       :integration :api-gateway/proxy}
           :ping {:fn my-app.core/ping}}
 :http-direct {:handler-fn my-app.http/handler
               :pending-ops-exceeded-code 503}}`;

  it('gives the config with defaults applied, and the JSON form', () => {
    const { config, problems } = validateIonConfig(text, FILE, ctx);
    expect(problems).toEqual([]);
    expect(config).toEqual({
      appName: 'my-app',
      allow: ['my-app.core/get-items'],
      xforms: ['my-app.xforms/tenant'],
      lambdas: [
        {
          name: 'get-items',
          fn: 'my-app.core/get-items',
          description: 'Lists items',
          timeoutSecs: 30,
          concurrencyLimit: null,
          integration: 'api-gateway/proxy',
        },
        { name: 'ping', fn: 'my-app.core/ping', description: '', timeoutSecs: 60, concurrencyLimit: 20, integration: null },
      ],
      httpDirect: { handlerFn: 'my-app.http/handler', pendingOpsExceededCode: 503 },
      json: {
        'app-name': 'my-app',
        allow: ['my-app.core/get-items'],
        xforms: ['my-app.xforms/tenant'],
        lambdas: {
          'get-items': {
            fn: 'my-app.core/get-items',
            description: 'Lists items',
            'timeout-secs': 30,
            'concurrency-limit': 'none',
            integration: 'api-gateway/proxy',
          },
          ping: { fn: 'my-app.core/ping' },
        },
        'http-direct': { 'handler-fn': 'my-app.http/handler', 'pending-ops-exceeded-code': 503 },
      },
    });
    expect(JSON.parse(JSON.stringify(config?.json))).toEqual(config?.json);
  });

  it('needs only :app-name', () => {
    const { config, problems } = validateIonConfig('{:app-name "a.b_c-D9"}', FILE, ctx);
    expect(problems).toEqual([]);
    expect(config).toEqual({ appName: 'a.b_c-D9', allow: [], xforms: [], lambdas: [], httpDirect: null, json: { 'app-name': 'a.b_c-D9' } });
  });

  it('skips the namespace check when namespaces are unknown', () => {
    const { config } = validateIonConfig('{:app-name "a" :allow [not.loaded/f]}', FILE, { namespaces: null });
    expect(config?.allow).toEqual(['not.loaded/f']);
  });

  it('finds munged namespaces: my_app.core is loaded from my_app/core.clj like my-app.core', () => {
    expect(problemsOf('{:app-name "a" :allow [my_app.core/f]}')).toEqual([]);
  });

  it('exports the Lambda function naming', () => {
    expect(lambdaFunctionName('prod-compute', 'get-items')).toBe('prod-compute_get-items');
  });
});

describe('validateIonConfig: located problems', () => {
  it('turns a syntax error into one located error', () => {
    expect(onlyProblem('{:app-name "x"\n :lambdas {:a}}')).toEqual([
      'error',
      2,
      11,
      'map has an odd number of forms (the last key, at line 2, column 12, has no value): every key needs a value; fix the EDN syntax',
    ]);
    expect(onlyProblem('{:app-name "x}')).toEqual(['error', 1, 12, expect.stringMatching(/^unterminated string.*; fix the EDN syntax$/)]);
  });

  it('needs a map at the top', () => {
    expect(onlyProblem('[:app-name "x"]')).toEqual([
      'error',
      1,
      1,
      'ion-config must be a map, like {:app-name "my-app" :lambdas {…}}; found vector [:app-name "x"]',
    ]);
  });

  it('reports a missing :app-name at the opening brace', () => {
    expect(onlyProblem('\n  {:allow []}')).toEqual([
      'error',
      2,
      3,
      'ion-config has no :app-name; add :app-name "my-app", the CodeDeploy application name',
    ]);
  });

  it.each([
    ['{:app-name my-app}', ':app-name must be a string; found symbol my-app'],
    ['{:app-name "my app"}', `:app-name "my app" contains a space at position 3; use only letters, digits, '.', '_' and '-'`],
    ['{:app-name "app/x"}', `:app-name "app/x" contains '/' at position 4; use only letters, digits, '.', '_' and '-'`],
    ['{:app-name ""}', ':app-name is empty; set it to the CodeDeploy application name, e.g. "my-app"'],
    [`{:app-name "${'a'.repeat(101)}"}`, ':app-name is 101 characters long; a CodeDeploy application name has at most 100'],
  ])('checks :app-name %s', (text, message) => {
    expect(onlyProblem(text)).toEqual(['error', 1, 12, message]);
  });

  it('accepts a 100-character :app-name', () => {
    expect(problemsOf(`{:app-name "${'a'.repeat(100)}"}`)).toEqual([]);
  });

  // Columns: {:app-name "a" :allow … — :allow's value starts at column 23.
  it.each([
    ['{:app-name "a" :allow my.ns/f}', 23, ':allow must be a vector of namespace-qualified symbols, like [my.ns/f]; found symbol my.ns/f'],
    [
      '{:app-name "a" :allow [f]}',
      24,
      'symbol f (:allow entry) is not namespace-qualified; use my.ns/f, naming the namespace that defines it',
    ],
    [
      '{:app-name "a" :allow ["my-app.core/f"]}',
      24,
      ':allow entry must be a namespace-qualified symbol such as my.ns/f; found string "my-app.core/f" (write my-app.core/f without the quotes)',
    ],
    [
      '{:app-name "a" :allow [:my-app.core/f]}',
      24,
      ":allow entry must be a namespace-qualified symbol such as my.ns/f; found keyword :my-app.core/f (write my-app.core/f without the ':')",
    ],
    [
      '{:app-name "a" :allow [my-app.core/ok my-app.db/q]}',
      39,
      'namespace my-app.db (for my-app.db/q) is not on the classpath: no my_app/db.clj or my_app/db.cljc in any classpath directory or jar; fix the symbol, or add the source path or dependency that defines it to deps.edn',
    ],
  ])('checks :allow %s', (text, column, message) => {
    expect(onlyProblem(text)).toEqual(['error', 1, column, message]);
  });

  it('checks :xforms like :allow', () => {
    expect(onlyProblem('{:app-name "a" :xforms #{x}}')).toEqual([
      'error',
      1,
      26,
      expect.stringContaining('symbol x (:xforms entry) is not namespace-qualified'),
    ]);
  });

  it('checks lambda values', () => {
    const text = [
      '{:app-name "a"', // 1
      ' :lambdas', // 2
      ' {:l1 {:description "no fn"}', // 3
      '  :l2 {:fn my-app.core/f :timeout-secs 1.5}', // 4
      '  :l3 {:fn my-app.core/f :timeout-secs 901}', // 5
      '  :l4 {:fn my-app.core/f :concurrency-limit 0}', // 6
      '  :l5 {:fn my-app.core/f :concurrency-limit :some}', // 7
      '  :l6 {:fn my-app.core/f :integration :api-gateway/http}', // 8
      '  :l7 {:fn my-app.core/f :description 42}', // 9
      '  :l8 {:fn f}', // 10
      '  :l9 {:fn my-app.core/f :memory 512}', // 11
      '  :l10 [my-app.core/f]}}', // 12
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      ['error', 3, 7, 'lambda :l1 has no :fn; add :fn my.ns/handler, the function the Lambda invokes'],
      ['error', 4, 40, ':timeout-secs of lambda :l2 must be an integer from 1 to 900; found float 1.5'],
      ['error', 5, 40, ':timeout-secs of lambda :l3 must be an integer from 1 to 900; found integer 901'],
      ['error', 6, 45, ':concurrency-limit of lambda :l4 must be a positive integer or :none; found integer 0'],
      ['error', 7, 45, ':concurrency-limit of lambda :l5 must be a positive integer or :none; found keyword :some'],
      [
        'error',
        8,
        39,
        ':integration of lambda :l6 must be :api-gateway/proxy (the only integration there is); remove the key for none; found keyword :api-gateway/http',
      ],
      ['error', 9, 39, ':description of lambda :l7 must be a string; found integer 42'],
      ['error', 10, 12, 'symbol f (:fn of lambda :l8) is not namespace-qualified; use my.ns/f, naming the namespace that defines it'],
      [
        'warning',
        11,
        26,
        'unknown key :memory in lambda :l9; known keys are :fn, :description, :timeout-secs, :concurrency-limit, :integration',
      ],
      ['error', 12, 8, 'lambda :l10 must be a map like {:fn my.ns/handler}; found vector [my-app.core/f]'],
    ]);
  });

  it('accepts the limits of lambda values', () => {
    expect(problemsOf('{:app-name "a" :lambdas {:x {:fn my-app.core/f :timeout-secs 900 :concurrency-limit 1000}}}')).toEqual([]);
    expect(problemsOf('{:app-name "a" :lambdas {:x {:fn my-app.core/f :timeout-secs 1 :concurrency-limit 1}}}')).toEqual([]);
  });

  it('checks :lambdas is a map', () => {
    expect(onlyProblem('{:app-name "a" :lambdas [:x]}')).toEqual([
      'error',
      1,
      25,
      ':lambdas must be a map of lambda names to lambdas, like {:get-items {:fn my.ns/get-items}}; found vector [:x]',
    ]);
  });

  it('checks lambda names', () => {
    const fn = '{:fn my-app.core/f}';
    const text = [
      '{:app-name "a" :lambdas',
      ` {:get.items ${fn}`,
      `  :my/x ${fn}`,
      `  "s" ${fn}`,
      `  :${'n'.repeat(63)} ${fn}`,
      `  :${'o'.repeat(62)} ${fn}}}`,
    ].join('\n');
    expect(problemsOf(text, { namespaces: null })).toEqual([
      [
        'error',
        2,
        3,
        `lambda name :get.items contains '.' at position 4, which a Lambda function name cannot; use only letters, digits and '-'`,
      ],
      ['error', 3, 3, 'lambda name :my/x has a namespace; use a simple keyword such as :x'],
      ['error', 4, 3, 'a lambda name must be a keyword such as :get-items; found string "s"'],
      [
        'error',
        5,
        3,
        `lambda name :${'n'.repeat(63)} is 63 characters long; at most 62 leaves room for the "<group>_" prefix of its Lambda function name (64 characters at most)`,
      ],
    ]);
  });

  it('checks <group>_<lambda> against 64 characters for each known group', () => {
    const name = 'x'.repeat(50);
    const text = `{:app-name "a" :lambdas {:${name} {:fn my-app.core/f}}}`;
    expect(problemsOf(text, { namespaces: null, groups: ['short', 'thirteen-char'] })).toEqual([]);
    const long = 'fourteen-chars';
    expect(problemsOf(text, { namespaces: null, groups: ['short', long] })).toEqual([
      [
        'error',
        1,
        26,
        `lambda name :${name} makes Lambda function names longer than 64 characters: ${long}_${name} (65); shorten the lambda name or the deployment group name`,
      ],
    ]);
  });

  it('refuses a :description AWS Lambda would refuse (over 256 characters), on the description', () => {
    const ok = 'd'.repeat(256);
    expect(problemsOf(`{:app-name "a" :lambdas {:x {:fn my-app.core/f :description "${ok}"}}}`)).toEqual([]);
    expect(onlyProblem(`{:app-name "a"\n :lambdas {:x {:fn my-app.core/f\n   :description "${ok}e"}}}`)).toEqual([
      'error',
      3,
      17,
      ":description of lambda :x is 257 characters long; AWS Lambda takes at most 256 for its proxy function's description: shorten it",
    ]);
  });

  it("refuses '_' in lambda names: shop + canary_checkout and shop_canary + checkout would share one proxy", () => {
    const text = '{:app-name "a"\n :lambdas {:canary_checkout {:fn my-app.core/f}}}';
    const [severity, line, column, message] = onlyProblem(text, { namespaces: null, groups: ['shop', 'shop_canary'] }) ?? [];
    expect([severity, line, column]).toEqual(['error', 2, 12]);
    expect(message).toContain("lambda name :canary_checkout contains '_', the separator of its Lambda function name");
    expect(message).toContain('shop_canary_checkout');
    expect(message).toContain("use '-' instead, as in :canary-checkout");
    // Without known groups too: the collision depends on groups that may come later.
    expect(onlyProblem(text, { namespaces: null })?.[3]).toBe(message);
  });

  it('refuses a deployment group whose name cannot be part of a Lambda function name', () => {
    expect(onlyProblem('{:app-name "a" :lambdas {:x {:fn my-app.core/f}}}', { namespaces: null, groups: ['ok', 'v1.2'] })).toEqual([
      'error',
      1,
      26,
      `Lambda function name v1.2_x of lambda :x contains '.' at position 3 (from deployment group "v1.2"), which a Lambda function name cannot; rename the deployment group with only letters, digits, '_' and '-'`,
    ]);
  });

  it('refuses a namespace its defining file does not declare (my_lib.core where the file says my-lib.core)', () => {
    const declarations = new Map([
      ['my_lib/core', { source: 'src/my_lib/core.clj', declares: 'my-lib.core' }],
      ['other/x', { source: 'lib.jar!/other/x.clj', declares: 'other.y' }],
      ['unread/z', { source: 'src/unread/z.clj', declares: null }],
    ]);
    const context: ValidationContext = { namespaces: new Set(['my-lib.core', 'other.x', 'unread.z']), declarations };
    const text = [
      '{:app-name "a"',
      ' :allow [my-lib.core/ok',
      '         my_lib.core/f',
      '         other.x/g',
      '         unread.z/h]}',
    ].join('\n');
    expect(problemsOf(text, context)).toEqual([
      [
        'error',
        3,
        10,
        'namespace my_lib.core (for my_lib.core/f) is not the one its file declares: src/my_lib/core.clj declares (ns my-lib.core), so my_lib.core/f does not resolve on the cluster; write my-lib.core/f',
      ],
      [
        'error',
        4,
        10,
        'namespace other.x (for other.x/g) is not the one its file declares: lib.jar!/other/x.clj declares (ns other.y), so other.x/g does not resolve on the cluster; fix the ns form of lib.jar!/other/x.clj, or name the namespace it declares',
      ],
    ]);
  });

  it('checks :http-direct', () => {
    const text = [
      '{:app-name "a"', // 1
      ' :http-direct {:pending-ops-queue-length 0', // 2
      '               :processing-concurrency "16"', // 3
      '               :pending-ops-exceeded-message :busy', // 4
      '               :pending-ops-exceeded-code 600', // 5
      '               :handler-fun my-app.http/h}}', // 6
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      ['error', 2, 15, ':http-direct has no :handler-fn; add :handler-fn my.ns/handler, the function that handles HTTP requests'],
      ['error', 2, 42, ':pending-ops-queue-length of :http-direct must be a positive integer; found integer 0'],
      ['error', 3, 40, ':processing-concurrency of :http-direct must be a positive integer; found string "16"'],
      ['error', 4, 46, ':pending-ops-exceeded-message of :http-direct must be a string; found keyword :busy'],
      [
        'error',
        5,
        43,
        ':pending-ops-exceeded-code of :http-direct must be an HTTP status code, an integer from 100 to 599; found integer 600',
      ],
      [
        'warning',
        6,
        16,
        'unknown key :handler-fun in :http-direct; known keys are :handler-fn, :pending-ops-queue-length, :processing-concurrency, :pending-ops-exceeded-message, :pending-ops-exceeded-code (did you mean :handler-fn?)',
      ],
    ]);
    expect(onlyProblem('{:app-name "a" :http-direct {:handler-fn my-app.nope/h}}')).toEqual([
      'error',
      1,
      42,
      expect.stringContaining('namespace my-app.nope (for my-app.nope/h) is not on the classpath: no my_app/nope.clj'),
    ]);
    expect(onlyProblem('{:app-name "a" :http-direct my-app.http/h}')).toEqual([
      'error',
      1,
      29,
      ':http-direct must be a map like {:handler-fn my.ns/handler}; found symbol my-app.http/h',
    ]);
  });

  it('warns about unknown top-level keys but still gives the config', () => {
    const { config, problems } = validateIonConfig('{:app-name "a"\n :lambda {}\n :foo 1}', FILE, ctx);
    expect(config?.appName).toBe('a');
    const known = 'known keys are :app-name, :allow, :xforms, :lambdas, :http-direct';
    expect(problems).toEqual([
      {
        severity: 'warning',
        file: FILE,
        line: 2,
        column: 2,
        message: `unknown key :lambda in ion-config; ${known} (did you mean :lambdas?)`,
      },
      { severity: 'warning', file: FILE, line: 3, column: 2, message: `unknown key :foo in ion-config; ${known}` },
    ]);
  });

  it('needs keyword keys', () => {
    expect(problemsOf('{"app-name" "a"}')).toEqual([
      ['error', 1, 1, 'ion-config has no :app-name; add :app-name "my-app", the CodeDeploy application name'],
      ['error', 1, 2, 'keys of ion-config are keywords such as :app-name; found string "app-name" (write :app-name)'],
    ]);
  });

  it('reports every problem in one pass, in document order', () => {
    const text = [
      '{:allow [f my-app.gone/g]', // 1
      ' :lambdas {:bad.name {:fn my-app.core/f :timeout-secs 0}}', // 2
      ' :http-direct {:handler-fn h}', // 3
      ' :extra true}', // 4
    ].join('\n');
    expect(problemsOf(text).map(([severity, line, column]) => [severity, line, column])).toEqual([
      ['error', 1, 1], // no :app-name
      ['error', 1, 10], // f unqualified
      ['error', 1, 12], // my-app.gone not on the classpath
      ['error', 2, 12], // lambda name
      ['error', 2, 55], // timeout
      ['error', 3, 28], // h unqualified
      ['warning', 4, 2], // :extra
    ]);
  });
});
