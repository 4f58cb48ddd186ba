import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prefetchGitState, readGitState } from '../../src/core/git/read-git-state.js';
import { git } from '../support/sample-project.js';

function repo(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'git-state-')));
  git(root, 'init', '-q', '-b', 'main');
  mkdirSync(join(root, 'app', 'src'), { recursive: true });
  writeFileSync(join(root, 'app', 'deps.edn'), '{}\n');
  writeFileSync(join(root, 'README'), 'x\n');
  return root;
}

describe('readGitState', () => {
  test('from a subdirectory: the root, HEAD, and every change in the whole tree, with paths from the root', async () => {
    const root = repo();
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'one');
    writeFileSync(join(root, 'README'), 'changed\n');
    writeFileSync(join(root, 'app', 'src', 'new.clj'), '(ns new)\n');
    const fromSub = await readGitState(join(root, 'app'));
    const fromRoot = await readGitState(root);
    expect(fromSub).toEqual(fromRoot);
    expect(fromSub).toEqual({ root, commit: git(root, 'rev-parse', 'HEAD'), dirty: [' M README', '?? app/src/new.clj'] });
  });

  test('a repository without commits: no commit, its files untracked', async () => {
    const root = repo();
    expect(await readGitState(join(root, 'app'))).toEqual({ root, commit: null, dirty: ['?? README', '?? app/deps.edn'] });
  });

  test('outside a work tree: null', async () => {
    expect(await readGitState(realpathSync(mkdtempSync(join(tmpdir(), 'no-git-'))))).toBeNull();
  });

  test('inside the .git directory (not a work tree): null', async () => {
    const root = repo();
    expect(await readGitState(join(root, '.git'))).toBeNull();
  });

  test('a root whose name holds a line break, spaces and a command is read whole, with and without commits', async () => {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'git-state-')));
    const root = join(parent, ' two\nlines ::warning::x ');
    mkdirSync(join(root, 'app'), { recursive: true });
    git(root, 'init', '-q', '-b', 'main');
    writeFileSync(join(root, 'app', 'deps.edn'), '{}\n');
    expect(await readGitState(join(root, 'app'))).toEqual({ root, commit: null, dirty: ['?? app/deps.edn'] });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'one');
    expect(await readGitState(join(root, 'app'))).toEqual({ root, commit: git(root, 'rev-parse', 'HEAD'), dirty: [] });
  });

  test('a prefetched read is taken once, by the next read of the same directory; other directories and later reads ask git afresh', async () => {
    const root = repo();
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'one');
    prefetchGitState(root);
    const early = await readGitState(root);
    writeFileSync(join(root, 'late.txt'), 'x\n');
    expect(early?.dirty).toEqual([]);
    // The prefetched answer was the one taken: a second read sees the new file.
    expect((await readGitState(root))?.dirty).toEqual(['?? late.txt']);
    prefetchGitState(join(root, 'app'));
    expect((await readGitState(root))?.dirty).toEqual(['?? late.txt']);
  });

  test('without a shell to run both commands in one process, git is asked directly: the same answers', async () => {
    const root = repo();
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'one');
    writeFileSync(join(root, 'README'), 'changed\n');
    const fresh = repo();
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'no-git-')));
    const dirs = [join(root, 'app'), fresh, outside];
    const withShell = await Promise.all(dirs.map((d) => readGitState(d)));
    const bin = realpathSync(mkdtempSync(join(tmpdir(), 'git-only-')));
    symlinkSync(execFileSync('sh', ['-c', 'command -v git']).toString().trim(), join(bin, 'git'));
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      expect(await Promise.all(dirs.map((d) => readGitState(d)))).toEqual(withShell);
    } finally {
      process.env.PATH = path;
    }
    expect(withShell[0]).toEqual({ root, commit: git(root, 'rev-parse', 'HEAD'), dirty: [' M README'] });
    expect(withShell[1]).toEqual({ root: fresh, commit: null, dirty: ['?? README', '?? app/deps.edn'] });
    expect(withShell[2]).toBeNull();
  });
});
