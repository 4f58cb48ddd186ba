// Bundles each action entry with @vercel/ncc into dist/<entry>/ (committed; CI checks it), then minifies
// every emitted .js file with terser.
// ncc only transpiles (transpileOnly; src/tsconfig.json says why): npm test's tsc --noEmit type-checks src, tests and all.
// Usage: node scripts/build.mjs [outDir]   (outDir defaults to dist; the dist test builds elsewhere)
//
// One process builds all entries through ncc's JavaScript API and writes its result the way `ncc build
// <entry> -o <out> --license licenses.txt --quiet --transpile-only` does (index.js, then each asset and
// symlink; no source map is asked for), with the .js files minified. One process instead of one per
// entry loads webpack and TypeScript once, and webpack's on-disk cache is off: TypeScript modules are
// never cached (ncc marks them uncacheable), so on this project a warm cache saved nothing while writing
// it cost CPU and ~100 MB under ~/.cache/ncc. Measured on a busy 2-core machine: three CLI runs ~32
// CPU-seconds, this ~19 before minifying.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { minify } from 'terser';

export const ENTRIES = ['push', 'deploy', 'deploy-cleanup'];
/** What ncc's CLI checks to make index.js executable. */
const SHEBANG = /^#![^\n\r]*[\r\n]/;

/**
 * Minified because every push, deploy and post step loads its bundle afresh (a GitHub-hosted runner has
 * no compile cache between jobs), and V8 reads, scans and compiles all of it before the action runs.
 * ncc's own `minify` option covers index.js alone, not the chunks that hold the SDK, hence terser on
 * every .js file (terser is what ncc and webpack minify with; pinned here as a devDependency).
 * Measured on a 2-core machine (process start to push's first input error, CPU beyond `node -e 0`):
 * Node 20 396 ms with ncc's defaults, 274 with the SDK's ES builds (mainFields below), 220 minified too.
 * Only safe transforms: terser's default compress (no `unsafe*` option; it drops the code webpack only
 * marks unused) less `collapse_vars` (on push's SDK chunk 18% of terser's CPU for 0.3% of the size);
 * names of functions and classes kept (the SDK and this code read `.name`, e.g. of error classes);
 * ASCII-only output (the zip library's CP437 table would otherwise make V8 hold the whole SDK chunk as
 * a two-byte string; no difference in time was measurable). No comments: the licences of everything
 * bundled are in licenses.txt, which ncc writes and this step leaves alone.
 * terser's output depends only on its input and these options, so a rebuild gives the same bytes.
 */
const TERSER_OPTIONS = {
  module: true, // each file is an ES module (package.json "type": "module"): top-level names are private
  ecma: 2020,
  compress: { collapse_vars: false },
  mangle: true,
  keep_classnames: true,
  keep_fnames: true,
  format: { ascii_only: true, comments: false },
};

if (isMainThread) await build(process.argv[2] ?? 'dist');
else parentPort.on('message', async ({ id, code }) => parentPort.postMessage({ id, ...(await minifyOrError(code)) }));

async function minifyOrError(code) {
  try {
    return { code: (await minify(code, TERSER_OPTIONS)).code };
  } catch (err) {
    return { error: err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err) };
  }
}

async function build(outDir) {
  const ncc = createRequire(import.meta.url)('@vercel/ncc');
  const minifier = startMinifier();
  const writes = [];
  for (const entry of ENTRIES) {
    const src = join('src', entry, 'index.ts');
    if (!existsSync(src)) continue;
    const out = join(outDir, entry);
    rmSync(out, { recursive: true, force: true });
    // Entries one after another: ncc passes options to its loaders through process.env.
    const { code, map, assets, symlinks } = await ncc(resolve(src), {
      license: 'licenses.txt',
      quiet: true,
      transpileOnly: true,
      cache: false,
      // ncc resolves only "main" by default, which gives each AWS SDK v3 package as its one-file CommonJS
      // build holding every command and serializer it has. Their "module" field names the ES build
      // (dist-es, "sideEffects": false), from which webpack keeps only what is imported, and the SDK's
      // dynamic imports (credential providers) become chunks loaded only when used.
      mainFields: ['module', 'main'],
    }).catch((err) => {
      // Printed as the CLI prints it: left uncaught, Node would first print the minified line it came from (megabytes).
      console.error(`Building ${src} failed:`, err);
      process.exit(1);
    });
    // The next entry compiles while this one's files are minified on the other cores.
    const files = [
      ['index.js', code, SHEBANG.test(code) ? 0o777 : 0o666],
      ...Object.entries(assets).map(([name, a]) => [name, a.source, a.permissions]),
    ];
    writes.push(
      ...files.map(async ([name, source, mode]) => {
        const path = join(out, name);
        const bytes = name.endsWith('.js') ? await minifier.minify(path, source.toString()) : source;
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bytes, { mode });
      }),
    );
    mkdirSync(out, { recursive: true });
    if (map) writeFileSync(join(out, 'index.js.map'), map);
    for (const [name, target] of Object.entries(symlinks)) symlinkSync(target, join(out, name));
  }
  await Promise.all(writes);
  await minifier.stop();
}

/**
 * terser on worker threads, one per core (it is single-threaded and the largest part of the build's
 * CPU), each distinct file once: the three entries share most of their small chunks byte for byte.
 */
function startMinifier() {
  const idle = Array.from({ length: Math.max(1, availableParallelism()) }, () => new Worker(new URL(import.meta.url)));
  const all = [...idle];
  const queue = [];
  const byContent = new Map();
  const pending = new Map();
  let nextId = 0;
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop();
      const job = queue.shift();
      pending.set(job.id, { job, worker });
      worker.postMessage({ id: job.id, code: job.code });
    }
  };
  for (const worker of all)
    worker.on('message', ({ id, code, error }) => {
      const { job } = pending.get(id);
      pending.delete(id);
      idle.push(worker);
      if (error !== undefined) {
        console.error(`Minifying ${job.path} failed:`, error);
        process.exit(1);
      }
      job.resolve(code);
      dispatch();
    });
  return {
    minify(path, code) {
      const key = createHash('sha256').update(code).digest('hex');
      let result = byContent.get(key);
      if (!result) {
        result = new Promise((resolve) => queue.push({ id: nextId++, path, code, resolve }));
        byContent.set(key, result);
        dispatch();
      }
      return result;
    },
    stop: () => Promise.all(all.map((w) => w.terminate())),
  };
}
