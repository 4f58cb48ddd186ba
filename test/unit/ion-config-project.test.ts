/**
 * Validation of a project as push does it (readProjectResources, then validateProject), on real
 * directories and jars: ns forms checked against ion-config's symbols, and a missing ion-config explained.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ClassifiedEntry } from '../../src/core/classpath/classify-entry.js';
import { readProjectResources, validateProject } from '../../src/core/push/validate-project.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ion-config-project-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function project(name: string, contents: Record<string, string>): Promise<string> {
  const root = join(tmp, name);
  for (const [path, text] of Object.entries(contents)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await mkdir(root, { recursive: true });
  return root;
}

const dirEntry = (projectDir: string, raw: string): ClassifiedEntry => ({
  raw,
  path: join(projectDir, raw),
  kind: 'project',
  packaging: 'dir',
  origin: raw,
});

async function jarEntry(path: string, contents: Record<string, string>): Promise<ClassifiedEntry> {
  await mkdir(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(contents)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return { raw: path, path, kind: 'maven', packaging: 'jar', origin: 'my/lib 1.0' };
}

const errors = (problems: readonly { severity: string; message: string; line?: number; column?: number }[]) =>
  problems.filter((p) => p.severity === 'error').map((p) => [p.line, p.column, p.message]);

describe('readProjectResources + validateProject: ns forms', () => {
  it('refuses my_lib.core/f where src/my_lib/core.clj declares my-lib.core, on the symbol', async () => {
    const dir = await project('mismatch', {
      'src/my_lib/core.clj': '(ns my-lib.core)\n(defn f [x] x)\n',
      'resources/datomic/ion-config.edn': '{:app-name "a"\n :lambdas {:f {:fn my_lib.core/f}}\n :allow [my-lib.core/f]}',
    });
    const resources = await readProjectResources([dirEntry(dir, 'src'), dirEntry(dir, 'resources')], dir);
    const { config, problems } = validateProject(resources, null);
    expect(config).toBeNull();
    expect(problems.every((p) => p.severity !== 'error' || p.file === join(dir, 'resources/datomic/ion-config.edn'))).toBe(true);
    expect(errors(problems)).toEqual([
      [
        2,
        20,
        'namespace my_lib.core (for my_lib.core/f) is not the one its file declares: src/my_lib/core.clj declares (ns my-lib.core), so my_lib.core/f does not resolve on the cluster; write my-lib.core/f',
      ],
    ]);
  });

  it('checks namespaces that come from jars, and passes matching ones', async () => {
    const dir = await project('jar', {
      'src/app/core.clj': ';; the app\n(ns ^{:doc "app"} app.core)',
      'resources/datomic/ion-config.edn': '{:app-name "a" :allow [app.core/f the_lib.api/g]}',
    });
    const lib = await jarEntry(join(tmp, 'jar-m2/the-lib-1.0.jar'), { 'the_lib/api.clj': '(ns the-lib.api)' });
    const resources = await readProjectResources([dirEntry(dir, 'src'), dirEntry(dir, 'resources'), lib], dir);
    expect(errors(validateProject(resources, null).problems)).toEqual([
      [
        1,
        35,
        'namespace the_lib.api (for the_lib.api/g) is not the one its file declares: the-lib-1.0.jar!/the_lib/api.clj declares (ns the-lib.api), so the_lib.api/g does not resolve on the cluster; write the-lib.api/g',
      ],
    ]);
  });

  it('passes the examples and fixtures as they are', async () => {
    for (const root of ['examples/hello-ion', 'test/fixtures/sample-app']) {
      const resources = await readProjectResources([dirEntry(root, 'src'), dirEntry(root, 'resources')], root);
      expect(resources.declarations.size).toBeGreaterThan(0);
      // Their jars are not on this classpath, so only errors about missing namespaces may remain.
      const { problems } = validateProject(resources, null);
      expect(problems.filter((p) => p.severity === 'error' && !p.message.includes('is not on the classpath'))).toEqual([]);
    }
  });
});

describe('readProjectResources: ion-config left off the classpath', () => {
  it('says resources/datomic/ion-config.edn exists but "resources" is not on the classpath', async () => {
    const dir = await project('no-resources', {
      'src/app/core.clj': '(ns app.core)',
      'resources/datomic/ion-config.edn': '{:app-name "a"}',
    });
    const { problems, ionConfig } = await readProjectResources([dirEntry(dir, 'src')], dir);
    expect(ionConfig).toBeNull();
    expect(problems).toEqual([
      {
        severity: 'error',
        message:
          'resources/datomic/ion-config.edn exists but its directory "resources" is not on the classpath, so the cluster would not find datomic/ion-config.edn: add "resources" to :paths in deps.edn (or to the alias you push with)',
      },
    ]);
  });

  it('finds it in another directory too, one or two levels down, resources first', async () => {
    const dir = await project('dev-resources', {
      'src/app/core.clj': '(ns app.core)',
      'dev/resources/datomic/ion-config.edn': '{:app-name "a"}',
      'zzz/datomic/ion-config.edn': '{:app-name "a"}',
    });
    const { problems } = await readProjectResources([dirEntry(dir, 'src')], dir);
    expect(problems[0]?.message).toMatch(/^zzz\/datomic\/ion-config.edn exists but its directory "zzz" is not on the classpath/);
    const both = await project('both', { 'conf/datomic/ion-config.edn': '{}', 'resources/datomic/ion-config.edn': '{}' });
    expect((await readProjectResources([], both)).problems[0]?.message).toMatch(/^resources\/datomic\/ion-config.edn exists but/);
    const deep = await project('deep', { 'dev/resources/datomic/ion-config.edn': '{}' });
    expect((await readProjectResources([], deep)).problems[0]?.message).toContain('add "dev/resources" to :paths');
  });

  it('keeps the old advice when there is no such file anywhere (or no project directory is given)', async () => {
    const dir = await project('nothing', { 'src/app/core.clj': '(ns app.core)', 'node_modules/x/datomic/ion-config.edn': '{}' });
    const advice =
      'No datomic/ion-config.edn in any classpath directory: create resources/datomic/ion-config.edn with at least {:app-name "my-app"} and make sure "resources" is in :paths.';
    expect((await readProjectResources([dirEntry(dir, 'src')], dir)).problems.map((p) => p.message)).toEqual([advice]);
    const other = await project('no-dir-given', { 'resources/datomic/ion-config.edn': '{}' });
    expect((await readProjectResources([dirEntry(other, 'src')])).problems.map((p) => p.message)).toEqual([advice]);
  });
});
