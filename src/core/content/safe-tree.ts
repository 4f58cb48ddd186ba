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
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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

/**
 * An absolute path without '.', '..' or empty segments and without a trailing separator, as
 * realpath and resolve give them: two such paths are compared as strings (path.relative resolves
 * both against the working directory first, which was most of classifying 200 jars).
 */
export const isPlainAbsolute = (p: string): boolean => sep === '/' && p.startsWith('/') && !/\/(?:\.{1,2})?(?:\/|$)/.test(p);

/**
 * path.join(dir, name) for a plain absolute `dir` (a real path) and one entry name (from readdir, or
 * the last segment of a plain absolute path: no separator, never '.' or '..'): the same string by
 * concatenation. path.join normalizes its result, a few µs each, for 600 paths of a 200-jar classpath
 * and every file of every walk (~5–10 ms of a warm push).
 */
export const childPath = (dir: string, name: string): string =>
  isPlainAbsolute(dir) && isEntryName(name) ? `${dir}/${name}` : join(dir, name);

/** One directory entry's name: not empty, not '.' or '..', no separator. */
const isEntryName = (name: string): boolean => name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes(sep);

export const isWithin = (parent: string, child: string): boolean => {
  if (child === parent) return true;
  if (isPlainAbsolute(parent) && isPlainAbsolute(child)) return child.startsWith(`${parent}/`);
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

/** Where a path leads (resolveWithin's answer). */
export type Resolved = { real: string; stats: Stats; unsafe?: UnsafePath } | { missing: NodeJS.ErrnoException; unsafe?: UnsafePath };

/**
 * Where a path leads: its real path, lstat of that real path, and why it may not be read (or
 * undefined). A missing path or target gives `missing`.
 */
export async function resolveWithin(path: string, boundary: string): Promise<Resolved> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    const link = await lstat(path).catch(() => undefined);
    const target = link?.isSymbolicLink() ? await readlink(path).catch(() => undefined) : undefined;
    return missingPath(path, err as NodeJS.ErrnoException, link, target);
  }
  const stats = await lstat(real);
  const said = real !== path ? await readlink(path).catch(() => undefined) : undefined;
  return judgeResolved(path, boundary, real, stats, said);
}

/**
 * resolveWithin, synchronously: for checking many paths in a row (200 classpath jars), where each
 * asynchronous call would cost a thread-pool round trip (see walkTree).
 */
export function resolveWithinSync(path: string, boundary: string): Resolved {
  let real: string;
  try {
    // .native: the same realpath(3) the promise API calls (the JS one walks the path itself).
    real = realpathSync.native(path);
  } catch (err) {
    const link = tryOr(() => lstatSync(path));
    const target = link?.isSymbolicLink() ? tryOr(() => readlinkSync(path)) : undefined;
    return missingPath(path, err as NodeJS.ErrnoException, link, target);
  }
  const stats = lstatSync(real);
  const said = real !== path ? tryOr(() => readlinkSync(path)) : undefined;
  return judgeResolved(path, boundary, real, stats, said);
}

/** Where a path leads, not yet judged: its real path, lstat of that, and the link's text when reached through one. */
export interface FoundPath {
  real: string;
  stats: Stats;
  said: string | undefined;
}

/**
 * The first half of resolveWithinSync, for a caller that needs the type before it knows the
 * boundary (classifying a classpath entry): undefined when the path cannot be resolved (missing,
 * unreadable, a link loop). Judge it with judgeFoundPath.
 */
export function findPathSync(path: string, realDirs?: RealDirs): FoundPath | undefined {
  let real: string;
  let stats: Stats;
  try {
    const own = lstatSync(path);
    if (realDirs && !own.isSymbolicLink() && isPlainAbsolute(path)) {
      // Not a link itself: the same inode as its real path, which is its directory's real path and its name.
      real = childPath(realDirectory(dirname(path), realDirs), basename(path));
      stats = own;
    } else {
      real = realpathSync.native(path);
      stats = lstatSync(real);
    }
  } catch {
    return undefined;
  }
  return { real, stats, said: real !== path ? tryOr(() => readlinkSync(path)) : undefined };
}

/** Real paths of directories already resolved, by plain absolute path (shared by the lookups of one classpath). */
export type RealDirs = Map<string, string>;

/**
 * realpath of a directory given as a plain absolute path, a component at a time with every answer
 * kept: 200 jars under one Maven repository share most of their directories, so each costs an
 * lstat or two instead of realpath(3)'s readlink of every component of its path (most of
 * classifying them). A component that is a link is resolved by realpath(3) itself.
 */
function realDirectory(dir: string, known: RealDirs): string {
  const hit = known.get(dir);
  if (hit !== undefined) return hit;
  const parent = dirname(dir);
  let real: string;
  if (parent === dir) real = dir;
  else if (lstatSync(dir).isSymbolicLink()) real = realpathSync.native(dir);
  else real = childPath(realDirectory(parent, known), basename(dir));
  known.set(dir, real);
  return real;
}

/** resolveWithinSync's verdict on a path findPathSync found. */
export const judgeFoundPath = (path: string, boundary: string, found: FoundPath): Resolved =>
  judgeResolved(path, boundary, found.real, found.stats, found.said);

const tryOr = <T>(fn: () => T): T | undefined => {
  try {
    return fn();
  } catch {
    return undefined;
  }
};

function missingPath(path: string, e: NodeJS.ErrnoException, link: Stats | undefined, target: string | undefined): Resolved {
  if (link?.isSymbolicLink()) return { missing: e, unsafe: { path, target, reason: 'dangling', code: e.code } };
  return { missing: e };
}

/** The verdict on a resolved path; `said` is the link's text when `path` is reached through a link. */
function judgeResolved(path: string, boundary: string, real: string, stats: Stats, said: string | undefined): Resolved {
  const viaLink = real !== path;
  // Name the target as the link says it (/proc/self/environ), and where it really leads when that differs.
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

export interface WalkOptions {
  /**
   * false: a regular file that is not reached through a link is known by its directory entry alone,
   * one lstat fewer per file, for walks that need only names and safety (classifying, the namespace
   * index); its `size` and `executable` are then 0 and false. Default true (zipping needs them).
   */
  fileStats?: boolean;
  /**
   * Told each regular file's stat as the walk takes it (with fileStats), in the walk's order: for a
   * fingerprint of the tree (deterministic-zip.ts) without keeping every stat.
   */
  onFileStats?: (file: TreeFile, stats: Stats) => void;
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
export async function walkTree(root: string, boundary: string, options: WalkOptions = {}): Promise<WalkResult> {
  const fileStats = options.fileStats ?? true;
  const entries: TreeEntry[] = [];
  const unsafe: UnsafePath[] = [];
  const walk = async (absDir: string, relDir: string, ancestors: Set<string>): Promise<void> => {
    const dirents = readdirSync(absDir, { withFileTypes: true });
    // The directory is checked once; then each entry's path is a concatenation (see childPath).
    const prefix = isPlainAbsolute(absDir) ? `${absDir}/` : null;
    for (const d of dirents) {
      const path = prefix !== null && isEntryName(d.name) ? prefix + d.name : join(absDir, d.name);
      const name = relDir + d.name;
      if (d.name.includes('\\')) {
        unsafe.push({ path, name, reason: 'backslash' });
        continue;
      }
      let real = path;
      let st: Stats;
      if (d.isSymbolicLink()) {
        const r = resolveWithinSync(path, boundary);
        if (r.unsafe) {
          unsafe.push({ ...r.unsafe, name });
          continue;
        }
        if ('missing' in r) throw r.missing;
        real = r.real;
        st = r.stats;
      } else if (!fileStats && d.isFile()) {
        // The directory entry's type (Node lstats itself when the file system does not tell) is enough.
        entries.push({ kind: 'file', name, path, size: 0, executable: false });
        continue;
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
        const file: TreeFile = { kind: 'file', name, path: real, size: st.size, executable: (st.mode & 0o111) !== 0 };
        entries.push(file);
        options.onFileStats?.(file, st);
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
 * readRegularFile, synchronously: for the few small files read on the way to the first requests
 * (ion-config, deps.edn), where each asynchronous call (open, fstat, read, close) is a thread-pool
 * round trip that a busy 2-core machine makes cost more than the read itself; and for upload bodies,
 * read into buffers the caller reuses (`allocate`: only the bytes read from this file are returned).
 */
export function readRegularFileSync(
  path: string,
  maxBytes: number,
  options: { followLink?: boolean; allocate?: (size: number) => Buffer } = {},
): { data: Buffer; truncated: boolean } {
  return readOpenedFileSync(openRegularFileSync(path, options), maxBytes, options.allocate);
}

/** Reads at most `maxBytes` of a file openRegularFileSync opened (its `stats` say what it is), then closes it; `truncated` when it is longer. */
export function readOpenedFileSync(
  { fd, stats }: { fd: number; stats: Stats },
  maxBytes: number,
  allocate: (size: number) => Buffer = Buffer.alloc,
): { data: Buffer; truncated: boolean } {
  try {
    const want = Math.min(stats.size, maxBytes);
    const data = allocate(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, data, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    return { data: data.subarray(0, got), truncated: stats.size > maxBytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` whole, readable by its owner only: written to a temporary name beside
 * it (flag 'wx': never through a file or link someone placed there, mode 0600), then renamed over it,
 * so a reader sees the old file or the new one, and two writers each leave a whole file. Throws
 * when it cannot, the temporary file removed.
 */
export function replaceFilePrivatelySync(file: string, data: string | Buffer): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, data, { flag: 'wx', mode: 0o600 });
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
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
