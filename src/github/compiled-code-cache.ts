/**
 * V8's compiled code of an action's chunks (dist/<action>/<id>.index.js: the AWS SDK and the core,
 * nearly all of the action), kept on the runner between runs beside push's jar facts, so a second
 * run on the same machine (a self-hosted runner, a re-run) neither parses the chunks nor compiles
 * again the functions the previous run compiled: a warm push ~60 ms shorter on the 2-core bench
 * machine (docs/performance.md).
 *
 * Why not Node's own `module.enableCompileCache()` (Node 22.1+) or the `v8-compile-cache` package:
 * both store the code as it stands right after compiling a file, which holds the top-level code
 * only (V8 compiles a function when it is first called), and saves ~25 ms here; V8's
 * `Script#createCachedData()` called once the action has run holds every function it compiled. And
 * Node's cache lives by default in the shared temporary directory, where another user of the machine
 * could have put code for the action to run (below). This works on Node 20 too.
 *
 * How: while installed, Node's CommonJS loader compiles the chunk files of `chunkDir` through
 * `vm.Script` with the cached data (Module.prototype._compile, the hook require-hook libraries use);
 * every other file is compiled by Node as before.
 *
 * Trust: V8 runs the cached data as code without checking it (its checksum is verified only in debug
 * builds), so a cache file is used only when it is a regular file owned by the user running the
 * action that no other user can write (mode without group or world write): only that user, who can
 * change the action's files anyway, could have written it. Its header binds it to the chunk's exact
 * bytes and the Node build (V8 itself compares only the source's length), and a SHA-256 of the data
 * catches a damaged file. Anything else is ignored (the chunk is compiled as without a cache) and
 * replaced when the action succeeds. Files are written private (0600, in a 0700 directory), to a
 * temporary name and then renamed, and only into a directory owned by the user that others cannot
 * write. Not used where there are no user ids (Windows).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { NotARegularFileError, openRegularFileSync, readOpenedFileSync, replaceFilePrivatelySync } from '../core/content/safe-tree.js';

/** What happened to one chunk's cached code, kept in `file`. */
export type ChunkCodeState = { chunk: string; file: string } & (
  | { state: 'used' }
  | { state: 'absent' }
  /** Compiled afresh: the file is for other bytes or another Node (a new version of the action), or V8 refused it. */
  | { state: 'stale'; reason: string }
  /** Compiled afresh, and the file is worth a warning: damaged, or not safe to run. */
  | { state: 'refused'; reason: string }
);

export interface CompiledCodeCache {
  /** One state per chunk loaded so far, in load order. */
  states(): readonly ChunkCodeState[];
  /** Stores the code of every chunk compiled without a usable cache; returns why it could not (empty: done, or nothing to do). */
  save(): string[];
}

export interface CompiledCodeCacheOptions {
  /** Where the cache files are (created 0700 on the first save). */
  dir: string;
  /** The directory of the action's chunks: only `<digits>.index.js` files there go through the cache. */
  chunkDir: string;
  /** Names this action's files (two actions' chunks share names). */
  action: string;
}

const MAGIC = Buffer.from('ion-actions compiled code 1\n');
const HASH_BYTES = 32;
/** The header: the magic line, the key (cacheKey), the data's SHA-256; then the data. */
const KEY_AT = MAGIC.length;
const HEADER_BYTES = KEY_AT + 2 * HASH_BYTES;
/** A cache of the push chunks is ~1.3 MB; a much larger file is not one of ours. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const CHUNK_NAME = /^\d+\.index\.js$/;
// Node's CommonJS wrapper, with the body on a line of its own and lineOffset -1, so that positions in
// stack traces are the file's own.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';

interface LoadingModule {
  exports: unknown;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

const INACTIVE: CompiledCodeCache = { states: () => [], save: () => [] };

export function installCompiledCodeCache(options: CompiledCodeCacheOptions): CompiledCodeCache {
  const proto = (Module as unknown as { prototype?: LoadingModule }).prototype;
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (!proto || typeof proto._compile !== 'function' || uid === null) return INACTIVE;
  const original = proto._compile;
  const states: ChunkCodeState[] = [];
  const unsaved: Unsaved[] = [];

  const compileChunk = (module: LoadingModule, content: string, filename: string): unknown => {
    const chunk = basename(filename);
    const file = join(options.dir, `${options.action}-${chunk}.v8`);
    const key = cacheKey(content);
    const read = readCachedCode(file, key, uid);
    const script = new Script(WRAPPER_HEAD + content + WRAPPER_TAIL, { filename, lineOffset: -1, cachedData: read.data });
    const state: ChunkCodeState =
      read.data === undefined
        ? { chunk, file, ...read.state }
        : script.cachedDataRejected
          ? { chunk, file, state: 'stale', reason: 'V8 refused it (another Node build or V8 flags)' }
          : { chunk, file, state: 'used' };
    states.push(state);
    if (state.state !== 'used') unsaved.push({ file, key, script });
    const body = script.runInThisContext() as (...args: unknown[]) => unknown;
    return body.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
  };

  proto._compile = function (this: LoadingModule, content: string, filename: string, ...rest: unknown[]) {
    if (dirname(filename) !== options.chunkDir || !CHUNK_NAME.test(basename(filename)))
      return original.call(this, content, filename, ...rest);
    return compileChunk(this, content, filename);
  };

  return {
    states: () => states,
    save: () => saveCompiledCode(options.dir, unsaved.splice(0), uid),
  };
}

/** Binds a cache file to the chunk's bytes and the Node build that compiled them. */
function cacheKey(content: string): Buffer {
  return createHash('sha256').update(`${process.version}\0${process.arch}\0${process.versions.v8}\0`).update(content).digest();
}

type ReadState = { state: 'absent' } | { state: 'stale'; reason: string } | { state: 'refused'; reason: string };

/** The cached data in `file` for `key`, when the file is safe to run (see the module's comment); else why not. */
function readCachedCode(
  file: string,
  key: Buffer,
  uid: number,
): { data: Buffer; state?: undefined } | { data?: undefined; state: ReadState } {
  let opened: ReturnType<typeof openRegularFileSync>;
  try {
    // Not through a symbolic link, and never waiting on a FIFO put in the cache's place.
    opened = openRegularFileSync(file);
  } catch (e) {
    if (e instanceof NotARegularFileError) return { state: { state: 'refused', reason: `${e.what}, not a regular file` } };
    const code = (e as NodeJS.ErrnoException).code;
    return { state: code === 'ENOENT' ? { state: 'absent' } : { state: 'refused', reason: `cannot be opened (${code ?? String(e)})` } };
  }
  const { stats } = opened;
  const { data: bytes, truncated } = readOpenedFileSync(opened, MAX_FILE_BYTES);
  if (stats.uid !== uid) return { state: { state: 'refused', reason: `owned by another user (uid ${stats.uid})` } };
  if ((stats.mode & 0o022) !== 0) return { state: { state: 'refused', reason: 'writable by other users' } };
  if (truncated || bytes.length < HEADER_BYTES) return { state: { state: 'refused', reason: `damaged (${stats.size} bytes)` } };
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { state: { state: 'refused', reason: 'damaged (not a compiled code file)' } };
  if (!bytes.subarray(KEY_AT, KEY_AT + HASH_BYTES).equals(key)) {
    return { state: { state: 'stale', reason: 'compiled from other bytes or by another Node' } };
  }
  const data = bytes.subarray(HEADER_BYTES);
  const checksum = bytes.subarray(KEY_AT + HASH_BYTES, HEADER_BYTES);
  if (!createHash('sha256').update(data).digest().equals(checksum)) {
    return { state: { state: 'refused', reason: 'damaged (its checksum does not match)' } };
  }
  return { data };
}

interface Unsaved {
  file: string;
  key: Buffer;
  script: Script;
}

/** Each script's code as V8 holds it now (every function compiled so far), written private and atomically. */
function saveCompiledCode(dir: string, unsaved: readonly Unsaved[], uid: number): string[] {
  if (unsaved.length === 0) return [];
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (st.uid !== uid) return [`${dir} belongs to another user (uid ${st.uid}): nothing is stored there`];
    if ((st.mode & 0o022) !== 0) return [`${dir} is writable by other users: nothing is stored there (make it private: chmod go-w)`];
  } catch (e) {
    return [`${dir}: ${e instanceof Error ? e.message : String(e)}`];
  }
  const problems: string[] = [];
  for (const { file, key, script } of unsaved) {
    const data = script.createCachedData();
    const checksum = createHash('sha256').update(data).digest();
    try {
      replaceFilePrivatelySync(file, Buffer.concat([MAGIC, key, checksum, data]));
    } catch (e) {
      problems.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}
