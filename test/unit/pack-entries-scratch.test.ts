/**
 * packEntries' scratch zips (src/core/push/pack-entries.ts): removed once, by whichever disposal
 * comes first; the background one leaves nothing behind and a later disposal does nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifiedEntry } from '../../src/core/classpath/classify-entry.js';
import { disposePacked, disposePackedInBackground, packEntries } from '../../src/core/push/pack-entries.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'pack-scratch-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A source directory as classpath entry, and the temp directory its zip goes to. */
function sourceDir(): { entries: ClassifiedEntry[]; temp: string } {
  const src = join(root, 'src');
  mkdirSync(join(src, 'app'), { recursive: true });
  writeFileSync(join(src, 'app', 'core.clj'), '(ns app.core)\n');
  const temp = join(root, 'temp');
  mkdirSync(temp);
  const entry: ClassifiedEntry = { raw: src, path: src, origin: 'src', kind: 'project', packaging: 'dir' };
  return { entries: [entry], temp };
}

describe('packEntries scratch zips', () => {
  test('the background disposal removes the zips before it resolves; a later disposal does nothing', async () => {
    const { entries, temp } = sourceDir();
    const packed = await packEntries(entries, 'ions', () => undefined, { tempDir: temp });
    const zip = packed[0]!.object.body;
    expect('path' in zip && existsSync(zip.path)).toBe(true);
    expect(readdirSync(temp)).toHaveLength(1);
    await disposePackedInBackground(packed);
    expect(readdirSync(temp)).toEqual([]);
    // A directory that reappears under the same name is not the disposal's to remove any more.
    mkdirSync(join(temp, 'someone-else'));
    disposePacked(packed);
    await disposePackedInBackground(packed);
    expect(readdirSync(temp)).toEqual(['someone-else']);
  });

  test('the synchronous disposal after a background one already started does not throw, and nothing is left', async () => {
    const { entries, temp } = sourceDir();
    const packed = await packEntries(entries, 'ions', () => undefined, { tempDir: temp });
    const background = disposePackedInBackground(packed);
    disposePacked(packed);
    await background;
    expect(readdirSync(temp)).toEqual([]);
  });
});
