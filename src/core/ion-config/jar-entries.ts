/** The entry names of a jar (zip), read from its central directory; nothing is inflated. */
import { closeSync, readSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { identityOf, type JarFactsCache, processJarFacts } from '../content/jar-cache.js';
import { statIfFile } from '../content/hash.js';
import { openRegularFile, openRegularFileSync } from '../content/safe-tree.js';
import { plainZipEntryNames } from './zip-central-directory.js';

// Central directories are read in chunks of this size (about 12,000 entries).
const CHUNK = 1024 * 1024;

/**
 * Serves yauzl's small reads from one larger chunk, from a FileHandle its caller opens and closes.
 * yauzl reads each central directory record with its own read call: ~17,000 records in 200 jars
 * took 1.3 s that way, a few reads per jar instead.
 */
export class ChunkedReader extends yauzl.RandomAccessReader {
  private chunk: { start: number; data: Buffer } | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly chunkSize = CHUNK,
  ) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.slice(position, length).then(
      (data) => callback(null, data.copy(buffer, offset)),
      (e: Error) => callback(e),
    );
  }

  private async slice(position: number, length: number): Promise<Buffer> {
    let c = this.chunk;
    if (!c || position < c.start || position + length > c.start + c.data.length) {
      const data = Buffer.alloc(Math.max(0, Math.min(Math.max(length, this.chunkSize), this.size - position)));
      const { bytesRead } = await this.handle.read(data, 0, data.length, position);
      c = this.chunk = { start: position, data: data.subarray(0, bytesRead) };
    }
    return c.data.subarray(position - c.start, position - c.start + length);
  }

  // Entry contents (ns-declarations.ts inflates a few source files).
  override _readStreamForRange(start: number, end: number): Readable {
    return this.handle.createReadStream({ start, end: end - 1, autoClose: false });
  }
}

/** Reads the entry names from an opened jar (the default reads its central directory). */
export type EntryNameReader = (handle: FileHandle, size: number) => Promise<string[]>;

export interface JarEntryNamesOptions {
  facts?: JarFactsCache;
  read?: EntryNameReader;
  /**
   * The jar's stat (following links) taken when this push classified it: its identity for the
   * cache, instead of a stat of its own (see classpath-entries.ts classifiedStats).
   */
  seen?: Stats;
}

/**
 * The entry names the jar facts cache holds for the jar's identity (a stat, or `options.seen`), or
 * undefined when it holds none (the jar must be read: jarEntryNames). Synchronous: a push whose
 * jars are all known looks them all up without a promise each.
 */
export function knownJarEntryNames(path: string, options: { facts?: JarFactsCache; seen?: Stats } = {}): string[] | undefined {
  const facts = options.facts ?? processJarFacts();
  // A known jar needs only its identity: a synchronous stat (the fields fstat would give) instead of
  // an open, an fstat and a close, each a thread-pool round trip, 200 jars at a time.
  const seen = options.seen?.isFile() ? options.seen : statIfFile(path);
  const known = seen && facts.get(identityOf(path, seen))?.entries;
  // A copy: callers own their list, the cache keeps its own.
  return known ? [...known] : undefined;
}

/** Reads of the same identity in flight, so two readers at once share one read. */
const inFlight = new Map<string, Promise<readonly string[]>>();

/**
 * Entry names (directories end in '/'); throws when the file is missing, not a regular file (a
 * FIFO or /dev/zero is refused at once, never read) or not a zip.
 *
 * Each jar is read once per identity (path, device, inode, size, mtime, ctime from the fstat of
 * the opened file; see jar-cache.ts): the namespace index and the dependency-conflicts listing
 * both ask, and a cache loaded from a previous push may already know. A changed file has a new
 * identity and is read again.
 */
export async function jarEntryNames(path: string, options: JarEntryNamesOptions = {}): Promise<string[]> {
  const facts = options.facts ?? processJarFacts();
  const known = knownJarEntryNames(path, options);
  if (known !== undefined) return known;
  // An injected reader (tests) goes the general way; otherwise a plain zip is read synchronously.
  const plain = options.read ? undefined : plainEntryNamesSync(path, facts);
  if (plain !== undefined) return [...plain];
  const { handle, stats } = await openRegularFile(path, { followLink: true });
  const id = identityOf(path, stats);
  let names: readonly string[] | undefined;
  try {
    names = facts.get(id)?.entries;
    if (names === undefined) {
      const key = JSON.stringify(id);
      let reading = inFlight.get(key);
      if (!reading) {
        reading = (options.read ?? readCentralDirectory)(handle, stats.size);
        inFlight.set(key, reading);
        reading.then(
          (read) => facts.remember(id, { entries: read }),
          () => {},
        );
        void reading.finally(() => inFlight.delete(key)).catch(() => {});
      }
      names = await reading;
    }
  } finally {
    await handle.close();
  }
  // A copy: callers own their list, the cache keeps its own.
  return [...names];
}

/**
 * A jar's names by the fast path (zip-central-directory.ts): opened, read and closed synchronously,
 * a few hundred microseconds for a 300 KiB jar, where the async path took about a millisecond of
 * round trips. Undefined when the zip is not plain (zip64, a trailing comment that does not fit…):
 * the caller reads it again through yauzl.
 */
function plainEntryNamesSync(path: string, facts: JarFactsCache): readonly string[] | undefined {
  const { fd, stats } = openRegularFileSync(path, { followLink: true });
  try {
    const id = identityOf(path, stats);
    const known = facts.get(id)?.entries;
    if (known !== undefined) return known;
    const names = plainZipEntryNames((position, length) => readAtSync(fd, position, length), stats.size);
    if (names !== undefined) facts.remember(id, { entries: names });
    return names;
  } finally {
    closeSync(fd);
  }
}

function readAtSync(fd: number, position: number, length: number): Buffer {
  const data = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, data, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return data.subarray(0, got);
}

async function readCentralDirectory(handle: FileHandle, size: number): Promise<string[]> {
  // decodeStrings: false also skips yauzl's file name checks, which reject a whole jar for one odd entry.
  const zip = await yauzl.fromRandomAccessReaderPromise(new ChunkedReader(handle, size), size, {
    lazyEntries: true,
    autoClose: false,
    decodeStrings: false,
  });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push((entry.fileName as unknown as Buffer).toString('utf8'));
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
