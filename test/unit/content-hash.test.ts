import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File, sha256Hex } from '../../src/core/content/hash.js';

const reference = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('sha256File', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hash-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Sizes around the whole-file/chunked switch (4 MiB) and the chunk size, plus empty.
  it.each([0, 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 9 * 1024 * 1024 + 12345])('hashes a %i-byte file like crypto does', async (size) => {
    const data = randomBytes(size);
    const path = join(dir, `f${size}`);
    writeFileSync(path, data);
    await expect(sha256File(path)).resolves.toEqual({ sha256: reference(data), size });
  });

  it('rejects with the path when the file is missing', async () => {
    await expect(sha256File(join(dir, 'nope'))).rejects.toThrow(/ENOENT.*nope/);
  });
});
