import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  actionTitle,
  deployFirstLine,
  deployPostFirstLine,
  packageVersion,
  pushEarlyInputs,
  pushFirstLine,
} from '../../src/github/action-start.js';
import { parsePushInputs } from '../../src/push/inputs.js';
import { REPO_ROOT } from '../../local-cloud/run-action.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('the first line says which action, which version, and what it is about to do', () => {
  test('the version is package.json’s, and the ref the workflow used when the runner gives it', () => {
    expect(packageVersion()).toBe(VERSION);
    expect(actionTitle('push', {})).toBe(`ion-actions push ${VERSION}`);
    expect(actionTitle('push', { GITHUB_ACTION_REPOSITORY: 'acme/ion-actions', GITHUB_ACTION_REF: 'v1' })).toBe(
      `ion-actions push ${VERSION} (acme/ion-actions@v1)`,
    );
  });

  test('push: the project and where it goes; a dry run says nothing is uploaded', () => {
    const env = { INPUT_BUCKET: 'my-code', INPUT_PREFIX: 'teams/x', 'INPUT_WORKING-DIRECTORY': 'app' };
    expect(pushFirstLine(env, '/work')).toBe(`ion-actions push ${VERSION}: pushing /work/app to s3://my-code/teams/x`);
    expect(pushFirstLine({ 'INPUT_DRY-RUN': 'true' }, '/work')).toBe(
      `ion-actions push ${VERSION}: validating /work (dry run: nothing is uploaded or registered; no bucket)`,
    );
  });

  test('push reads git early only with a given classpath, in the directory parsePushInputs will name', () => {
    for (const env of [
      { INPUT_BUCKET: 'b-code', 'INPUT_WORKING-DIRECTORY': 'app', INPUT_CLASSPATH: 'src:resources' },
      { INPUT_BUCKET: 'b-code', 'INPUT_WORKING-DIRECTORY': '/abs/app' },
      { INPUT_BUCKET: 'b-code' },
    ]) {
      const parsed = parsePushInputs((n) => (env as Record<string, string>)[`INPUT_${n.toUpperCase()}`] ?? '', '/work');
      if (!('inputs' in parsed)) throw new Error('inputs expected');
      expect(pushEarlyInputs(env, '/work')).toEqual({
        projectDir: parsed.inputs.projectDir,
        classpathGiven: parsed.inputs.classpath !== '',
      });
    }
    expect(pushEarlyInputs({ INPUT_CLASSPATH: 'src' }, '/work').classpathGiven).toBe(true);
    expect(pushEarlyInputs({}, '/work').classpathGiven).toBe(false);
  });

  test('deploy: what goes where, or which execution it follows; the post step says what it is for', () => {
    const start = {
      INPUT_GROUP: 'shop-prod',
      'INPUT_APP-NAME': 'shop',
      INPUT_REV: 'abc123',
      'INPUT_STATE-MACHINE-ARN': 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy',
    };
    expect(deployFirstLine(start)).toBe(
      `ion-actions deploy ${VERSION}: deploying shop revision abc123 to shop-prod through arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy`,
    );
    expect(deployFirstLine({ INPUT_GROUP: 'g', GITHUB_SHA: 'f00d', INPUT_WAIT: 'false' })).toBe(
      `ion-actions deploy ${VERSION}: deploying the app named in datomic/ion-config.edn revision f00d to g (not waiting for the end)`,
    );
    expect(deployFirstLine({ 'INPUT_EXECUTION-ARN': 'arn:aws:states:us-east-1:1:execution:m:n' })).toBe(
      `ion-actions deploy ${VERSION}: following execution arn:aws:states:us-east-1:1:execution:m:n`,
    );
    expect(deployPostFirstLine({})).toMatch(/^ion-actions deploy \S+ post step: /);
  });

  test.each(HOSTILE_STRINGS.map((h) => [h]))('%j as every input and as the action’s ref: one line, no workflow command', (h) => {
    const names = ['bucket', 'prefix', 'working-directory', 'dry-run', 'group', 'app-name', 'rev', 'state-machine-arn', 'wait'];
    const env: Record<string, string> = { GITHUB_ACTION_REPOSITORY: h, GITHUB_ACTION_REF: h, GITHUB_SHA: h, GITHUB_WORKSPACE: h };
    for (const name of names) env[`INPUT_${name.toUpperCase()}`] = h;
    const following = { ...env, 'INPUT_EXECUTION-ARN': h, INPUT_GROUP: '' };
    for (const line of [pushFirstLine(env), deployFirstLine(env), deployFirstLine(following), deployPostFirstLine(env)]) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(runnerCommands(`${line}\n`)).toEqual([]);
    }
  });
});
