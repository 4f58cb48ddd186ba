/*
 * A zip writer that streams: one entry at a time, into a sink, in order. It writes the bytes yazl
 * writes for the options deterministic-zip.ts uses (forceDosTimestamp, no comments, zip64 only when
 * sizes or the entry count demand it): the field values below mirror yazl 3's index.js, and
 * test/unit/deterministic-zip.test.ts checks the output against yazl's on the same trees.
 *
 * Why not yazl itself for directories: its addBuffer starts a deflate stream the moment an entry
 * is added, so a tree of 100,000 small files held 100,000 zlib states at once (16 GB and still
 * growing); its stream entries deflate one at a time but change the format (a data descriptor
 * after every entry), which would change every directory's bytes and so its object key.
 */
import { promisify } from 'node:util';
import { crc32, createDeflateRaw, deflateRaw, deflateRawSync } from 'node:zlib';
import type { Readable } from 'node:stream';

const deflateRawAsync = promisify(deflateRaw);

const VERSION_NEEDED_UTF8 = 20;
const VERSION_NEEDED_ZIP64 = 45;
const VERSION_MADE_BY = (3 << 8) | 63; // 3 = unix, 63 = spec 6.3 (as yazl)
const FILE_NAME_IS_UTF8 = 1 << 11;
const UNKNOWN_CRC32_AND_SIZES = 1 << 3;
const DEFLATE = 8;
const STORE = 0;
const ZIP64_LIMIT = 0xfffffffe;
const COMPRESSION_LEVEL = 6; // zlib's default, yazl's default

/** Where the zip's bytes go, in order. */
export interface ZipSink {
  write(chunk: Buffer): void | Promise<void>;
}

interface Written {
  /**
   * A string, not the encoded bytes: a small Buffer is a slice of Node's shared 8 KiB pool, and
   * 100,000 kept name slices kept every pool slab alive, file contents included (490 MiB).
   */
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
  externalAttributes: number;
}

export class StreamingZipWriter {
  private readonly written: Written[] = [];
  private cursor = 0;
  private readonly time: number;
  private readonly date: number;

  constructor(
    private readonly sink: ZipSink,
    mtime: Date,
  ) {
    const dos = dosDateTime(mtime);
    this.time = dos.time;
    this.date = dos.date;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.cursor;
  }

  async addDirectory(name: string, mode: number): Promise<void> {
    await this.entry(name, mode, STORE, 0, { crc32: 0, compressed: [], uncompressedSize: 0 });
  }

  /**
   * A file whose bytes are in memory, deflated whole and synchronously (the sink must be
   * synchronous too): sizes in the local header, as yazl's addBuffer writes them.
   */
  addBufferSync(name: string, data: Buffer, mode: number): void {
    // An output chunk near the input's size: zlib's default 16 KiB chunk per small file was garbage
    // the collector reclaimed too late (100,000 files: 640 MiB of RSS). The bytes do not depend on it.
    const compressed = deflateRawSync(data, {
      level: COMPRESSION_LEVEL,
      chunkSize: Math.min(16 * 1024, Math.max(64, data.length + 64)),
      windowBits: windowBitsFor(data.length),
    });
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 0xffff) throw new Error(`the name ${name} is too long for a zip`);
    const entry: Written = {
      name,
      method: DEFLATE,
      flags: FILE_NAME_IS_UTF8,
      crc32: crc32(data),
      compressedSize: compressed.length,
      uncompressedSize: data.length,
      offset: this.cursor,
      externalAttributes: (mode << 16) >>> 0,
    };
    this.emitSync(
      localHeader(nameBytes, entry.flags, DEFLATE, this.time, this.date, entry.crc32, entry.compressedSize, entry.uncompressedSize),
    );
    this.emitSync(compressed);
    this.written.push(entry);
  }

  /** A file whose bytes are in memory: deflated whole, sizes in the local header (yazl's addBuffer). */
  async addBuffer(name: string, data: Buffer, mode: number): Promise<void> {
    const compressed = await deflateRawAsync(data, { level: COMPRESSION_LEVEL });
    await this.entry(name, mode, DEFLATE, 0, { crc32: crc32(data), compressed: [compressed], uncompressedSize: data.length });
  }

  /**
   * A file streamed through deflate, sizes in a data descriptor after it (yazl's addReadStream).
   * Fails if the stream does not give exactly `size` bytes.
   */
  async addStream(name: string, stream: Readable, size: number, mode: number): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const offset = this.cursor;
    const flags = FILE_NAME_IS_UTF8 | UNKNOWN_CRC32_AND_SIZES;
    await this.emit(localHeader(nameBytes, flags, DEFLATE, this.time, this.date, 0, 0, 0));
    let crc = 0;
    let uncompressedSize = 0;
    let compressedSize = 0;
    const deflater = createDeflateRaw({ level: COMPRESSION_LEVEL });
    const feeding = (async () => {
      try {
        for await (const chunk of stream) {
          const b = chunk as Buffer;
          crc = crc32(b, crc);
          uncompressedSize += b.length;
          if (!deflater.write(b)) await new Promise((r) => deflater.once('drain', r));
        }
        deflater.end();
      } catch (err) {
        deflater.destroy(err as Error);
      }
    })();
    for await (const out of deflater) {
      compressedSize += (out as Buffer).length;
      await this.emit(out as Buffer);
    }
    await feeding;
    if (uncompressedSize !== size) throw new Error(`${name} changed size while it was zipped (${size} bytes, then ${uncompressedSize})`);
    const entry: Written = {
      name,
      method: DEFLATE,
      flags,
      crc32: crc,
      compressedSize,
      uncompressedSize,
      offset,
      externalAttributes: (mode << 16) >>> 0,
    };
    await this.emit(dataDescriptor(entry));
    this.written.push(entry);
  }

  /** Writes the central directory and the end records; the writer is done. */
  async finish(): Promise<void> {
    const start = this.cursor;
    for (const e of this.written) await this.emit(centralRecord(e, this.time, this.date));
    const cdSize = this.cursor - start;
    await this.emit(endRecords(this.written.length, cdSize, start, this.cursor));
  }

  private async entry(
    name: string,
    mode: number,
    method: number,
    extraFlags: number,
    data: { crc32: number; compressed: Buffer[]; uncompressedSize: number },
  ): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 0xffff) throw new Error(`the name ${name} is too long for a zip`);
    const compressedSize = data.compressed.reduce((n, b) => n + b.length, 0);
    const flags = FILE_NAME_IS_UTF8 | extraFlags;
    const entry: Written = {
      name,
      method,
      flags,
      crc32: data.crc32,
      compressedSize,
      uncompressedSize: data.uncompressedSize,
      offset: this.cursor,
      externalAttributes: (mode << 16) >>> 0,
    };
    await this.emit(localHeader(nameBytes, flags, method, this.time, this.date, data.crc32, compressedSize, data.uncompressedSize));
    for (const b of data.compressed) await this.emit(b);
    this.written.push(entry);
  }

  private emitSync(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.cursor += chunk.length;
    const done = this.sink.write(chunk);
    if (done !== undefined) throw new Error('internal: addBufferSync needs a synchronous sink');
  }

  private async emit(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.cursor += chunk.length;
    await this.sink.write(chunk);
  }
}

const useZip64 = (e: Written): boolean => e.uncompressedSize > ZIP64_LIMIT || e.compressedSize > ZIP64_LIMIT || e.offset > ZIP64_LIMIT;

function localHeader(
  name: Buffer,
  flags: number,
  method: number,
  time: number,
  date: number,
  crc: number,
  compressedSize: number,
  uncompressedSize: number,
): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_NEEDED_UTF8, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt16LE(method, 8);
  b.writeUInt16LE(time, 10);
  b.writeUInt16LE(date, 12);
  b.writeUInt32LE(crc, 14);
  // Sizes over 4 GiB are only ever written in a data descriptor (streamed entries), as yazl does.
  b.writeUInt32LE(compressedSize, 18);
  b.writeUInt32LE(uncompressedSize, 22);
  b.writeUInt16LE(name.length, 26);
  b.writeUInt16LE(0, 28);
  return Buffer.concat([b, name]);
}

function dataDescriptor(e: Written): Buffer {
  if (!useZip64(e)) {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(e.crc32, 4);
    b.writeUInt32LE(e.compressedSize, 8);
    b.writeUInt32LE(e.uncompressedSize, 12);
    return b;
  }
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc32, 4);
  b.writeBigUInt64LE(BigInt(e.compressedSize), 8);
  b.writeBigUInt64LE(BigInt(e.uncompressedSize), 16);
  return b;
}

function centralRecord(e: Written, time: number, date: number): Buffer {
  const zip64 = useZip64(e);
  let extra = Buffer.alloc(0);
  if (zip64) {
    extra = Buffer.alloc(28);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(e.uncompressedSize), 4);
    extra.writeBigUInt64LE(BigInt(e.compressedSize), 12);
    extra.writeBigUInt64LE(BigInt(e.offset), 20);
  }
  const name = Buffer.from(e.name, 'utf8');
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  b.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED_UTF8, 6);
  b.writeUInt16LE(e.flags, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(time, 12);
  b.writeUInt16LE(date, 14);
  b.writeUInt32LE(e.crc32, 16);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.compressedSize, 20);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.uncompressedSize, 24);
  b.writeUInt16LE(name.length, 28);
  b.writeUInt16LE(extra.length, 30);
  b.writeUInt16LE(0, 32); // comment length
  b.writeUInt16LE(0, 34); // disk number start
  b.writeUInt16LE(0, 36); // internal attributes
  b.writeUInt32LE(e.externalAttributes, 38);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.offset, 42);
  return Buffer.concat([b, name, extra]);
}

function endRecords(count: number, cdSize: number, cdOffset: number, cursor: number): Buffer {
  const zip64 = count >= 0xffff || cdSize >= 0xffffffff || cdOffset >= 0xffffffff;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0, 4);
  eocd.writeUInt16LE(0, 6);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 10);
  eocd.writeUInt32LE(Math.min(cdSize, 0xffffffff), 12);
  eocd.writeUInt32LE(Math.min(cdOffset, 0xffffffff), 16);
  eocd.writeUInt16LE(0, 20); // comment length
  if (!zip64) return eocd;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(BigInt(56 - 12), 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  record.writeUInt32LE(0, 16);
  record.writeUInt32LE(0, 20);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cdSize), 40);
  record.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeUInt32LE(0, 4);
  // yazl writes its cursor here: where the zip64 record starts, right after the central directory.
  locator.writeBigUInt64LE(BigInt(cursor), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, eocd]);
}

/** DOS date and time fields from local time, as yazl computes them (its typings omit the helper). */
function dosDateTime(d: Date): { date: number; time: number } {
  const min = new Date(1980, 0, 1);
  const max = new Date(2107, 11, 31, 23, 59, 58);
  const t = d < min ? min : d > max ? max : d;
  const date = (((t.getFullYear() - 1980) & 0x7f) << 9) | ((t.getMonth() + 1) << 5) | t.getDate();
  const time = (t.getHours() << 11) | (t.getMinutes() << 5) | Math.floor(t.getSeconds() / 2);
  return { date, time };
}

/**
 * The smallest deflate window (2^9 to 2^15 bytes) that holds the whole input with zlib's lookahead
 * (MIN_LOOKAHEAD, 262 bytes): every match the default 32 KiB window would find is then found, and
 * nothing slides, so the compressed bytes are the default window's (test/unit/zip-writer-window.test.ts
 * compares them on ~1,000 inputs). Setting up zlib's state for a 32 KiB window is most of deflating a
 * small source file: a directory of 60 such files zipped in ~12 ms instead of ~29.
 */
export function windowBitsFor(length: number): number {
  let bits = 9;
  while (bits < 15 && 2 ** bits < length + 262) bits++;
  return bits;
}
