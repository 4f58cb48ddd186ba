import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * One read buffer, reused for every file. Measured on the CI machine kind (bench/push.ts): a fresh
 * buffer per file costs page faults that held hashing to 250–400 MB/s, and async reads add a
 * thread-pool round trip per chunk (~650 MB/s at best); synchronous reads into one warm 1 MiB
 * buffer hash at over 1 GB/s. Hashing is a phase of its own in push, so blocking the event loop for
 * it delays nothing.
 */
const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024);

export const sha256Hex = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');

/**
 * SHA-256 (hex) and size of a file's content, read synchronously. The size is the number of bytes
 * hashed, so the two always agree even if the file changes while it is read.
 */
export function sha256FileSync(path: string): { sha256: string; size: number } {
  // O_NONBLOCK and the type check: a jar swapped for a FIFO or a device is refused, never waited on.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a regular file; push reads only regular files and directories`);
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, null);
      if (n === 0) break;
      // update() consumes the bytes before returning, so the buffer can be refilled at once.
      hash.update(READ_BUFFER.subarray(0, n));
      size += n;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    closeSync(fd);
  }
}
