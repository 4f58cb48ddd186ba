import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createReadStream, type Stats } from 'node:fs';
import pLimit from 'p-limit';
import { ZipFile } from 'yazl';
import { UserError } from '../problems.js';

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
 * - Symbolic links are followed and stored as what they point to: a directory on the classpath is
 *   read by the JVM through the links, so the zip holds what the app would have seen. A dangling
 *   link or a link loop is an error rather than a silent omission.
 * - Deflate at zlib's default level. The compressed bytes come from the zlib bundled with Node;
 *   a different zlib could compress differently, which would only cost a re-upload.
 */

const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o40755;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** Larger files are streamed into the zip instead of being read whole. */
const BUFFER_MAX = 64 * 1024 * 1024;
const READ_CONCURRENCY = 16;

export interface ZipFileInput {
  /** Path inside the zip, '/'-separated, relative. */
  name: string;
  data: Buffer | string;
  /** Permission bits (0o755) or a full file mode (0o100755); default 0o100644. */
  mode?: number;
}

/**
 * Zips every file under `dir` (recursively, hidden files included) into a deterministic zip.
 * Names are relative to `dir`.
 */
export async function zipDirectory(dir: string): Promise<Buffer> {
  let rootStats: Stats;
  try {
    rootStats = await stat(dir);
  } catch (err) {
    throw new UserError(`Cannot zip ${dir}: ${(err as Error).message}. Check that the classpath directory exists.`, [], { cause: err });
  }
  if (!rootStats.isDirectory()) throw new UserError(`Cannot zip ${dir}: it is not a directory.`);

  const entries: TreeEntry[] = [];
  await walk(dir, dir, '', new Set([statId(rootStats)]), entries);
  entries.sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));

  // Read small files concurrently up front; add them to the zip strictly in sorted order.
  const limit = pLimit(READ_CONCURRENCY);
  const contents = await Promise.all(
    entries.map((e) => (e.kind === 'file' ? limit(() => readSmallFile(e.path)) : Promise.resolve(undefined))),
  );

  const zip = new ZipFile();
  entries.forEach((e, i) => {
    if (e.kind === 'dir') {
      zip.addEmptyDirectory(e.name, { mtime: FIXED_MTIME, mode: DIR_MODE, forceDosTimestamp: true });
      return;
    }
    const content = contents[i];
    if (content === undefined) throw new Error(`internal: no content read for ${e.path}`);
    const options = { mtime: FIXED_MTIME, mode: content.executable ? EXEC_MODE : FILE_MODE, forceDosTimestamp: true, compress: true, forceZip64Format: false };
    if (content.data !== undefined) {
      zip.addBuffer(content.data, e.name, options);
    } else {
      // The size given up front makes yazl fail if the file changes length while it is zipped.
      zip.addReadStreamLazy(e.name, { ...options, size: content.size }, (cb) => cb(null, createReadStream(e.path)));
    }
  });
  return finish(zip);
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

  const zip = new ZipFile();
  for (const f of sorted) {
    const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
    zip.addBuffer(data, f.name, { mtime: FIXED_MTIME, mode: fileMode(f.mode), forceDosTimestamp: true, compress: true, forceZip64Format: false });
  }
  return finish(zip);
}

type TreeEntry =
  | { kind: 'dir'; name: string; nameBytes: Buffer }
  | { kind: 'file'; name: string; nameBytes: Buffer; path: string };

async function walk(root: string, absDir: string, relDir: string, ancestors: Set<string>, out: TreeEntry[]): Promise<void> {
  const dirents = await readdir(absDir, { withFileTypes: true });
  for (const d of dirents) {
    const path = join(absDir, d.name);
    const name = relDir + d.name;
    if (d.name.includes('\\')) {
      throw new UserError(`Cannot zip ${root}: the name ${name} contains a backslash, which zip readers take as a separator. Rename it.`);
    }
    // Dirent types describe the link itself; stat follows it (see the header comment).
    let st: Stats;
    try {
      st = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (d.isSymbolicLink() && (code === 'ENOENT' || code === 'ELOOP')) {
        throw new UserError(`Cannot zip ${root}: the symbolic link ${name} points to nothing (${code}). Remove the link or restore its target.`, [], { cause: err });
      }
      throw err;
    }
    if (st.isDirectory()) {
      const id = statId(st);
      if (ancestors.has(id)) {
        throw new UserError(`Cannot zip ${root}: ${name} leads back to a directory that contains it (a symbolic-link loop). Remove the link.`);
      }
      out.push({ kind: 'dir', name: `${name}/`, nameBytes: Buffer.from(`${name}/`, 'utf8') });
      ancestors.add(id);
      await walk(root, path, `${name}/`, ancestors, out);
      ancestors.delete(id);
    } else if (st.isFile()) {
      out.push({ kind: 'file', name, nameBytes: Buffer.from(name, 'utf8'), path });
    } else {
      throw new UserError(`Cannot zip ${root}: ${name} is neither a file nor a directory (socket, FIFO or device). Remove it from the classpath directory.`);
    }
  }
}

const statId = (st: Stats): string => `${st.dev}:${st.ino}`;

async function readSmallFile(path: string): Promise<{ data: Buffer | undefined; size: number; executable: boolean }> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const executable = (st.mode & 0o111) !== 0;
    if (st.size > BUFFER_MAX) return { data: undefined, size: st.size, executable };
    const data = await fh.readFile();
    return { data, size: data.length, executable };
  } finally {
    await fh.close();
  }
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

function finish(zip: ZipFile): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end({ forceZip64Format: false, comment: '' });
  });
}
