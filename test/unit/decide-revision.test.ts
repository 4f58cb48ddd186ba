import { decideRevision, unameProblem } from '../../src/core/revision/decide-revision.js';
import type { ClassifiedEntry } from '../../src/core/classpath/classify-entry.js';

const clean = { root: '/repo', commit: 'a'.repeat(40), dirty: [] };
const maven: ClassifiedEntry = { raw: 'x.jar', path: '/m2/x.jar', kind: 'maven', packaging: 'jar', origin: 'x/x 1' };
const local: ClassifiedEntry = { raw: '/opt/y', path: '/opt/y', kind: 'local', packaging: 'dir', origin: '/opt/y' };

describe('decideRevision', () => {
  test('clean committed code with no local deps is named after the commit', () => {
    expect(decideRevision('', clean, [maven])).toEqual({ ok: true, rev: clean.commit, reproducible: true, commit: clean.commit });
  });

  test('every reason is listed, dirty files with their paths', () => {
    const d = decideRevision('', { ...clean, dirty: [' M src/a.clj', '?? notes.txt', 'R  old.clj -> new.clj'] }, [maven, local]);
    expect(d).toEqual({
      ok: false,
      reasons: [
        { message: 'uncommitted change (M): src/a.clj', file: '/repo/src/a.clj' },
        { message: 'uncommitted change (??): notes.txt', file: '/repo/notes.txt' },
        { message: 'uncommitted change (R): new.clj', file: '/repo/new.clj' },
        { message: 'local dependency outside the repository: /opt/y' },
      ],
    });
  });

  test('outside git, or before the first commit, only a uname will do', () => {
    expect(decideRevision('', null, [])).toEqual({ ok: false, reasons: [{ message: 'the project is not in a git repository' }] });
    expect(decideRevision('', { ...clean, commit: null }, [])).toMatchObject({ ok: false });
    expect(decideRevision('dev-1', null, [])).toEqual({ ok: true, rev: 'dev-1', reproducible: false, commit: null });
  });

  test('a uname on clean code is still reproducible', () => {
    expect(decideRevision('v1.2.0', clean, [maven])).toEqual({ ok: true, rev: 'v1.2.0', reproducible: true, commit: clean.commit });
  });

  test('uname characters', () => {
    expect(unameProblem('release-2026.11_1')).toBeNull();
    for (const bad of ['', 'a b', 'a/b', '.hidden', '-x', 'x'.repeat(65)]) expect(unameProblem(bad)).toMatch(/not a valid revision name/);
    // deploy's `rev: previous` is a keyword, so no revision may carry that name.
    expect(unameProblem('previous')).toMatch(/reserved/);
  });
});
