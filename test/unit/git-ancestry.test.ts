/**
 * Commit order from a real git checkout (src/core/git/ancestry.ts): a full clone answers every
 * relation; a shallow one (what actions/checkout makes by default) says when it cannot tell.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitAncestry } from '../../src/core/git/ancestry.js';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' }).trim();

describe('GitAncestry', () => {
  let root: string;
  let repo: string;
  const c: Record<string, string> = {};
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ion-ancestry-'));
    repo = join(root, 'repo');
    git(root, 'init', '-q', '-b', 'main', repo);
    const commit = (name: string) => {
      writeFileSync(join(repo, 'f'), name);
      git(repo, 'commit', '-q', '-am', name);
      c[name] = git(repo, 'rev-parse', 'HEAD');
    };
    writeFileSync(join(repo, 'f'), '0');
    git(repo, 'add', 'f');
    git(repo, 'commit', '-q', '-m', 'root');
    c.root = git(repo, 'rev-parse', 'HEAD');
    commit('v1');
    commit('v2');
    commit('v3');
    git(repo, 'checkout', '-q', '-b', 'side', c.v1!);
    commit('side');
    git(repo, 'checkout', '-q', 'main');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a full checkout tells descendant, ancestor, same and diverged', async () => {
    const a = new GitAncestry(repo);
    expect(await a.relate(c.v3!, c.v1!)).toEqual({ relation: 'descendant', source: 'git' });
    expect(await a.relate(c.v1!, c.v3!)).toEqual({ relation: 'ancestor', source: 'git' });
    expect(await a.relate(c.v2!, c.v2!)).toEqual({ relation: 'same', source: 'git' });
    expect(await a.relate(c.v3!, c.side!)).toEqual({ relation: 'diverged', source: 'git' });
  });

  test('a shallow clone lacking a commit says it cannot tell, and why', async () => {
    const shallow = join(root, 'shallow1');
    git(root, 'clone', '-q', '--depth', '1', '--branch', 'main', `file://${repo}`, shallow);
    const answer = await new GitAncestry(shallow).relate(c.v3!, c.v1!);
    expect(answer).toMatchObject({ relation: 'unknown', source: 'git', why: expect.stringContaining(c.v1!.slice(0, 12)) });
    expect(answer.why).toContain('fetch-depth: 0');
  });

  test('a shallow clone with both commits believes "contains", but not "does not contain"', async () => {
    const shallow = join(root, 'shallow2');
    git(root, 'clone', '-q', '--depth', '2', '--no-single-branch', `file://${repo}`, shallow);
    const a = new GitAncestry(shallow);
    // v2 and v3 are both in the last two commits of main.
    expect(await a.relate(c.v3!, c.v2!)).toEqual({ relation: 'descendant', source: 'git' });
    // side (depth 2 of its branch: side and v1) and v3: both present, but the history between them is cut.
    const cut = await a.relate(c.v3!, c.side!);
    expect(cut).toMatchObject({ relation: 'unknown', why: expect.stringContaining('shallow') });
  });

  test('not a checkout, or not a commit SHA: unknown, and git is never given the text', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ion-no-git-'));
    expect(await new GitAncestry(empty).relate(c.v3!, c.v1!)).toMatchObject({
      relation: 'unknown',
      why: expect.stringContaining('not a git checkout'),
    });
    rmSync(empty, { recursive: true, force: true });
    expect(await new GitAncestry(repo).relate('--output=/tmp/x', c.v1!)).toMatchObject({
      relation: 'unknown',
      why: 'a commit is not a full SHA',
    });
    expect(await new GitAncestry(repo).relate('f'.repeat(40), c.v1!)).toMatchObject({
      relation: 'unknown',
      why: expect.stringContaining('ffffffffffff'),
    });
  });
});
