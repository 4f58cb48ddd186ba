/**
 * The shell steps of the reusable workflow (.github/workflows/ion.yml) and the release workflow
 * (.github/workflows/release.yml), run as the runner runs them (`bash --noprofile --norc -eo pipefail`,
 * outside values through env, GITHUB_OUTPUT a file) against real git; only `gh` (GitHub's API) and
 * `sleep` are stand-ins on PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runnerCommands } from '../support/runner-commands.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

interface Step {
  id?: string;
  name?: string;
  run?: string;
}

/** The run script of a workflow step, found by id or name. */
function script(workflow: string, job: string, step: string): string {
  const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', workflow), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const found = wf.jobs[job]?.steps.find((s) => s.id === step || s.name === step);
  if (!found?.run) throw new Error(`no run step '${step}' in ${workflow} job ${job}`);
  return found.run;
}

const tmp = mkdtempSync(join(tmpdir(), 'workflow-steps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDir = (name: string) => {
  const dir = join(tmp, `${name}-${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

interface StepResult {
  status: number;
  stdout: string;
  outputs: Record<string, string>;
}

/**
 * bash by its path, for the fakes' first line: a fake is called many times in a loop (a step polls
 * `gh`), and `#!/usr/bin/env bash` would start two programs per call instead of one.
 */
const BASH = execFileSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();

/** Runs a step's script in `cwd` with `env`, and `fakes` (name → bash script) first on PATH. */
function runStep(run: string, opts: { cwd?: string; env?: Record<string, string>; fakes?: Record<string, string> } = {}): StepResult {
  const dir = freshDir('step');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [name, body] of Object.entries(opts.fakes ?? {})) {
    writeFileSync(join(bin, name), `#!${BASH}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const output = join(dir, 'output');
  writeFileSync(output, '');
  writeFileSync(join(dir, 'step.sh'), run);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'step.sh')], {
    cwd: opts.cwd ?? dir,
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: dir,
      GITHUB_REPOSITORY: 'acme/ion-actions',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      ...opts.env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: r.status ?? -1, stdout: `${r.stdout}${r.stderr}`, outputs };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } }).trim();

/**
 * A repository with one commit per tag given, each tag on its own commit, and a bare origin. Made
 * by one bash script rather than a process started from here per git command (each costs more
 * from this large process than from bash).
 */
function repoWithTags(tags: string[]): { work: string; origin: string; commitOf: (tag: string) => string } {
  const origin = freshDir('origin');
  const work = freshDir('work');
  execFileSync(
    BASH,
    [
      '-euc',
      `git -C "$1" init --bare -q
      cd "$2"
      git init -q
      git remote add origin "$1"
      shift 2
      for tag in "$@"; do
        printf %s "$tag" >file
        git add file
        git -c user.name=t -c user.email=t@example.com commit -q -m "$tag"
        git tag "$tag"
      done`,
      'make-repo',
      origin,
      work,
      ...tags,
    ],
    { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work } },
  );
  return { work, origin, commitOf: (tag) => git(work, 'rev-parse', `${tag}^{commit}`) };
}

describe('ion.yml: the plan', () => {
  const plan = script('ion.yml', 'push', 'plan');
  const env = (over: Record<string, string>) => ({
    ION_GROUPS: 'prod',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:1:stateMachine:d',
    DEPLOY_REF: 'refs/tags/v',
    EVENT: 'push',
    REF: 'refs/tags/v1.2.0',
    ...over,
  });

  it.each([
    ['a tag deploys every group', {}, 'true'],
    ['a pull request never deploys', { EVENT: 'pull_request', REF: 'refs/pull/3/merge' }, 'false'],
    ['the default branch pushes only', { REF: 'refs/heads/main' }, 'false'],
    ['deploy-ref can name a branch', { REF: 'refs/heads/main', DEPLOY_REF: 'refs/heads/main' }, 'true'],
    ['no groups: push only', { ION_GROUPS: '' }, 'false'],
    ['an empty deploy-ref never deploys', { DEPLOY_REF: '' }, 'false'],
  ])('%s', (_what, over, deploy) => {
    const r = runStep(plan, { env: env(over) });
    expect(r.status).toBe(0);
    expect(r.outputs.deploy).toBe(deploy);
  });

  it.each([
    ['pull_request', 'true'],
    ['pull_request_target', 'true'],
    ['merge_group', 'true'],
    ['push', 'false'],
    ['workflow_dispatch', 'false'],
  ])('a %s event validates only: %s', (event, validate) => {
    const r = runStep(plan, { env: env({ EVENT: event }) });
    expect(r.outputs.validate).toBe(validate);
    if (validate === 'true') expect(r.outputs.deploy).toBe('false');
  });

  it('reads groups separated by spaces, commas and new lines into the matrix array', () => {
    const r = runStep(plan, { env: env({ ION_GROUPS: ' prod-a, prod.b\n\tprod_c ,,d ' }) });
    expect(JSON.parse(r.outputs.groups!)).toEqual(['prod-a', 'prod.b', 'prod_c', 'd']);
    expect(JSON.parse(runStep(plan, { env: env({ ION_GROUPS: '' }) }).outputs.groups!)).toEqual([]);
  });

  it('refuses a group name CodeDeploy would not have, without printing it', () => {
    for (const bad of ['a;b', '$(touch pwned)', '"x"', 'a/b', '::error::forged']) {
      const r = runStep(plan, { env: env({ ION_GROUPS: `ok ${bad}` }) });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('The groups input must be CodeDeploy deployment group names');
      expect(runnerCommands(r.stdout).map((c) => c.name)).toEqual(['error']);
    }
  });

  it('asks for state-machine-arn when it is to deploy', () => {
    const r = runStep(plan, { env: env({ STATE_MACHINE_ARN: '' }) });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Set the state-machine-arn input');
    expect(runStep(plan, { env: env({ STATE_MACHINE_ARN: '', EVENT: 'pull_request' }) }).status).toBe(0);
  });
});

describe('ion.yml: the ion-actions checkout', () => {
  it('leaves the application tree clean (push names a revision after the commit only then)', () => {
    const { work } = repoWithTags(['v0']);
    mkdirSync(join(work, '.ion-actions', 'push'), { recursive: true });
    writeFileSync(join(work, '.ion-actions', 'push', 'action.yml'), 'name: x');
    expect(git(work, 'status', '--porcelain', '--untracked-files=all')).not.toBe('');
    const r = runStep(script('ion.yml', 'push', "Keep .ion-actions out of the application's git status"), { cwd: work });
    expect(r.status).toBe(0);
    expect(git(work, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });
});

describe('release.yml: tag, package.json and CHANGELOG.md', () => {
  const agree = script('release.yml', 'release', 'The tag, package.json and CHANGELOG.md agree');
  const project = (version: string, changelog: string) => {
    const dir = freshDir('project');
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'changelog-section.mjs'), readFileSync(join(ROOT, 'scripts', 'changelog-section.mjs')));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version }));
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    return dir;
  };

  it('writes the version’s notes for the release', () => {
    const dir = project('1.2.0', '# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-12-01\n\n### Fixed\n\n- a thing\n');
    const r = runStep(agree, { cwd: dir, env: { TAG: 'v1.2.0', RUNNER_TEMP: dir } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('### Fixed\n\n- a thing\n');
  });

  it('stops when package.json names another version', () => {
    const dir = project('1.1.0', '## [1.2.0] - 2026-12-01\n- a thing\n');
    const r = runStep(agree, { cwd: dir, env: { TAG: 'v1.2.0', RUNNER_TEMP: dir } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('package.json says 1.1.0 but the tag is v1.2.0: bump package.json');
  });

  it('stops when CHANGELOG.md has no notes for the version', () => {
    const dir = project('1.2.0', '## [Unreleased]\n- a thing\n');
    const r = runStep(agree, { cwd: dir, env: { TAG: 'v1.2.0', RUNNER_TEMP: dir } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('CHANGELOG.md has no section for 1.2.0');
    expect(r.stdout).toContain('CHANGELOG.md has no usable section for v1.2.0');
  });
});

describe('release.yml: CI passed on the tagged commit', () => {
  const ci = script('release.yml', 'release', 'CI passed on the tagged commit');
  /** A `gh` that answers the n-th call with the n-th answer (the last one again after that) and logs its arguments. */
  const gh = (answers: string[]) => {
    const dir = freshDir('gh');
    for (const [i, a] of answers.entries()) writeFileSync(join(dir, `answer-${i + 1}`), a);
    // bash builtins only: the step calls it in a loop, and each program started costs (one call per poll).
    return [
      `dir=${dir}`,
      'n=0; [ -f "$dir/count" ] && read -r n <"$dir/count"; n=$((n + 1)); echo "$n" >"$dir/count"',
      'echo "$*" >>"$dir/calls"',
      `f="$dir/answer-$n"; [ -f "$f" ] || f="$dir/answer-${answers.length}"`,
      'while IFS= read -r line || [ -n "$line" ]; do printf \'%s\\n\' "$line"; done <"$f"',
    ].join('\n');
  };
  const run = (answers: string[]) => {
    const { work, commitOf } = repoWithTags(['v1.0.0']);
    const r = runStep(ci, { cwd: work, env: { TAG: 'v1.0.0', GH_TOKEN: 't' }, fakes: { gh: gh(answers), sleep: 'exit 0' } });
    return { ...r, sha: commitOf('v1.0.0') };
  };
  const line = (status: string, conclusion: string, url: string) => `${status}\t${conclusion}\t${url}\n`;

  it('passes when a CI run on the commit succeeded', () => {
    const r = run([line('completed', 'failure', 'https://x/runs/1') + line('completed', 'success', 'https://x/runs/2')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`CI passed on ${r.sha}: https://x/runs/2`);
  });

  it('waits for a running CI, then passes', () => {
    const r = run([
      line('in_progress', 'none', 'https://x/runs/3'),
      line('in_progress', 'none', 'https://x/runs/3'),
      line('completed', 'success', 'https://x/runs/3'),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('CI is still running');
    expect(r.stdout.match(/still running/g)).toHaveLength(1);
  });

  it('fails, saying what to do, when CI failed', () => {
    const r = run([line('completed', 'failure', 'https://x/runs/4')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`CI failed on ${r.sha} (https://x/runs/4). Fix it on main, delete this tag`);
  });

  it('fails when CI never ran on the commit (waiting a little for a run to appear)', () => {
    const r = run(['']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('CI never ran on');
  });

  it('asks about this very commit’s pushes to main', () => {
    const { work, commitOf } = repoWithTags(['v1.0.0']);
    const fake = gh([line('completed', 'success', 'u')]);
    runStep(ci, { cwd: work, env: { TAG: 'v1.0.0', GH_TOKEN: 't' }, fakes: { gh: fake, sleep: 'exit 0' } });
    const calls = readFileSync(join(/dir=(.*)/.exec(fake)![1]!, 'calls'), 'utf8');
    expect(calls).toContain(`repos/acme/ion-actions/actions/workflows/ci.yml/runs?head_sha=${commitOf('v1.0.0')}&event=push`);
  });
});

describe('release.yml: the GitHub release', () => {
  const create = script('release.yml', 'release', 'Create the GitHub release');
  const withGh = (exists: boolean) => {
    const dir = freshDir('gh');
    const r = runStep(create, {
      env: { TAG: 'v1.2.0', GH_TOKEN: 't', RUNNER_TEMP: dir },
      fakes: { gh: `echo "$*" >>${dir}/calls; if [ "$2" = view ]; then exit ${exists ? 0 : 1}; fi` },
    });
    return { ...r, calls: readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') };
  };

  it('creates it from the tag with the notes', () => {
    const { status, calls } = withGh(false);
    expect(status).toBe(0);
    expect(calls[1]).toMatch(/^release create v1\.2\.0 --verify-tag --title v1\.2\.0 --notes-file .*notes\.md$/);
  });

  it('updates it when a re-run finds it', () => {
    const { status, calls } = withGh(true);
    expect(status).toBe(0);
    expect(calls[1]).toMatch(/^release edit v1\.2\.0 --title v1\.2\.0 --notes-file /);
  });
});

describe('release.yml: the major tag', () => {
  const move = script('release.yml', 'release', 'Move the major tag');
  const remoteTag = (origin: string, tag: string) => git(origin, 'rev-parse', `${tag}^{commit}`);

  it('moves v1 to the newest v1 release, and pushes it', () => {
    const { work, origin, commitOf } = repoWithTags(['v1.0.0', 'v1.1.0', 'v2.0.0']);
    const r = runStep(move, { cwd: work, env: { TAG: 'v1.1.0' } });
    expect(r.status).toBe(0);
    expect(remoteTag(origin, 'v1')).toBe(commitOf('v1.1.0'));
    // and again for the next release: it moves forward
    git(work, 'tag', 'v1.2.0', 'v2.0.0');
    expect(runStep(move, { cwd: work, env: { TAG: 'v1.2.0' } }).status).toBe(0);
    expect(remoteTag(origin, 'v1')).toBe(commitOf('v1.2.0'));
  });

  it('never moves it back for a patch of an older minor', () => {
    const { work, origin, commitOf } = repoWithTags(['v1.0.0', 'v1.1.0', 'v1.0.1']);
    git(work, 'tag', 'v1', 'v1.1.0');
    git(work, 'push', '-q', 'origin', 'refs/tags/v1');
    const r = runStep(move, { cwd: work, env: { TAG: 'v1.0.1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('v1 stays on v1.1.0, which is newer than v1.0.1.');
    expect(remoteTag(origin, 'v1')).toBe(commitOf('v1.1.0'));
  });

  it('orders versions as numbers (v1.10.0 is newer than v1.9.0)', () => {
    const { work, origin, commitOf } = repoWithTags(['v1.9.0', 'v1.10.0']);
    expect(runStep(move, { cwd: work, env: { TAG: 'v1.10.0' } }).status).toBe(0);
    expect(remoteTag(origin, 'v1')).toBe(commitOf('v1.10.0'));
  });
});

describe('workflow steps', () => {
  it.each(['ion.yml', 'release.yml'])('%s passes outside values to run scripts through env, never inline', (file) => {
    const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')) as { jobs: Record<string, { steps?: Step[] }> };
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) if (step.run) expect(step.run).not.toContain('${{');
    }
  });
});
