/**
 * The files behind ion-config's namespaces, read from real directories and jars: which file Clojure
 * would load, what its ns form declares, and that nothing but the head of a regular file is read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { readNsDeclarations, SOURCE_HEAD_BYTES, type SourceRoot } from '../../src/core/ion-config/ns-declarations.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ns-declarations-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function files(root: string, contents: Record<string, string>): Promise<string> {
  for (const [path, text] of Object.entries(contents)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

async function jarFile(path: string, contents: Record<string, string>): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(contents)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

const dir = (path: string, label = 'src'): SourceRoot => ({ path, isDirectory: true, label });
const jar = (path: string, label = 'lib.jar'): SourceRoot => ({ path, isDirectory: false, label });

describe('readNsDeclarations', () => {
  it('reads what the file of each namespace declares, keyed by resource path', async () => {
    const src = await files(join(tmp, 'a/src'), {
      'my_lib/core.clj': ';; the app\n(ns ^:no-doc my-lib.core\n  (:require [clojure.string]))\n',
      'fine/ns.clj': '(ns fine.ns)',
      'odd/file.clj': "(in-ns 'odd.file)",
    });
    const found = await readNsDeclarations([dir(src)], ['my_lib.core', 'fine.ns', 'odd.file', 'absent.ns']);
    expect(Object.fromEntries(found)).toEqual({
      'my_lib/core': { source: 'src/my_lib/core.clj', declares: 'my-lib.core' },
      'fine/ns': { source: 'src/fine/ns.clj', declares: 'fine.ns' },
      'odd/file': { source: 'src/odd/file.clj', declares: null },
    });
  });

  it('takes the file Clojure loads: the first .clj on the classpath, else the first .cljc', async () => {
    const first = await files(join(tmp, 'b/first'), { 'x/y.cljc': '#?(:clj (ns x.y-cljc))' });
    const second = await files(join(tmp, 'b/second'), { 'x/y.clj': '(ns x.y-second)', 'p/q.cljc': '(ns p.q-second)' });
    const third = await files(join(tmp, 'b/third'), { 'x/y.clj': '(ns x.y-third)', 'p/q.cljc': '(ns p.q-third)' });
    const found = await readNsDeclarations([dir(first, 'first'), dir(second, 'second'), dir(third, 'third')], ['x.y', 'p.q']);
    expect(found.get('x/y')).toEqual({ source: 'second/x/y.clj', declares: 'x.y-second' });
    expect(found.get('p/q')).toEqual({ source: 'second/p/q.cljc', declares: 'p.q-second' });
  });

  it('reads jars: the entry of the first jar that has it, named jar!/entry', async () => {
    const a = await jarFile(join(tmp, 'c/a.jar'), { 'other/thing.clj': '(ns other.thing)' });
    const b = await jarFile(join(tmp, 'c/b.jar'), { 'my_lib/core.clj': '(ns my-lib.core)', 'lib/x.cljc': '(ns lib.x)' });
    const c = await jarFile(join(tmp, 'c/c.jar'), { 'my_lib/core.clj': '(ns not.this.one)' });
    const found = await readNsDeclarations([jar(a, 'a.jar'), jar(b, 'b.jar'), jar(c, 'c.jar')], ['my_lib.core', 'lib.x']);
    expect(found.get('my_lib/core')).toEqual({ source: 'b.jar!/my_lib/core.clj', declares: 'my-lib.core' });
    expect(found.get('lib/x')).toEqual({ source: 'b.jar!/lib/x.cljc', declares: 'lib.x' });
  });

  it('keeps classpath order across many jars: the first jar with the .clj wins, over a .cljc before it', async () => {
    const roots: SourceRoot[] = [dir(await files(join(tmp, 'h/src'), { 'many/x.cljc': '(ns many.x-cljc)' }))];
    for (let i = 0; i < 40; i++) {
      const contents: Record<string, string> = { [`filler/n${i}.clj`]: `(ns filler.n${i})` };
      if (i === 21 || i === 35) contents['many/x.clj'] = `(ns many.x-jar${i})`;
      roots.push(jar(await jarFile(join(tmp, `h/lib${i}.jar`), contents), `lib${i}.jar`));
    }
    expect(await readNsDeclarations(roots, ['many.x'])).toEqual(
      new Map([['many/x', { source: 'lib21.jar!/many/x.clj', declares: 'many.x-jar21' }]]),
    );
  });

  it('with the jars already listed, opens only those whose listing has a wanted file: the same answer as reading each', async () => {
    const roots: SourceRoot[] = [];
    const listings: string[][] = [];
    for (let i = 0; i < 20; i++) {
      const contents: Record<string, string> = { [`filler/n${i}.clj`]: `(ns filler.n${i})` };
      if (i === 12 || i === 17) contents['many/y.clj'] = `(ns many.y-jar${i})`;
      roots.push(jar(await jarFile(join(tmp, `l/lib${i}.jar`), contents), `lib${i}.jar`));
      listings.push(Object.keys(contents));
    }
    const read = await readNsDeclarations(roots, ['many.y']);
    expect(read).toEqual(new Map([['many/y', { source: 'lib12.jar!/many/y.clj', declares: 'many.y-jar12' }]]));
    expect(await readNsDeclarations(roots, ['many.y'], listings)).toEqual(read);
    // A listing is trusted to leave a jar closed: one that omits the file skips that jar for the next.
    const omitted = listings.map((names, i) => (i === 12 ? names.filter((n) => n !== 'many/y.clj') : names));
    expect((await readNsDeclarations(roots, ['many.y'], omitted)).get('many/y')?.source).toBe('lib17.jar!/many/y.clj');
  });

  it('passes over jars that are missing, not zips, or not regular files, without waiting on a FIFO', async () => {
    const fifo = join(tmp, 'd/fifo.jar');
    await mkdir(dirname(fifo), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const notZip = await files(join(tmp, 'd'), { 'not-a-zip.jar': 'hello' });
    const good = await jarFile(join(tmp, 'd/good.jar'), { 'a/b.clj': '(ns a.b)' });
    const roots = [jar(fifo), jar(join(notZip, 'not-a-zip.jar')), jar(join(tmp, 'd/missing.jar')), jar('/dev/zero'), jar(good, 'good.jar')];
    expect(await readNsDeclarations(roots, ['a.b'])).toEqual(new Map([['a/b', { source: 'good.jar!/a/b.clj', declares: 'a.b' }]]));
  });

  it('reads only regular files: a FIFO or device in a directory is left unchecked, at once', async () => {
    const src = await files(join(tmp, 'e/src'), {});
    await mkdir(join(src, 'p'), { recursive: true });
    execFileSync('mkfifo', [join(src, 'p/fifo.clj')]);
    await symlink('/dev/zero', join(src, 'p/zero.clj'));
    expect(await readNsDeclarations([dir(src)], ['p.fifo', 'p.zero'])).toEqual(new Map());
  });

  it('does not read a source file whose link leads out of its boundary (by default, its directory)', async () => {
    const outside = await files(join(tmp, 'f/outside'), { 'secret.clj': '(ns secret.place)' });
    const src = await files(join(tmp, 'f/src'), {});
    await mkdir(join(src, 'q'), { recursive: true });
    await symlink(join(outside, 'secret.clj'), join(src, 'q/link.clj'));
    // The symlinked file is found (the JVM would load it) but not read: no guess about what it declares.
    expect(await readNsDeclarations([dir(src)], ['q.link'])).toEqual(new Map());
    // A link that stays within the boundary (the repository, for project directories) is read.
    const repo = join(tmp, 'f');
    await symlink(join(outside, 'secret.clj'), join(src, 'q/inside.clj'));
    expect(await readNsDeclarations([{ ...dir(src), boundary: repo }], ['q.inside', 'q.link'])).toEqual(
      new Map([
        ['q/inside', { source: 'src/q/inside.clj', declares: 'secret.place' }],
        ['q/link', { source: 'src/q/link.clj', declares: 'secret.place' }],
      ]),
    );
  });

  it(`reads at most the first ${SOURCE_HEAD_BYTES} bytes: an ns form past them is not guessed at`, async () => {
    const padding = `;; ${'x'.repeat(SOURCE_HEAD_BYTES)}\n`;
    const src = await files(join(tmp, 'g/src'), {
      'late/ns.clj': `${padding}(ns late.ns)`,
      'big/ns.clj': `(ns big.ns)\n${padding.repeat(50)}`,
    });
    expect(await readNsDeclarations([dir(src)], ['late.ns', 'big.ns'])).toEqual(
      new Map([
        ['late/ns', { source: 'src/late/ns.clj', declares: null }],
        ['big/ns', { source: 'src/big/ns.clj', declares: 'big.ns' }],
      ]),
    );
  });
});
