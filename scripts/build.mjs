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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
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
  // CommonJS (see `esm: false` below): Node wraps each file in a function, so its top-level names are private.
  toplevel: true,
  ecma: 2020,
  compress: { collapse_vars: false },
  mangle: true,
  keep_classnames: true,
  keep_fnames: true,
  format: { ascii_only: true, comments: false },
};

/**
 * Packages whose "exports" name their CommonJS build (dist-cjs) under the condition "node", ahead of
 * "import". ncc fixes webpack's conditions at ["import", "node", "production"] and webpack takes the first
 * key of the package's own order that is in that set, so these came in as CommonJS, each submodule whole
 * (webpack cannot drop unused parts of CommonJS), with @smithy/core's CBOR and event-stream protocols that
 * no client here speaks: 830 KB of source in push's chunks, 150 KB of minified code in its SDK chunk, read, compiled
 * and run at every start (8–16 ms of CPU on a 2-core machine, docs/performance.md). Each subpath is
 * mapped to its "import" file instead (esBuildPaths). Add a package here when the build stops with
 * "came in as CommonJS".
 */
const ES_BUILD_PACKAGES = [
  '@smithy/core',
  '@aws-sdk/core',
  '@aws-sdk/checksums',
  '@aws-sdk/middleware-sdk-s3',
  '@aws-sdk/nested-clients',
  '@aws/lambda-invoke-store',
];

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
  useEsBuilds(ES_BUILD_PACKAGES);
  const minifier = startMinifier();
  const writes = [];
  for (const entry of ENTRIES) {
    const src = join('src', entry, 'index.ts');
    if (!existsSync(src)) continue;
    const out = join(outDir, entry);
    rmSync(out, { recursive: true, force: true });
    // Entries one after another: ncc passes options to its loaders through process.env.
    const { code, map, assets, symlinks, stats } = await ncc(resolve(src), {
      license: 'licenses.txt',
      quiet: true,
      transpileOnly: true,
      cache: false,
      // ncc resolves only "main" by default, which gives each AWS SDK v3 package as its one-file CommonJS
      // build holding every command and serializer it has. Their "module" field names the ES build
      // (dist-es, "sideEffects": false), from which webpack keeps only what is imported, and the SDK's
      // dynamic imports (credential providers) become chunks loaded only when used.
      mainFields: ['module', 'main'],
      // CommonJS output, though the sources are ES modules: an ES module entry makes Node load its ES
      // module loader (~8 ms on a 2-core runner) and import each chunk through it, where CommonJS
      // chunks are require()d. Measured (bench/push-profile.ts, Node 20, 3×7 runs each): the first
      // line ~12 ms sooner, a warm push ~20 ms shorter. Webpack runs the entries' top-level await as
      // an async module and turns import.meta.url into the file's own URL (from __filename).
      esm: false,
    }).catch((err) => {
      // Printed as the CLI prints it: left uncaught, Node would first print the minified line it came from (megabytes).
      console.error(`Building ${src} failed:`, err);
      process.exit(1);
    });
    const commonJs = bundledCommonJsBuilds(stats);
    if (commonJs.length > 0) {
      console.error(
        `Building ${src}: these came in as CommonJS, whole:\n  ${commonJs.join('\n  ')}\n` +
          'Add their packages to ES_BUILD_PACKAGES in scripts/build.mjs.',
      );
      process.exit(1);
    }
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
    // The repository's package.json says "module": without this, Node would read the CommonJS files as ES modules.
    writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
    if (map) writeFileSync(join(out, 'index.js.map'), map);
    for (const [name, target] of Object.entries(symlinks)) symlinkSync(target, join(out, name));
  }
  await Promise.all(writes);
  await minifier.stop();
}

/**
 * Makes webpack resolve each subpath of these packages to the file its "exports" give under "import"
 * (their ES build), through the one resolution hook ncc exposes: it resolves with
 * tsconfig-paths-webpack-plugin, whose config is ./tsconfig.json of the working directory unless
 * TS_NODE_PROJECT names another (tsconfig-paths' documented variable). So the "paths" live in a
 * tsconfig written for the build alone, outside the project: neither `tsc` nor the TypeScript loader
 * reads it (ncc's loader takes the tsconfig nearest the entry). No "baseUrl": with one,
 * tsconfig-paths also maps every bare import to baseUrl/<name>, ahead of "exports".
 */
function useEsBuilds(packages) {
  const nodeModules = resolve('node_modules');
  // A paths entry applies to every importer: with a second copy of a package, some would get the wrong one.
  const nested = nestedPackageDirs(nodeModules).filter((dir) =>
    packages.some((name) => dir.endsWith(`${sep}node_modules${sep}${join(name)}`)),
  );
  if (nested.length > 0) {
    console.error(`Packages in ES_BUILD_PACKAGES have more than one copy, so the build cannot map them:\n  ${nested.join('\n  ')}`);
    process.exit(1);
  }
  const paths = Object.fromEntries(packages.flatMap((name) => esBuildPaths(join(nodeModules, name), name)));
  const dir = mkdtempSync(join(tmpdir(), 'ion-actions-build-'));
  const config = join(dir, 'tsconfig.json');
  writeFileSync(config, JSON.stringify({ compilerOptions: { paths } }, null, 2));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  process.env.TS_NODE_PROJECT = config;
}

/** [import specifier, [absolute file]] for each subpath the package exports under "import". */
function esBuildPaths(dir, name) {
  const exportsField = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports ?? {};
  return Object.entries(exportsField).flatMap(([subpath, target]) => {
    const file = typeof target === 'object' && target !== null ? target.import : undefined;
    if (typeof file !== 'string' || subpath.includes('*')) return [];
    return [[subpath === '.' ? name : name + subpath.slice(1), [join(dir, file)]]];
  });
}

/** The packages in a node_modules directory. */
function packageDirs(nodeModules) {
  const subdirs = (dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => join(dir, d.name));
  return subdirs(nodeModules).flatMap((dir) => (basename(dir).startsWith('@') ? subdirs(dir) : [dir]));
}

/** Packages installed in other packages' own node_modules, at any depth. */
function nestedPackageDirs(nodeModules) {
  return packageDirs(nodeModules).flatMap((pkg) => {
    const inner = join(pkg, 'node_modules');
    return existsSync(inner) ? [...packageDirs(inner), ...nestedPackageDirs(inner)] : [];
  });
}

/** Modules webpack bundled from an SDK package's CommonJS build (the SDK ships them under dist-cjs/). */
function bundledCommonJsBuilds(stats) {
  const mark = `${sep}dist-cjs${sep}`;
  const resources = [...stats.compilation.modules].flatMap((m) => [m, ...(m.modules ?? [])]).map((m) => m.resource);
  return [...new Set(resources.filter((r) => typeof r === 'string' && r.includes(mark)))].sort();
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
