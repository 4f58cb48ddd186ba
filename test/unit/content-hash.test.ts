import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256FileSync, sha256Hex } from '../../src/core/content/hash.js';

const reference = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('sha256FileSync', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hash-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Empty, one byte, around the 1 MiB read buffer, and several buffers plus a tail.
  it.each([0, 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 9 * 1024 * 1024 + 12345])(
    'hashes a %i-byte file like crypto does',
    (size) => {
      const data = randomBytes(size);
      const path = join(dir, `f${size}`);
      writeFileSync(path, data);
      expect(sha256FileSync(path)).toEqual({ sha256: reference(data), size });
    },
  );

  it('hashes files one after another through the shared buffer without mixing them up', () => {
    const files = [3 * 1024 * 1024 + 7, 10, 2 * 1024 * 1024].map((size, i) => {
      const data = randomBytes(size);
      const path = join(dir, `seq${i}`);
      writeFileSync(path, data);
      return { path, expected: { sha256: reference(data), size } };
    });
    for (const f of files) expect(sha256FileSync(f.path)).toEqual(f.expected);
  });

  it('throws with the path when the file is missing', () => {
    expect(() => sha256FileSync(join(dir, 'nope'))).toThrow(/ENOENT.*nope/);
  });
});
