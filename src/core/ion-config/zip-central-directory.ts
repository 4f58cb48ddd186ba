/**
 * The entry names of a plain zip, parsed straight from its central directory bytes.
 *
 * Why not yauzl here (it stays the reader of everything else): yauzl reads each central directory
 * record with two callback reads and builds an Entry per record, asynchronously; for 200 jars that
 * is ~1 ms per jar of thread-pool round trips and promise turns (the cold bench: jar listing took
 * ~220 ms of a cold push's validation, against ~20 ms synchronously). This parser only accepts what
 * yauzl (3.x, decodeStrings: false) would read without a question: one disk, no zip64, a comment
 * that fills the file's end exactly, every record whole and signed, no strong encryption, well-formed
 * extra fields, consistent sizes for stored entries. For anything else it returns undefined and the
 * caller asks yauzl, which reads zip64 and reports what is wrong. Names are the raw bytes as UTF-8,
 * what yauzl's raw names give with the same decoding (test/unit/zip-central-directory.test.ts
 * compares the two on every jar it finds on the machine).
 */

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const MAX_COMMENT = 0xffff;
/** A 32-bit field at this value means "see the zip64 extra field": left to yauzl. */
const ZIP64_MARK = 0xffffffff;

/** Reads `length` bytes at `position` (fewer only at the end of the file). */
export type ReadAt = (position: number, length: number) => Buffer;

/** The bytes a zip's end is searched in for its end-of-central-directory record. */
export const tailLength = (size: number): number => Math.min(size, ZIP64_LOCATOR_SIZE + EOCD_SIZE + MAX_COMMENT);

/** Entry names (directories end in '/') of a plain zip of `size` bytes, or undefined: not plain, ask yauzl. */
export function plainZipEntryNames(readAt: ReadAt, size: number): string[] | undefined {
  const tailStart = size - tailLength(size);
  const tail = readAt(tailStart, size - tailStart);
  if (tail.length !== size - tailStart) return undefined;
  const eocd = lastEocd(tail);
  if (eocd === undefined) return undefined;
  if (tail.readUInt16LE(eocd + 20) !== tail.length - eocd - EOCD_SIZE) return undefined; // comment length
  if (eocd >= ZIP64_LOCATOR_SIZE && tail.readUInt32LE(eocd - ZIP64_LOCATOR_SIZE) === ZIP64_LOCATOR_SIGNATURE) return undefined;
  if (tail.readUInt16LE(eocd + 4) !== 0) return undefined; // disk number
  const entryCount = tail.readUInt16LE(eocd + 10);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  const directoryEnd = tailStart + eocd;
  if (directoryOffset > directoryEnd) return undefined;
  const directory =
    directoryOffset >= tailStart
      ? tail.subarray(directoryOffset - tailStart, eocd)
      : readAt(directoryOffset, directoryEnd - directoryOffset);
  if (directory.length !== directoryEnd - directoryOffset) return undefined;
  return parseRecords(directory, entryCount);
}

/** The offset in `tail` of the last end-of-central-directory signature (yauzl takes the last one too). */
function lastEocd(tail: Buffer): number | undefined {
  for (let i = tail.length - EOCD_SIZE; i >= 0; i -= 1) if (tail.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  return undefined;
}

function parseRecords(directory: Buffer, entryCount: number): string[] | undefined {
  const names: string[] = [];
  let at = 0;
  for (let n = 0; n < entryCount; n += 1) {
    if (at + CENTRAL_HEADER_SIZE > directory.length) return undefined;
    if (directory.readUInt32LE(at) !== CENTRAL_HEADER_SIGNATURE) return undefined;
    const flags = directory.readUInt16LE(at + 8);
    if (flags & 0x40) return undefined; // strong encryption: yauzl refuses it
    const method = directory.readUInt16LE(at + 10);
    const compressed = directory.readUInt32LE(at + 20);
    const uncompressed = directory.readUInt32LE(at + 24);
    if (compressed === ZIP64_MARK || uncompressed === ZIP64_MARK || directory.readUInt32LE(at + 42) === ZIP64_MARK) return undefined;
    // yauzl's validateEntrySizes: a stored entry's sizes agree (plus the 12-byte header when encrypted).
    if (method === 0 && compressed !== uncompressed + (flags & 0x1 ? 12 : 0)) return undefined;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameStart = at + CENTRAL_HEADER_SIZE;
    const end = nameStart + nameLength + extraLength + commentLength;
    if (end > directory.length) return undefined;
    if (!wellFormedExtra(directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength))) return undefined;
    names.push(directory.toString('utf8', nameStart, nameStart + nameLength));
    at = end;
  }
  return names;
}

/** yauzl's parseExtraFields throws when a field's length runs past the extra block. */
function wellFormedExtra(extra: Buffer): boolean {
  let i = 0;
  while (i < extra.length - 3) {
    const end = i + 4 + extra.readUInt16LE(i + 2);
    if (end > extra.length) return false;
    i = end;
  }
  return true;
}
