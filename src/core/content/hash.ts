import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { identityOf, type JarFactsCache, processJarFacts } from './jar-cache.js';

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
  const { fd } = openRegularSync(path);
  try {
    return hashFd(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * sha256FileSync for a jar, through the jar facts cache (jar-cache.ts): a file whose identity
 * (device, inode, size, mtime, ctime, from the fstat of the opened file) has a recorded SHA-256 is
 * not read. A hash is recorded only when the file's identity is the same after the read as before
 * and every byte of it was hashed, so a jar rewritten while it was read is never recorded.
 */
export function sha256JarSync(
  path: string,
  facts: JarFactsCache = processJarFacts(),
  /** The jar's stat taken when this push classified it (see classpath-entries.ts classifiedStats): its identity, without a stat of its own. */
  classified?: Stats,
): { sha256: string; size: number; cached: boolean } {
  // A known jar needs only its identity: one stat instead of open, fstat and close (the same fields).
  const seen = classified?.isFile() ? classified : statIfFile(path);
  const hit = seen && facts.get(identityOf(path, seen))?.sha256;
  if (seen && hit !== undefined) return { sha256: hit, size: seen.size, cached: true };
  const { fd, stats } = openRegularSync(path);
  try {
    const id = identityOf(path, stats);
    const known = facts.get(id)?.sha256;
    if (known !== undefined) return { sha256: known, size: stats.size, cached: true };
    const hashed = hashFd(fd);
    const after = identityOf(path, fstatSync(fd));
    if (hashed.size === id.size && JSON.stringify(after) === JSON.stringify(id)) facts.remember(id, { sha256: hashed.sha256 });
    return { ...hashed, cached: false };
  } finally {
    closeSync(fd);
  }
}

/** stat (following links, as open does) of a regular file; undefined for anything else or on any error. */
export function statIfFile(path: string): Stats | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

// O_NONBLOCK and the type check: a jar swapped for a FIFO or a device is refused, never waited on.
function openRegularSync(path: string): { fd: number; stats: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new Error(`${path} is not a regular file; push reads only regular files and directories`);
  }
  return { fd, stats };
}

function hashFd(fd: number): { sha256: string; size: number } {
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
}
