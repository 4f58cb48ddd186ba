/**
 * The action metadata the runner reads, against what users read: the root action and push/action.yml
 * declare the same push action, each action runs on node24 from a built dist/ entry, and every input
 * and output is documented in the README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string };
}

const load = (path: string): ActionYml => parse(readFileSync(join(ROOT, path), 'utf8')) as ActionYml;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

test('the root action is the push action', () => {
  const root = load('action.yml');
  const push = load('push/action.yml');
  expect(root.inputs).toEqual(push.inputs);
  expect(root.outputs).toEqual(push.outputs);
});

test.each(['action.yml', 'push/action.yml', 'deploy/action.yml'])('%s runs on node24 from a committed dist/ entry', (path) => {
  const { runs } = load(path);
  expect(runs.using).toBe('node24');
  for (const entry of [runs.main, runs.post].filter((e): e is string => Boolean(e))) {
    expect(existsSync(join(ROOT, dirname(path), entry))).toBe(true);
  }
});

test.each(['push/action.yml', 'deploy/action.yml'])('every input and output of %s is described and in the README', (path) => {
  const action = load(path);
  for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
    expect(spec.description.length).toBeGreaterThan(10);
    expect(readme).toContain(`\`${name}\``);
  }
});

/**
 * The reusable workflow (.github/workflows/ion.yml) passes its inputs on to the actions: where an input
 * has an action input of the same name, the defaults agree, so the one-line form behaves like the
 * two-action form. Its inputs and outputs are described, and documented in the README.
 */
interface ReusableWorkflow {
  on: {
    workflow_call: {
      inputs: Record<string, { description: string; type: string; required?: boolean; default?: string | number }>;
      outputs: Record<string, { description: string; value: string }>;
    };
  };
  jobs: Record<string, { concurrency?: { group: string }; environment?: string }>;
}

const ion = parse(readFileSync(join(ROOT, '.github', 'workflows', 'ion.yml'), 'utf8')) as ReusableWorkflow;
const call = ion.on.workflow_call;

test('the reusable workflow’s defaults are the actions’ defaults', () => {
  const actions = [load('push/action.yml'), load('deploy/action.yml')];
  const shared: string[] = [];
  for (const [name, spec] of Object.entries(call.inputs)) {
    for (const action of actions) {
      const input = action.inputs[name];
      if (!input || spec.required) continue;
      shared.push(name);
      expect({ name, default: String(spec.default ?? '') }).toEqual({ name, default: input.default ?? '' });
    }
  }
  expect(shared).toEqual(expect.arrayContaining(['prefix', 'working-directory', 'aliases', 'timeout-minutes']));
});

test('every input and output of the reusable workflow is described and in the README', () => {
  const missing: string[] = [];
  for (const [name, spec] of [...Object.entries(call.inputs), ...Object.entries(call.outputs)]) {
    expect(spec.description.length).toBeGreaterThan(10);
    if (!readme.includes(`\`${name}\``)) missing.push(name);
  }
  expect(missing).toEqual([]);
});

test('the reusable workflow deploys each group under the two-action form’s concurrency key and in an environment', () => {
  expect(ion.jobs.deploy?.concurrency?.group).toBe('deploy-${{ matrix.group }}');
  expect(ion.jobs.deploy?.environment).toBe('${{ inputs.environment || matrix.group }}');
  expect(readme).toContain('concurrency: deploy-');
});
