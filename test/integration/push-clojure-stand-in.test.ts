/**
 * The `clojure -Spath` stand-in's classpath cache (local-cloud/bin/clojure; docs/test-environment.md):
 * like the Clojure CLI's .cpcache, an identical call is answered without a JVM, and anything the answer
 * depends on makes it resolve again. `java` here is a fake on PATH that counts its starts and answers what
 * the project directory tells it to, so every case is quick; the push tests run the stand-in with the real
 * tools.deps.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';

let root: string;
let fakeBin: string;
let cache: string;
let javaLog: string;

/** A `java` that records each start, writes the local manifests the project lists, and prints its classpath. */
const FAKE_JAVA = `#!/bin/sh
echo "start \${FAKE_JAVA_TAG:-}" >>"$FAKE_JAVA_LOG"
if [ -f fake-wait-for ]; then while [ ! -e "$(cat fake-wait-for)" ]; do sleep 0.05; done; fi
for last in "$@"; do :; done
manifests=$(printf '%s\\n' "$last" | sed -n 's/.*(spit "\\([^"]*\\)".*/\\1/p')
if [ -f fake-manifests ]; then cp fake-manifests "$manifests"; else : >"$manifests"; fi
if [ -f fake-exit ]; then echo "fake tools.deps failure" >&2; exit "$(cat fake-exit)"; fi
cat fake-classpath
`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stand-in-cache-'));
  fakeBin = join(root, 'bin');
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'java'), FAKE_JAVA);
  chmodSync(join(fakeBin, 'java'), 0o755);
  cache = join(root, 'cache');
  javaLog = join(root, 'java.log');
  writeFileSync(javaLog, '');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

let projects = 0;
/** A project directory: its deps.edn and what the fake tools.deps answers there. */
function project(deps: string, classpath: string, extra: Record<string, string> = {}): string {
  const dir = join(root, `p${++projects}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'deps.edn'), deps);
  writeFileSync(join(dir, 'fake-classpath'), `${classpath}\n`);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs the stand-in; `jvms` is how many times it started java. */
function clojure(dir: string, ...args: string[]): { status: number | null; stdout: string; jvms: number } {
  const before = readFileSync(javaLog, 'utf8').length;
  const r = spawnSync(join(STAND_IN_BIN, 'clojure'), ['-Spath', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: standInEnv(),
  });
  const jvms = readFileSync(javaLog, 'utf8').slice(before).split('\n').filter(Boolean).length;
  return { status: r.status, stdout: r.stdout, jvms };
}

const standInEnv = (tag = '') => ({
  ...process.env,
  PATH: `${fakeBin}${delimiter}${process.env.PATH}`,
  FAKE_JAVA_LOG: javaLog,
  FAKE_JAVA_TAG: tag,
  CLOJURE_STAND_IN_CACHE: cache,
});

/** The stand-in, not waited for; `tag` marks the java it starts in the log. */
function clojureAtOnce(dir: string, tag: string): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(STAND_IN_BIN, 'clojure'), ['-Spath'], { cwd: dir, env: standInEnv(tag), stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

const javaStarted = (tag: string) => readFileSync(javaLog, 'utf8').split('\n').includes(`start ${tag}`);

/** Is a `flock` process waiting in this directory (the stand-in waiting for the lock)? Linux's /proc. */
function flockWaitingIn(dir: string): boolean {
  const real = realpathSync(dir);
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8') === 'flock\n' && readlinkSync(`/proc/${pid}/cwd`) === real;
      } catch {
        return false; // gone meanwhile
      }
    });
}

/** Polls (no time limit of its own: jest's test timeout is the bound). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

describe('the clojure stand-in keeps a classpath as the CLI does', () => {
  test('an identical call is answered from the cache, without a JVM, with the same output', () => {
    const jar = join(root, 'lib-1.0.jar');
    writeFileSync(jar, 'jar');
    const deps = '{:deps {lib/lib {:mvn/version "1.0"}}}\n';
    const first = clojure(project(deps, `src:${jar}`), '-A:dev');
    expect(first).toEqual({ status: 0, stdout: `src:${jar}\n`, jvms: 1 });
    // Another directory with the same deps.edn (a fresh copy of a project) shares the entry.
    expect(clojure(project(deps, 'never printed'), '-A:dev')).toEqual({ ...first, jvms: 0 });
  });

  test('other aliases, other deps.edn bytes and -Sforce resolve again', () => {
    const deps = '{:paths ["src"]}\n';
    const dir = project(deps, 'src');
    expect(clojure(dir).jvms).toBe(1);
    expect(clojure(dir).jvms).toBe(0);
    expect(clojure(dir, '-A:dev').jvms).toBe(1);
    expect(clojure(dir, '-A:dev:test').jvms).toBe(1);
    expect(clojure(dir, '-Sforce').jvms).toBe(1);
    writeFileSync(join(dir, 'deps.edn'), `${deps};; edited\n`);
    expect(clojure(dir).jvms).toBe(1);
    expect(clojure(dir).jvms).toBe(0);
  });

  test('a failing resolution is never kept: each call runs tools.deps and fails with its status', () => {
    const dir = project('{:paths ["src"] :broken}\n', 'src', { 'fake-exit': '3' });
    for (let i = 0; i < 2; i++) expect(clojure(dir)).toEqual({ status: 3, stdout: '', jvms: 1 });
  });

  test('an entry whose jar or directory is gone resolves again', () => {
    const jar = join(root, 'gone-1.0.jar');
    writeFileSync(jar, 'jar');
    const dir = project('{:deps {gone/gone {:mvn/version "1.0"}}}\n', `src:${jar}`);
    expect(clojure(dir).jvms).toBe(1);
    expect(clojure(dir).jvms).toBe(0);
    rmSync(jar);
    expect(clojure(dir).jvms).toBe(1);
  });

  test('a :local/root project: keyed by its directory too, and resolved again when a local dependency manifest changes', () => {
    const lib = join(root, 'local-lib');
    mkdirSync(join(lib, 'src'), { recursive: true });
    writeFileSync(join(lib, 'deps.edn'), '{:paths ["src"]}\n');
    const deps = '{:deps {local/lib {:local/root "../local-lib"}}}\n';
    const manifests = `${join(lib, 'deps.edn')}\n${join(lib, 'pom.xml')}\n`;
    const dir = project(deps, `src:${join(lib, 'src')}`, { 'fake-manifests': manifests });
    expect(clojure(dir).jvms).toBe(1);
    expect(clojure(dir).jvms).toBe(0);
    // The same deps.edn elsewhere: a relative root may name another directory.
    expect(clojure(project(deps, `src:${join(lib, 'src')}`, { 'fake-manifests': manifests })).jvms).toBe(1);
    writeFileSync(join(lib, 'deps.edn'), '{:paths ["src" "more"]}\n');
    expect(clojure(dir).jvms).toBe(1);
    expect(clojure(dir).jvms).toBe(0);
    writeFileSync(join(lib, 'pom.xml'), '<project/>\n'); // a manifest that appears counts too
    expect(clojure(dir).jvms).toBe(1);
  });

  test('identical calls at once start one JVM: the second waits for the first, then answers from its entry', async () => {
    const release = join(root, 'release');
    const deps = '{:paths ["src"] :at-once true}\n';
    const first = project(deps, 'src:at-once', { 'fake-wait-for': release });
    const second = project(deps, 'never printed');
    const a = clojureAtOnce(first, 'A');
    await until(() => javaStarted('A'));
    const b = clojureAtOnce(second, 'B');
    // The first resolution ends only once the second waits for it, or (without the lock) has started its own java.
    await until(() => javaStarted('B') || flockWaitingIn(second));
    writeFileSync(release, '');
    expect(await a).toEqual({ status: 0, stdout: 'src:at-once\n' });
    expect(await b).toEqual({ status: 0, stdout: 'src:at-once\n' });
    expect(javaStarted('B')).toBe(false);
  });

  test('the cache sits outside the project: its git tree stays clean', () => {
    const dir = project('{:paths ["src"] :git true}\n', 'src');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'project');
    expect(clojure(dir).jvms).toBe(1);
    expect(clojure(dir).jvms).toBe(0);
    expect(git('status', '--porcelain', '--ignored')).toBe('');
  });
});
