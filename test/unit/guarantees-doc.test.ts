/**
 * docs/guarantees.md pairs each promise with the test that tries to break it: every test file it
 * names must exist, so a renamed or deleted test cannot leave a promise unbacked unnoticed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../local-cloud/run-action.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'guarantees.md'), 'utf8');

test('every test file docs/guarantees.md names exists', () => {
  const named = [...new Set([...doc.matchAll(/\b(test\/(?:(?:unit|integration)\/)?[\w.-]+\.test\.ts)\b/g)].map((m) => m[1]!))];
  expect(named.length).toBeGreaterThan(30);
  expect(named.filter((f) => !existsSync(join(REPO_ROOT, f)))).toEqual([]);
});

test('every promise line names its test', () => {
  const promises = doc.split('\n').filter((l) => /^- /.test(l) && / — /.test(l));
  expect(promises.length).toBeGreaterThan(50);
  expect(
    promises.filter((l) => !/test\/((unit|integration)\/)?[\w.-]+\.test\.ts|bench\//.test(l.split(' — ').slice(1).join(' — '))),
  ).toEqual([]);
});
