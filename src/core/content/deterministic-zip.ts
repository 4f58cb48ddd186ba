import { createHash } from 'node:crypto';
import { closeSync, createReadStream, lstatSync, openSync, readSync, realpathSync, type Stats, writeSync } from 'node:fs';
import { UserError } from '../problems.js';
import { describeUnsafe, openRegularFileSync, type TreeEntry, type TreeFile, walkTree } from './safe-tree.js';
import { StreamingZipWriter, type ZipSink } from './zip-writer.js';

/*
 * Zips whose bytes depend only on content, so a classpath directory can be content-addressed:
 * the same tree gives the same SHA-256 on any machine, whatever the mtimes, creation order,
 * umask or time zone.
 *
 * - Entries are sorted by the UTF-8 bytes of their names ('/' separators).
 * - Every entry carries the same DOS timestamp, 1980-01-01 00:00:00. yazl converts dates to DOS
 *   fields in local time, so the date is built in local time too (the fields are then the same in
 *   every zone), and `forceDosTimestamp` drops the Info-ZIP "UT" extra field, which would
 *   otherwise carry a zone-dependent Unix time. No comments, no zip64 unless sizes demand it.
 * - Modes: 0o100644, or 0o100755 when any execute bit is set on the source; directories 0o40755.
 * - Directories get explicit entries (like `jar` makes): class loaders resolve a directory
 *   resource (`io/resource "public"`) in a jar only through such an entry, and empty directories
 *   survive a round trip.
 * - Symbolic links that stay inside the boundary (safe-tree.ts: the repository for the project's
 *   own directories, the directory itself otherwise) are followed and stored as what they point
 *   to: a directory on the classpath is read by the JVM through the links, so the zip holds what
 *   the app would have seen. A link out of the boundary, a dangling link, a link loop, a FIFO, a
 *   socket or a device is an error rather than a silent omission, and nothing is read from it.
 * - Flat memory: entries are read and deflated one at a time, in order, and written to a sink
 *   (a file, hashed on the way), so a tree of 100,000 files needs no more memory than one of 10.
 *   Files up to 64 MiB are deflated whole (sizes in the local header); larger ones are streamed
 *   (sizes in a data descriptor after the data). This is the layout yazl gave, byte for byte
 *   (zip-writer.ts), so directories zipped before this writer keep their keys.
 * - Deflate at zlib's default level. The compressed bytes come from the zlib bundled with Node;
 *   a different zlib could compress differently, which would only cost a re-upload.
 */

const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o40755;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** Larger files are streamed into the zip instead of being read whole (and get a data descriptor). */
const BUFFER_MAX = 64 * 1024 * 1024;
/** Output is written to the file in pieces of about this size. */
const WRITE_CHUNK = 1024 * 1024;

export interface ZipFileInput {
  /** Path inside the zip, '/'-separated, relative. */
  name: string;
  data: Buffer | string;
  /** Permission bits (0o755) or a full file mode (0o100755); default 0o100644. */
  mode?: number;
}

export interface ZipDirectoryOptions {
  /**
   * Symbolic links may lead anywhere inside this directory (a real path), and nowhere else;
   * default: the zipped directory itself.
   */
  boundary?: string;
  /** Names the boundary in errors ("the repository"); default "the directory". */
  boundaryName?: string;
  /** Shows a path in errors; default: as it is. */
  show?: (absolute: string) => string;
}

/**
 * Zips every file under `dir` (recursively, hidden files included) into a deterministic zip, in
 * memory. Names are relative to `dir`. For large trees use zipDirectoryToFile.
 */
export async function zipDirectory(dir: string, options: ZipDirectoryOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await writeDirectoryZip(dir, options, { write: (c) => void chunks.push(c) });
  return Buffer.concat(chunks);
}

/**
 * Zips `dir` as zipDirectory does into `file` (created, or truncated), hashing it on the way:
 * memory stays flat whatever the tree. Returns the SHA-256 (hex) and size of what was written.
 */
export async function zipDirectoryToFile(
  dir: string,
  file: string,
  options: ZipDirectoryOptions = {},
): Promise<{ sha256: string; size: number }> {
  return writeZipTreeToFile(await readZipTree(dir, options), file);
}

/**
 * Bump when the bytes written for a tree change: zip facts recorded for a tree by an earlier writer
 * (the zip facts cache, jar-cache.ts) then no longer match any fingerprint.
 */
const ZIP_FORMAT = 'ion-actions/deterministic-zip 1';

/** A directory as it will be zipped: walked and checked, entries in zip order. */
export interface ZipTree {
  /** The directory, as given (for messages). */
  dir: string;
  entries: TreeEntry[];
  /**
   * SHA-256 (hex) of the writer's format and every entry's name, kind, size, execute bit and file
   * identity (device, inode, modification and change time), in the walk's order: the same
   * fingerprint, the same zip, as long as a file's bytes do not change without its identity changing
   * (jar-cache.ts says why that holds). The walk's order (readdir's) is the same for an unchanged
   * directory; were it not, the fingerprint would only miss, never match another tree.
   */
  fingerprint: string;
  /** The latest modification or change time (ms) of its files; 0 for none. */
  changedMs: number;
  show: (absolute: string) => string;
}

/** Walks `dir` by the rule of safe-tree.ts (a UserError for anything unsafe, before anything is read) and sorts it for zipping. */
export async function readZipTree(dir: string, options: ZipDirectoryOptions = {}): Promise<ZipTree> {
  const show = options.show ?? ((p: string) => p);
  const fail = (what: string, cause?: unknown) =>
    new UserError(`Cannot zip ${show(dir)}: ${what}`, [], cause === undefined ? undefined : { cause });
  let root: string;
  try {
    // Synchronous, as the walk is: each asynchronous call would be a thread-pool round trip.
    root = realpathSync.native(dir);
    if (!lstatSync(root).isDirectory()) throw fail('it is not a directory.');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw fail(`${(err as Error).message}. Check that the classpath directory exists.`, err);
  }
  const boundary = options.boundary ?? root;
  // Folded in as the walk goes, a few KiB at a time: nothing per file is kept for it (100,000 files).
  const print = createHash('sha256').update(ZIP_FORMAT);
  let pending = '';
  let changedMs = 0;
  const onFileStats = (file: TreeFile, st: Stats) => {
    // NUL never occurs in a file name: no name can run into the fields after it.
    pending += `${file.name}\0${file.size}\0${file.executable ? 1 : 0}\0${st.dev}:${st.ino}:${st.mtimeMs}:${st.ctimeMs}\n`;
    if (pending.length > 16_384) {
      print.update(pending);
      pending = '';
    }
    changedMs = Math.max(changedMs, st.mtimeMs, st.ctimeMs);
  };
  const { entries, unsafe } = await walkTree(root, boundary, { onFileStats });
  if (unsafe.length > 0) {
    const first = unsafe[0]!;
    const more = unsafe.length > 1 ? ` (and ${unsafe.length - 1} more such path${unsafe.length > 2 ? 's' : ''})` : '';
    throw fail(describeUnsafe(first, show, options.boundaryName ?? 'the directory') + more);
  }
  const sorted = entries
    .map((e) => ({ e, nameBytes: Buffer.from(e.name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes))
    .map(({ e }) => e);
  // Directories (empty ones too) count by their names, in zip order.
  for (const e of sorted) if (e.kind === 'dir') pending += `${e.name}\0dir\n`;
  print.update(pending);
  return { dir, entries: sorted, fingerprint: print.digest('hex'), changedMs, show };
}

/** Writes the tree's zip into `file` (created, or truncated), hashing it on the way; its SHA-256 (hex) and size. */
export async function writeZipTreeToFile(tree: ZipTree, file: string): Promise<{ sha256: string; size: number }> {
  const fd = openSync(file, 'w', 0o600);
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let size = 0;
  const flush = () => {
    if (pendingBytes === 0) return;
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off);
  };
  try {
    await writeZipTree(tree, {
      write: (c) => {
        hash.update(c);
        size += c.length;
        pending.push(c);
        pendingBytes += c.length;
        if (pendingBytes >= WRITE_CHUNK) flush();
      },
    });
    flush();
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

async function writeDirectoryZip(dir: string, options: ZipDirectoryOptions, sink: ZipSink): Promise<void> {
  await writeZipTree(await readZipTree(dir, options), sink);
}

async function writeZipTree(tree: ZipTree, sink: ZipSink): Promise<void> {
  const fail = (what: string, cause?: unknown) =>
    new UserError(`Cannot zip ${tree.show(tree.dir)}: ${what}`, [], cause === undefined ? undefined : { cause });
  const zip = new StreamingZipWriter(sink, FIXED_MTIME);
  for (const e of tree.entries) {
    if (e.kind === 'dir') {
      await zip.addDirectory(e.name, DIR_MODE);
      continue;
    }
    try {
      const content = readFileContent(e.path);
      const mode = content.executable ? EXEC_MODE : FILE_MODE;
      if (content.data !== undefined) {
        zip.addBufferSync(e.name, content.data, mode);
        continue;
      }
      // Streamed from the descriptor that was checked; the size makes the writer fail if the file changes length.
      const stream = createReadStream('', { fd: content.fd!, highWaterMark: 1024 * 1024 });
      await zip.addStream(e.name, stream, content.size, mode);
    } catch (err) {
      throw fail(`${e.name}: ${(err as Error).message}`, err);
    }
  }
  await zip.finish();
}

interface FileContent {
  /** Whole content, for files up to BUFFER_MAX; otherwise `fd` is open for streaming (the stream closes it). */
  data?: Buffer;
  fd?: number;
  size: number;
  executable: boolean;
}

/**
 * Reads one file by the rule of safe-tree.ts (no final link followed, never blocks on a FIFO, only
 * a regular file). Synchronous, like the walk and the hashing: a thread-pool round trip per small
 * file (open, stat, read, close, deflate) cost more than the work itself on a busy 2-core machine.
 */
function readFileContent(path: string): FileContent {
  const { fd, stats } = openRegularFileSync(path);
  const executable = (stats.mode & 0o111) !== 0;
  if (stats.size > BUFFER_MAX) return { fd, size: stats.size, executable };
  try {
    const data = Buffer.allocUnsafe(stats.size);
    let got = 0;
    while (got < data.length) {
      const n = readSync(fd, data, got, data.length - got, got);
      if (n === 0) break;
      got += n;
    }
    // A file that grew since fstat is read to its size at that moment, as a snapshot would be.
    return { data: data.subarray(0, got), size: got, executable };
  } finally {
    closeSync(fd);
  }
}

/** Zips the given files deterministically (sorted, fixed timestamps and modes); no directory entries. */
export async function zipFiles(files: readonly ZipFileInput[]): Promise<Buffer> {
  const seen = new Set<string>();
  const sorted = files
    .map((f) => {
      checkEntryName(f.name);
      if (seen.has(f.name)) throw new UserError(`Cannot zip: the name ${f.name} is given twice.`);
      seen.add(f.name);
      return { ...f, nameBytes: Buffer.from(f.name, 'utf8') };
    })
    .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));

  // The writer directories use, synchronously (in memory, a few small files): the bytes yazl gives
  // for these options (test/unit/deterministic-zip.test.ts compares them), without a deflate stream
  // and its thread-pool round trips per file.
  const chunks: Buffer[] = [];
  const zip = new StreamingZipWriter({ write: (c) => void chunks.push(c) }, FIXED_MTIME);
  for (const f of sorted) zip.addBufferSync(f.name, typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data, fileMode(f.mode));
  await zip.finish();
  return Buffer.concat(chunks);
}

function checkEntryName(name: string): void {
  const bad =
    name === '' ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.includes('\\') ||
    name.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad) throw new UserError(`Cannot zip: ${JSON.stringify(name)} is not a relative file path with '/' separators.`);
}

function fileMode(mode: number | undefined): number {
  if (mode === undefined) return FILE_MODE;
  return (mode & S_IFMT) === 0 ? S_IFREG | (mode & 0o7777) : mode;
}
