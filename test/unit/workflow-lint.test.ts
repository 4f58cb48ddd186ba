/**
 * What users copy is valid: every workflow in .github/workflows, every YAML workflow snippet in
 * README.md and docs/*.md, and every action.yml pass scripts/lint-workflows.ts (GitHub's own workflow
 * parser plus this project's rules). Each check is shown to fail on one planted mistake in a temp copy
 * of the repository. The linter runs as a child under tsx (the parser's JSON imports need it on Node 20).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  actionFiles,
  formatProblem,
  type LintReport,
  lineAndColumn,
  ownTarget,
  snippetKind,
  wrapSnippet,
  yamlBlocks,
} from '../../scripts/lint-workflows.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const LINTER = join(ROOT, 'scripts', 'lint-workflows.ts');

/** Runs the linter on some roots, one process for all. */
function lint(roots: string[]): Promise<{ code: number; reports: Record<string, LintReport>; stderr: string }> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', LINTER, '--json', ...roots],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        try {
          done({ code, reports: JSON.parse(stdout) as Record<string, LintReport>, stderr });
        } catch {
          fail(new Error(`the linter printed no report (exit ${code}): ${stderr || stdout}`));
        }
      },
    );
  });
}

const rendered = (r: LintReport) => r.problems.map(formatProblem);

describe('the repository', () => {
  it('has valid workflows, workflow snippets and action.yml files', async () => {
    const { code, reports, stderr } = await lint([ROOT]);
    const report = reports[ROOT]!;
    expect({ problems: rendered(report), stderr }).toEqual({ problems: [], stderr: '' });
    expect(code).toBe(0);
    const files = new Set(report.checked.map((c) => c.file));
    // Everything there is to check was checked: every workflow file, the README's snippets, every action.
    for (const wf of readdirSync(join(ROOT, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f))) {
      expect(files).toContain(join('.github', 'workflows', wf));
    }
    expect(report.checked.filter((c) => c.file === 'README.md').length).toBeGreaterThan(0);
    expect(report.checked.filter((c) => c.what === 'action').map((c) => c.file)).toEqual([
      'action.yml',
      'deploy/action.yml',
      'push/action.yml',
    ]);
  }, 120_000);
});

describe('each check fails on a planted mistake', () => {
  const base = mkdtempSync(join(tmpdir(), 'workflow-lint-'));
  /** A copy of what the linter reads (dist/ entries as empty files), changed by `plant`. */
  const copy = (name: string, plant: (dir: string) => void): string => {
    const dir = join(base, name);
    for (const path of ['README.md', 'docs', '.github', 'action.yml', 'push', 'deploy'])
      cpSync(join(ROOT, path), join(dir, path), { recursive: true });
    for (const entry of ['push', 'deploy', 'deploy-cleanup']) {
      mkdirSync(join(dir, 'dist', entry), { recursive: true });
      writeFileSync(join(dir, 'dist', entry, 'index.js'), '');
    }
    plant(dir);
    return dir;
  };
  const edit = (dir: string, file: string, from: string | RegExp, to: string) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`planting failed: ${String(from)} not in ${file}`);
    writeFileSync(path, changed);
  };
  const lineOf = (dir: string, file: string, needle: string) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1;
  const append = (dir: string, file: string, text: string) =>
    writeFileSync(join(dir, file), `${readFileSync(join(dir, file), 'utf8')}\n${text}`);

  const cases: Record<string, { dir: string; expect: (r: LintReport, dir: string) => void }> = {};
  const plant = (name: string, change: (dir: string) => void, check: (r: LintReport, dir: string) => void) => {
    cases[name] = { dir: copy(name, change), expect: check };
  };

  plant(
    'control',
    () => {},
    (r) => expect(rendered(r)).toEqual([]),
  );
  plant(
    'readme-step-key',
    (d) => edit(d, 'README.md', '      - id: push\n', '      - id: push\n        bogus: 1\n'),
    (r, d) => expect(rendered(r)).toContain(`README.md:${lineOf(d, 'README.md', 'bogus: 1')}:9: Unexpected value 'bogus'`),
  );
  plant(
    'docs-action-input',
    (d) => edit(d, 'docs/deploy.md', /( {10})bucket: my-ion-code\n/, '$1buckt: my-ion-code\n'),
    (r, d) =>
      expect(rendered(r).join('\n')).toContain(
        `docs/deploy.md:${lineOf(d, 'docs/deploy.md', 'buckt:')}:11: OWNER/ion-actions/deploy@v1 has no input 'buckt'`,
      ),
  );
  plant(
    'docs-step-list-expression',
    (d) => append(d, 'docs/deploy.md', '```yaml\n- uses: OWNER/ion-actions/deploy@v1\n  with:\n    rev: ${{ github.sha\n```\n'),
    (r, d) => {
      const line = lineOf(d, 'docs/deploy.md', 'rev: ${{ github.sha');
      expect(rendered(r).join('\n')).toContain(`docs/deploy.md:${line}:10: The expression is not closed`);
    },
  );
  plant(
    'docs-reusable-workflow-input',
    (d) =>
      append(
        d,
        'docs/deploy.md',
        '```yaml\njobs:\n  ion:\n    uses: OWNER/ion-actions/.github/workflows/ion.yml@v1\n    with: { buckets: my-ion-code, region: us-east-1 }\n```\n',
      ),
    (r) => {
      const text = rendered(r).join('\n');
      expect(text).toContain('Invalid input, buckets is not defined in the referenced workflow.');
      expect(text).toContain('Input bucket is required, but not provided while calling.');
    },
  );
  plant(
    'workflow-needs',
    (d) => edit(d, '.github/workflows/ion.yml', 'needs: push\n', 'needs: pusj\n'),
    (r) => expect(rendered(r).join('\n')).toMatch(/\.github\/workflows\/ion\.yml:\d+:\d+: Job 'deploy' depends on unknown job 'pusj'/),
  );
  plant(
    'workflow-undeclared-input',
    (d) => edit(d, '.github/workflows/ion.yml', 'bucket: ${{ inputs.bucket }}', 'bucket: ${{ inputs.bukcet }}'),
    (r) => expect(rendered(r).join('\n')).toMatch(/ion\.yml:\d+:\d+: inputs\.bukcet is not a declared input/),
  );
  plant(
    'workflow-run-script',
    // GROUPS is a bash array: an env var by that name never reaches the script (shellcheck SC2128).
    (d) => edit(d, '.github/workflows/ion.yml', '<<<"$ION_GROUPS"', '<<<"$GROUPS"'),
    (r) => expect(rendered(r).join('\n')).toMatch(/ion\.yml:\d+:\d+: shellcheck SC2128: Expanding an array without an index/),
  );
  plant(
    'action-schema',
    (d) => edit(d, 'action.yml', "  main: 'dist/push/index.js'", "  main: 'dist/push/index.js'\n  bogus: 1"),
    (r) => expect(rendered(r).join('\n')).toMatch(/^action\.yml:\d+:\d+: Unexpected value 'bogus'/m),
  );
  plant(
    'action-runtime',
    (d) => edit(d, 'deploy/action.yml', "using: 'node24'", "using: 'node20'"),
    (r) =>
      expect(rendered(r)).toContain(
        "deploy/action.yml: runs.using is 'node20': the actions run on node24, the runtime dist/ is built and tested for",
      ),
  );
  plant(
    'action-entry',
    (d) => rmSync(join(d, 'dist', 'deploy-cleanup', 'index.js')),
    (r) =>
      expect(rendered(r)).toContain(
        "deploy/action.yml: runs.post '../dist/deploy-cleanup/index.js' does not exist: run npm run build and commit dist/",
      ),
  );
  plant(
    'action-description',
    (d) => edit(d, 'push/action.yml', "    description: 'Directory holding deps.edn'\n", ''),
    (r) =>
      expect(rendered(r)).toContain(
        "push/action.yml: input 'working-directory' has no description: the runner and the Marketplace page show it to users",
      ),
  );

  let reports: Record<string, LintReport>;
  let exitCode: number;
  beforeAll(async () => {
    const run = await lint(Object.values(cases).map((c) => c.dir));
    reports = run.reports;
    exitCode = run.code;
  }, 180_000);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it.each(Object.keys(cases))('%s', (name) => {
    const c = cases[name]!;
    c.expect(reports[c.dir]!, c.dir);
    if (name !== 'control') expect(reports[c.dir]!.problems.length).toBeGreaterThan(0);
  });

  it('exits non-zero when any root has a problem', () => expect(exitCode).toBe(1));
});

describe('snippets', () => {
  it('finds ```yaml and ```yml blocks, indented ones too, with the line of their first content line', () => {
    const md = ['# t', '```yaml', 'on: push', '```', '', '1. step', '   ```yml', '   - run: x', '   ```', '```sh', 'echo', '```'].join(
      '\n',
    );
    expect(yamlBlocks(md)).toEqual([
      { line: 3, text: 'on: push' },
      { line: 8, text: '- run: x' },
    ]);
  });

  it.each([
    ['on: push\njobs: {}', 'workflow'],
    ['jobs:\n  a:\n    runs-on: x\n    steps: [{ run: y }]', 'untriggered'],
    ['build:\n  runs-on: x\n  steps: [{ run: y }]', 'jobs'],
    ['runs-on: x\nsteps:\n  - run: y', 'job'],
    ['- uses: a/b@v1\n- run: y', 'steps'],
    ['version: 0.0\nos: linux\nhooks: {}', null], // an appspec
    ['Resources:\n  Bucket: { Type: AWS::S3::Bucket }', null], // CloudFormation
    ['- a\n- b', null],
    ['on: push\njobs:\n  a: [', 'workflow'], // broken YAML that looks like a workflow is still linted
  ])('%j is snippet kind %p', (text, kind) => {
    expect(snippetKind(text)).toBe(kind);
  });

  it('wraps a step list so that positions map back to the block', () => {
    const w = wrapSnippet('- run: a\n- run: b', 'steps');
    expect(w.workflow.split('\n')[w.headerLines + 1]).toBe(`${' '.repeat(w.indent)}- run: b`);
    expect(snippetKind(w.workflow)).toBe('workflow');
  });

  it('knows which uses: name this repository', () => {
    expect(ownTarget('OWNER/ion-actions/deploy@v1', false)).toBe('deploy');
    expect(ownTarget('acme/ion-actions@v1.2.3', false)).toBe('');
    expect(ownTarget('acme/ion-actions/.github/workflows/ion.yml@v1', false)).toBe('.github/workflows/ion.yml');
    expect(ownTarget('./.ion-actions/push', false)).toBe('push');
    expect(ownTarget('./push', false)).toBeNull(); // in a user's snippet, ./ is the user's repository
    expect(ownTarget('./push', true)).toBe('push');
    expect(ownTarget('actions/checkout@v4', true)).toBeNull();
    expect(ownTarget('acme/ion-actions-fork/push@v1', false)).toBeNull();
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab', 0)).toEqual({ line: 1, column: 1 });
  });

  it('lists the root action and one level of action directories', () => {
    expect(actionFiles(ROOT)).toEqual(['action.yml', 'deploy/action.yml', 'push/action.yml']);
  });
});

describe('printing', () => {
  it.each(HOSTILE_STRINGS)('a problem whose file or message holds %j prints as text', (s) => {
    const line = formatProblem({ file: s, line: 1, column: 2, message: `input '${s}' has no description` });
    expect(runnerCommands(line)).toEqual([]);
  });
});
