import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Files up to this size are read in one call: fewer round trips to the thread pool. */
const WHOLE_FILE_MAX = 4 * 1024 * 1024;
/** Read size for large files; big reads keep per-call overhead negligible. */
const CHUNK = 4 * 1024 * 1024;

export const sha256Hex = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');

/**
 * SHA-256 (hex) and size of a file's content. The size is the number of bytes hashed, so the two
 * always agree even if the file changes while it is read.
 */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size: statSize } = await fh.stat();
    if (statSize <= WHOLE_FILE_MAX) {
      const data = await fh.readFile();
      return { sha256: sha256Hex(data), size: data.length };
    }
    // Double-buffered: the next read runs on the thread pool while this thread hashes the
    // previous chunk, so throughput is that of the slower of the two, not their sum.
    const hash = createHash('sha256');
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)] as const;
    let which: 0 | 1 = 0;
    let position = 0;
    let pending = fh.read(bufs[which], 0, CHUNK, position);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      position += bytesRead;
      which = which === 0 ? 1 : 0;
      pending = fh.read(bufs[which], 0, CHUNK, position);
      hash.update(buffer.subarray(0, bytesRead));
    }
    return { sha256: hash.digest('hex'), size: position };
  } finally {
    await fh.close();
  }
}
