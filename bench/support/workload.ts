/**
 * The benchmark's project: real jar files (zips with .clj sources and .class files, part
 * compressible text, part incompressible bytes) in a private ~/.m2 Maven layout, a project with
 * source files and ion-config in a git repository, and optionally a directory of many small files
 * on the classpath (compiled ClojureScript, `public/` assets).
 *
 * Content is deterministic (a jar's bytes depend only on its index and size), so every tool sees the
 * same data in every run and a workload is kept under .bench/ between invocations.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { seeded } from '../../test/support/seeded-random.js';

export interface WorkloadSpec {
  jars: number;
  jarKiB: number;
  sourceFiles: number;
  /** Files in an extra classpath directory (`web/`), 0 for none. */
  directoryFiles: number;
}

export interface Workload {
  spec: WorkloadSpec;
  /** HOME for every tool: holds .m2/repository and the project (`app/`). */
  home: string;
  /** The project (deps.edn, src/, resources/), a git repository. */
  project: string;
  mavenRepo: string;
  /** The classpath as `clojure -Spath` would print it: project paths relative, jars absolute. */
  classpath: string;
  /** The classpath directories, relative to the project. */
  projectPaths: string[];
  jars: string[];
  /** Every file a per-file uploader must send: the jars and the files in the classpath directories. */
  files(): { key: string; path: string }[];
  totalJarBytes: number;
  /** A new commit that changes one source file and no dependency (what every merge looks like). */
  commitSourceChange(tag: string): void;
  /** An uncommitted change to one source file (pushed with a uname). */
  changeSourceUncommitted(tag: string): void;
  /** Commits whatever is uncommitted, so the tree is clean again. */
  commitAll(message: string): void;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** Deterministic incompressible bytes: AES-CTR keystream keyed by `seed`. */
function noise(seed: string, bytes: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(bytes)), cipher.final()]);
}

const WORDS = (
  'map filter reduce assoc dissoc update get-in select-keys merge into conj vec keys vals first rest ' +
  'let fn if when cond case loop recur doseq for str/join str/split inc dec count nil? some? keyword name ' +
  'request response handler config db conn tx entity attr value schema query pull datoms ident cardinality ' +
  'user order item price total status created updated event message topic partition offset payload'
).split(' ');

/** Clojure-like source text, varied enough to deflate about 4× like real source. */
function cljSource(ns: string, defs: number): string {
  const random = seeded(createHash('sha256').update(ns).digest().readUInt32BE(0));
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const lines = [`(ns ${ns}\n  (:require [clojure.string :as str]))\n`];
  for (let d = 0; d < defs; d++) {
    const body = Array.from({ length: 6 }, () => `    (${word()} ${word()}-${Math.floor(random() * 1000)} ${word()})`).join('\n');
    lines.push(`(defn f${d}\n  "Returns the ${word()} of ${word()} for ${word()}."\n  [x]\n  (let [y (${word()} x)]\n${body}))\n`);
  }
  return lines.join('\n');
}

/**
 * One jar of about `kib` KiB: a manifest, Clojure sources (compressible, about a quarter of the jar)
 * and .class files (a class-file header over incompressible bytes, the rest).
 */
export function makeJar(index: number, kib: number): Promise<Buffer> {
  const target = kib * 1024;
  const group = `bench/lib${index}`;
  const ns = `bench.lib${index}`;
  const zip = new yazl.ZipFile();
  const mtime = new Date('2020-01-01T00:00:00Z');
  zip.addBuffer(Buffer.from(`Manifest-Version: 1.0\nCreated-By: ion-actions bench\n`), 'META-INF/MANIFEST.MF', { mtime });
  // ~300 bytes of source per defn, deflated ~4.5×: about a quarter of the jar is source.
  const defs = Math.max(1, Math.round((target * 0.25 * 4.5) / 300 / 4));
  for (let s = 0; s < 4; s++) zip.addBuffer(Buffer.from(cljSource(`${ns}.part${s}`, defs)), `${group}/part${s}.clj`, { mtime });
  zip.addBuffer(Buffer.from(`(ns ${ns})\n(defn f [x] x)\n`), `${group}.clj`, { mtime });
  const classBytes = Math.round(target * 0.72);
  const classes = Math.max(1, Math.round(classBytes / (16 * 1024)));
  for (let c = 0; c < classes; c++) {
    const body = noise(`jar ${index} class ${c}`, Math.round(classBytes / classes));
    body.writeUInt32BE(0xcafebabe, 0);
    zip.addBuffer(body, `${group}/part${c % 4}$fn__${c}.class`, { mtime });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV }, maxBuffer: 64 * 1024 * 1024 });
}

const key = (s: WorkloadSpec) => `w-${s.jars}x${s.jarKiB}k-src${s.sourceFiles}${s.directoryFiles ? `-dir${s.directoryFiles}` : ''}`;

/**
 * The workload for `spec` under `root` (built once, then reused: the marker file `.complete` says it
 * was finished). The git tree is made clean before it is handed out.
 */
export async function prepareWorkload(root: string, spec: WorkloadSpec, log: (line: string) => void): Promise<Workload> {
  const base = join(root, key(spec));
  const home = join(base, 'home');
  const project = join(home, 'app');
  const mavenRepo = join(home, '.m2', 'repository');
  const jarPath = (i: number) => join(mavenRepo, 'bench', `lib${i}`, '1.0.0', `lib${i}-1.0.0.jar`);
  const projectPaths = ['src', 'resources', ...(spec.directoryFiles ? ['web'] : [])];

  if (!existsSync(join(base, '.complete'))) {
    log(`Building workload ${key(spec)} under ${base} (kept for later runs)…`);
    rmSync(base, { recursive: true, force: true });
    for (let i = 0; i < spec.jars; i++) {
      const dir = join(mavenRepo, 'bench', `lib${i}`, '1.0.0');
      mkdirSync(dir, { recursive: true });
      writeFileSync(jarPath(i), await makeJar(i, spec.jarKiB));
      writeFileSync(
        join(dir, `lib${i}-1.0.0.pom`),
        `<project><modelVersion>4.0.0</modelVersion><groupId>bench</groupId><artifactId>lib${i}</artifactId><version>1.0.0</version></project>\n`,
      );
    }
    mkdirSync(join(project, 'src', 'app'), { recursive: true });
    mkdirSync(join(project, 'resources', 'datomic'), { recursive: true });
    for (let i = 0; i < spec.sourceFiles; i++) writeFileSync(join(project, 'src', 'app', `ns${i}.clj`), cljSource(`app.ns${i}`, 8));
    writeFileSync(join(project, 'deps.edn'), `{:paths [${projectPaths.map((p) => `"${p}"`).join(' ')}]}\n`);
    writeFileSync(join(project, 'resources', 'datomic', 'ion-config.edn'), '{:app-name "bench-app" :allow [app.ns1/f1 bench.lib0/f]}\n');
    if (spec.directoryFiles) writeDirectory(join(project, 'web'), spec.directoryFiles);
    git(project, 'init', '-q', '-b', 'main');
    git(project, 'add', '-A');
    git(project, 'commit', '-q', '-m', 'workload');
    writeFileSync(join(base, '.complete'), '');
  }

  const jars = Array.from({ length: spec.jars }, (_, i) => jarPath(i));
  const commitAll = (message: string) => {
    if (git(project, 'status', '--porcelain').trim() === '') return;
    git(project, 'add', '-A');
    git(project, 'commit', '-q', '-m', message);
  };
  commitAll('clean up after an interrupted run');
  const sourceFile = (n: number) => join(project, 'src', 'app', `ns${n}.clj`);
  return {
    spec,
    home,
    project,
    mavenRepo,
    classpath: [...projectPaths, ...jars].join(':'),
    projectPaths,
    jars,
    totalJarBytes: jars.reduce((n, j) => n + statSync(j).size, 0),
    files: () => [
      ...jars.map((path) => ({ key: path.slice(home.length + 1), path })),
      ...projectPaths.flatMap((p) => listFiles(join(project, p)).map((path) => ({ key: path.slice(home.length + 1), path }))),
    ],
    commitSourceChange(tag) {
      writeFileSync(sourceFile(0), `${cljSource('app.ns0', 8)}\n;; ${tag}\n`);
      commitAll(`change ${tag}`);
    },
    changeSourceUncommitted(tag) {
      writeFileSync(sourceFile(1), `${cljSource('app.ns1', 8)}\n;; uncommitted ${tag}\n`);
    },
    commitAll,
  };
}

/** `files` small text files, 100 a directory, 200 B–4 KB each (like compiled ClojureScript). */
function writeDirectory(dir: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const sub = join(dir, 'public', `m${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    const size = 200 + ((i * 7919) % 3900);
    const line = `goog.provide("app.m${i}"); var x${i} = function(a){ return a + ${i}; };\n`;
    writeFileSync(join(sub, `f${i}.js`), line.repeat(Math.ceil(size / line.length)).slice(0, size));
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .sort();
}
