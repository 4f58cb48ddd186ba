/** The entry names of a jar (zip), read from its central directory; nothing is inflated. */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { openRegularFile } from '../content/safe-tree.js';

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

/**
 * Entry names (directories end in '/'); throws when the file is missing, not a regular file (a
 * FIFO or /dev/zero is refused at once, never read) or not a zip.
 */
export async function jarEntryNames(path: string): Promise<string[]> {
  const { handle, stats } = await openRegularFile(path, { followLink: true });
  try {
    const { size } = stats;
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
  } finally {
    await handle.close();
  }
}
