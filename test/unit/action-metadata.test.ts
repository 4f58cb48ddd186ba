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
