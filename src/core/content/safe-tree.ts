/*
 * One rule for reading the classpath, used by every part of push that touches it (classifying
 * entries, finding ion-config, indexing namespaces, zipping, hashing):
 *
 * - Only regular files and directories are read. A FIFO, socket or device is refused by its type
 *   (from lstat before anything is opened), so nothing blocks on it: a FIFO `open` would wait for
 *   a writer forever and `/dev/zero` never ends.
 * - A symbolic link is followed only when its real path stays inside a boundary: the repository for
 *   the project's own entries, the entry itself for a directory outside the repository, the Maven
 *   repository or the git checkout for dependencies. A link out of it (to `/proc/self/environ`,
 *   whose bytes are the step's environment and credentials) is refused, naming the link and its
 *   target, before a byte is read.
 * - Nothing under /proc, /sys or /dev is ever read, whatever the boundary.
 * - Files are opened with O_NOFOLLOW|O_NONBLOCK and checked again with fstat, so a file swapped for
 *   a link or a FIFO between the walk and the read is refused rather than followed or waited on.
 *   Walked paths are real paths (links resolved), so O_NOFOLLOW never refuses a link that was
 *   allowed.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Refused whatever the boundary: kernel views of processes, devices and the system. */
const SYSTEM_DIRS = ['/proc', '/sys', '/dev'];

/** A path a tree holds that push must not read; `path` and `target` are absolute. */
export interface UnsafePath {
  /** The link or file, as found under the root (absolute). */
  path: string;
  /** The same, relative to the walked root ('/'-separated); absent for a classpath entry itself. */
  name?: string;
  /** For 'dangling' and 'loop': the error code (ENOENT, ELOOP). */
  code?: string;
  /** For a link: its real target (absolute), or its text when it cannot be resolved. */
  target?: string;
  reason: 'outside' | 'system' | 'special' | 'dangling' | 'loop' | 'backslash';
  /** For 'special': what it is (FIFO, socket, character device, block device). */
  what?: string;
}

export interface TreeFile {
  kind: 'file';
  /** Relative to the root, '/'-separated. */
  name: string;
  /** Real path (no links), to open with O_NOFOLLOW. */
  path: string;
  size: number;
  executable: boolean;
}
export interface TreeDir {
  kind: 'dir';
  /** Relative to the root, '/'-separated, ending in '/'. */
  name: string;
}
export type TreeEntry = TreeFile | TreeDir;

export const isWithin = (parent: string, child: string): boolean => {
  if (child === parent) return true;
  const rel = relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

export const isSystemPath = (real: string): boolean => SYSTEM_DIRS.some((d) => isWithin(d, real));

export function describeType(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  return 'a regular file';
}

/**
 * Where a path leads: its real path, lstat of that real path, and why it may not be read (or
 * undefined). A missing path or target gives `missing`.
 */
export async function resolveWithin(
  path: string,
  boundary: string,
): Promise<{ real: string; stats: Stats; unsafe?: UnsafePath } | { missing: NodeJS.ErrnoException; unsafe?: UnsafePath }> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      const target = await readlink(path).catch(() => undefined);
      return { missing: e, unsafe: { path, target, reason: 'dangling', code: e.code } };
    }
    return { missing: e };
  }
  const stats = await lstat(real);
  const viaLink = real !== path;
  // Name the target as the link says it (/proc/self/environ), and where it really leads when that differs.
  const said = viaLink ? await readlink(path).catch(() => undefined) : undefined;
  const target = said === undefined ? real : resolve(dirname(path), said) === real ? said : `${said} (${real})`;
  if (isSystemPath(real)) return { real, stats, unsafe: { path, target: viaLink ? target : undefined, reason: 'system' } };
  if (!isWithin(boundary, real)) return { real, stats, unsafe: { path, target, reason: 'outside' } };
  if (!stats.isFile() && !stats.isDirectory())
    return { real, stats, unsafe: { path, target: viaLink ? target : undefined, reason: 'special', what: describeType(stats) } };
  return { real, stats };
}

export interface WalkResult {
  /** Directories (with a trailing '/') and regular files, in no particular order. */
  entries: TreeEntry[];
  /** Everything refused; the walk goes on past them so all are reported at once. */
  unsafe: UnsafePath[];
}

/**
 * Every directory and regular file under `root` (a real path), following links that stay inside
 * `boundary` (a real path). Links to directories are walked under the link's name, as the JVM
 * sees them; a link back to a directory that contains it is a loop.
 *
 * readdir and lstat are synchronous here: on this project's CI machine kind, async calls cost a
 * thread-pool round trip each (about 130 µs when the machine is busy: 17 s for a tree of 66,000
 * directories), synchronous ones a few µs. Walking is a phase of its own, so blocking the event
 * loop for it delays nothing.
 */
export async function walkTree(root: string, boundary: string): Promise<WalkResult> {
  const entries: TreeEntry[] = [];
  const unsafe: UnsafePath[] = [];
  const walk = async (absDir: string, relDir: string, ancestors: Set<string>): Promise<void> => {
    const dirents = readdirSync(absDir, { withFileTypes: true });
    for (const d of dirents) {
      const path = join(absDir, d.name);
      const name = relDir + d.name;
      if (d.name.includes('\\')) {
        unsafe.push({ path, name, reason: 'backslash' });
        continue;
      }
      let real = path;
      let st: Stats;
      if (d.isSymbolicLink()) {
        const r = await resolveWithin(path, boundary);
        if (r.unsafe) {
          unsafe.push({ ...r.unsafe, name });
          continue;
        }
        if ('missing' in r) throw r.missing;
        real = r.real;
        st = r.stats;
      } else {
        st = lstatSync(path);
      }
      if (st.isDirectory()) {
        const id = `${st.dev}:${st.ino}`;
        if (ancestors.has(id)) {
          unsafe.push({ path, name, target: real, reason: 'loop' });
          continue;
        }
        entries.push({ kind: 'dir', name: `${name}/` });
        ancestors.add(id);
        await walk(real, `${name}/`, ancestors);
        ancestors.delete(id);
      } else if (st.isFile()) {
        entries.push({ kind: 'file', name, path: real, size: st.size, executable: (st.mode & 0o111) !== 0 });
      } else {
        unsafe.push({ path, name, target: real === path ? undefined : real, reason: 'special', what: describeType(st) });
      }
    }
  };
  const rootStats = lstatSync(root);
  await walk(root, '', new Set([`${rootStats.dev}:${rootStats.ino}`]));
  return { entries, unsafe };
}

/** A regular file could not be opened safely: it is not one (any more), or it became a link. */
export class NotARegularFileError extends Error {
  override name = 'NotARegularFileError';
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a regular file`);
  }
}

/**
 * Opens a regular file for reading without following a final symbolic link (unless `followLink`:
 * for a path already checked, such as a classpath jar) and without blocking on a FIFO or device;
 * anything but a regular file is closed again and refused.
 */
export async function openRegularFile(path: string, options: { followLink?: boolean } = {}): Promise<{ handle: FileHandle; stats: Stats }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.followLink ? 0 : constants.O_NOFOLLOW));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new NotARegularFileError(path, 'a symbolic link');
    throw err;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new NotARegularFileError(path, describeType(stats));
  }
  return { handle, stats };
}

/** openRegularFile, synchronously: a file descriptor to read and close. */
export function openRegularFileSync(path: string, options: { followLink?: boolean } = {}): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.followLink ? 0 : constants.O_NOFOLLOW));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new NotARegularFileError(path, 'a symbolic link');
    throw err;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new NotARegularFileError(path, describeType(stats));
  }
  return { fd, stats };
}

/** Reads at most `maxBytes` of a regular file (opened as openRegularFile does); `truncated` when it is longer. */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  options: { followLink?: boolean } = {},
): Promise<{ data: Buffer; truncated: boolean }> {
  const { handle, stats } = await openRegularFile(path, options);
  try {
    const want = Math.min(stats.size, maxBytes);
    const data = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(data, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { data: data.subarray(0, got), truncated: stats.size > maxBytes };
  } finally {
    await handle.close();
  }
}

/**
 * One sentence about an unsafe path. `show` prints a path (relative to the repository, say);
 * `boundary` names where links may point ("the repository").
 */
export function describeUnsafe(u: UnsafePath, show: (absolute: string) => string, boundary: string): string {
  const target = u.target === undefined ? '' : isAbsolute(u.target) ? show(u.target) : u.target;
  const it = u.name ?? show(u.path);
  switch (u.reason) {
    case 'outside':
      return `${it} is a symbolic link to ${target}, which is outside ${boundary}; push never packs files from outside the project. Replace the link with the file itself, or remove it.`;
    case 'system':
      return `${it}${u.target ? ` is a symbolic link to ${target}, which is` : ' is'} under /proc, /sys or /dev; push never reads system files (they can hold the step's environment and credentials). Remove it.`;
    case 'special':
      return `${it}${u.target ? ` (a symbolic link to ${target})` : ''} is ${u.what ?? 'not a regular file'}; push packs only regular files and directories. Remove it from the classpath.`;
    case 'dangling':
      return `the symbolic link ${it} points to nothing (${u.code ?? 'ENOENT'}). Remove the link or restore its target.`;
    case 'loop':
      return `${it} leads back to a directory that contains it (a symbolic-link loop). Remove the link.`;
    case 'backslash':
      return `the name ${it} contains a backslash, which zip readers take as a separator. Rename it.`;
  }
}
