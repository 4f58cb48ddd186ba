/**
 * The built push action (dry run, no credentials, no bucket) on projects whose ion-config the
 * cluster or AWS would refuse: each refusal must be an error annotation on the ion-config line and
 * column, before anything is uploaded. The classpath is given (the `classpath` input), so no
 * tools.deps run is needed.
 */
import type { ActionResult } from '../../local-cloud/run-action.js';
import { dryRunPush } from '../support/dry-run-push.js';
import { runnerCommands } from '../support/runner-commands.js';
import { makeSampleProject } from '../support/sample-project.js';

const CONFIG = 'resources/datomic/ion-config.edn';

/** The error annotations on one ion-config line and column. */
const errorsAt = (r: ActionResult, line: number, col: number): string[] =>
  r.annotations.filter((a) => a.startsWith(`::error file=${CONFIG},line=${line},col=${col}::`));

describe('push refuses, located, what the cluster or AWS would refuse', () => {
  test('a namespace spelled unlike its ns form, and Lambda settings AWS refuses', async () => {
    const project = makeSampleProject({
      'src/my_lib/core.clj': ';; spelled with a hyphen, as Clojure wants\n(ns ^:no-doc my-lib.core)\n(defn f [x] x)\n',
      [CONFIG]: [
        '{:app-name "sample-app"',
        ' :allow [my_lib.core/f]',
        ` :lambdas {:canary_checkout {:fn my-lib.core/f}`,
        `           :long {:fn my-lib.core/f :description "${'d'.repeat(257)}"`,
        '                  :timeout-secs 901 :concurrency-limit 0}}}',
      ].join('\n'),
    });
    const r = await dryRunPush(project.dir, 'src:resources');
    expect(r.exitCode).toBe(1);
    expect(errorsAt(r, 2, 10)).toEqual([
      expect.stringContaining(
        'namespace my_lib.core (for my_lib.core/f) is not the one its file declares: src/my_lib/core.clj declares (ns my-lib.core)',
      ),
    ]);
    expect(errorsAt(r, 3, 12)).toEqual([expect.stringContaining("lambda name :canary_checkout contains '_'")]);
    expect(errorsAt(r, 4, 50)).toEqual([expect.stringContaining(':description of lambda :long is 257 characters long')]);
    expect(errorsAt(r, 5, 33)).toEqual([expect.stringContaining(':timeout-secs of lambda :long must be an integer from 1 to 900')]);
    expect(errorsAt(r, 5, 56)).toEqual([expect.stringContaining(':concurrency-limit of lambda :long must be a positive integer or :none')]);
    expect(r.annotations.filter((a) => a.startsWith('::error'))).toHaveLength(6); // the five, and push's closing error
    expect(r.annotations.at(-1)).toMatch(/^::error::push found 5 problems.*Nothing was uploaded/);
  });

  test('the same project with the symbol spelled as declared passes ion-config validation', async () => {
    const project = makeSampleProject({
      'src/my_lib/core.clj': '(ns ^:no-doc my-lib.core)\n(defn f [x] x)\n',
      [CONFIG]: '{:app-name "sample-app" :allow [my-lib.core/f sample.core/items-by-type]}',
    });
    const r = await dryRunPush(project.dir, 'src:resources');
    // Only ion-config's verdict is asserted: what push does after validation is push.test.ts's subject.
    expect(r.annotations.filter((a) => a.includes(`file=${CONFIG}`))).toEqual([]);
    expect(r.stdout).toMatch(/ion-config/);
  });

  test('an ion-config left off the classpath is named, with the :paths fix', async () => {
    const project = makeSampleProject();
    const r = await dryRunPush(project.dir, 'src'); // "resources" left out, as a deps.edn without it in :paths does
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual(
      expect.stringMatching(
        /^::error::resources\/datomic\/ion-config\.edn exists but its directory "resources" is not on the classpath.*add "resources" to :paths in deps\.edn \(or to the alias you push with\)/,
      ),
    );
  });

  test('a hostile source directory name in the ns-form error stays text, not a runner command', async () => {
    const hostile = 's##[add-mask]hello';
    const project = makeSampleProject({
      [`${hostile}/my_lib/core.clj`]: '(ns my-lib.core)\n(defn f [x] x)\n',
      [CONFIG]: '{:app-name "sample-app" :allow [my_lib.core/f]}',
    });
    const r = await dryRunPush(project.dir, `${hostile}:resources`);
    expect(r.exitCode).toBe(1);
    const commands = runnerCommands(r.stdout);
    expect(commands.filter((c) => c.name === 'add-mask')).toEqual([]);
    const located = commands.filter((c) => c.name === 'error' && c.properties.file === CONFIG);
    expect(located).toEqual([expect.objectContaining({ properties: expect.objectContaining({ line: '1', col: '33' }) })]);
    expect(located[0]?.data).toContain('my_lib/core.clj declares (ns my-lib.core)');
  });
});
