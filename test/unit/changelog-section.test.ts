/**
 * Release notes come from CHANGELOG.md (scripts/changelog-section.mjs, run by the release workflow):
 * exactly one version's entries, or a failure that says what to write. And CHANGELOG.md itself stays
 * releasable: package.json's version has a dated section with entries, so the release workflow cannot
 * stop on the notes of a commit CI passed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { changelogSection, releaseVersion } from '../../scripts/changelog-section.mjs';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'changelog-section.mjs');

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

### Added

### Fixed

- not released yet

## [1.1.0] - 2026-12-24

### Added

- reusable workflow
  (continued line)

### Changed

### Fixed

- a fix

## [1.0.0] - 2026-12-01

- first release

[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
[1.0.0]: https://example.com/releases/v1.0.0
`;

describe('releaseVersion', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['refs/tags/v1.2.3', '1.2.3'],
    ['1.2.3', '1.2.3'],
    ['v10.0.12', '10.0.12'],
    ['v1.0.0-rc.1', '1.0.0-rc.1'],
  ])('%s names %s', (tag, version) => expect(releaseVersion(tag)).toBe(version));

  it.each(['v1', 'v1.2', 'main', 'vx.y.z', 'v1.2.3; rm -rf /', ''])('%j is not a release tag', (tag) => {
    expect(() => releaseVersion(tag)).toThrow(/is not a release tag: tag releases vMAJOR\.MINOR\.PATCH/);
  });
});

describe('changelogSection', () => {
  it('is the version’s entries, without its heading, the empty headings or the link definitions', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Added\n\n- reusable workflow\n  (continued line)\n\n### Fixed\n\n- a fix');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('- first release');
  });

  it('accepts keep-a-changelog’s variants: no brackets, an en dash, CRLF', () => {
    expect(changelogSection('## 2.0.0 – 2027-01-01\r\n- x\r\n', '2.0.0')).toBe('- x');
  });

  it('never takes a neighbour’s notes for a missing version', () => {
    expect(() => changelogSection(CHANGELOG, '1.0.1')).toThrow(
      'CHANGELOG.md has no section for 1.0.1: add "## [1.0.1] - YYYY-MM-DD" above the previous release and move the Unreleased entries under it',
    );
    expect(() => changelogSection(CHANGELOG, '1.1')).toThrow(/no section for 1\.1:/);
  });

  it('refuses an undated section (still Unreleased in all but name)', () => {
    expect(() => changelogSection('## [1.2.0]\n- x\n', '1.2.0')).toThrow(
      'has no release date: write its heading as "## [1.2.0] - YYYY-MM-DD"',
    );
    expect(() => changelogSection('## [1.2.0] - soon\n- x\n', '1.2.0')).toThrow(/no release date/);
  });

  it('refuses a section with headings and no entries', () => {
    expect(() => changelogSection('## [1.2.0] - 2026-12-01\n\n### Added\n\n### Fixed\n\n## [1.1.0] - 2026-11-01\n- x\n', '1.2.0')).toThrow(
      "CHANGELOG.md's section for 1.2.0 has no entries",
    );
  });

  it('refuses two sections for one version', () => {
    expect(() => changelogSection('## [1.2.0] - 2026-12-01\n- a\n## [1.2.0] - 2026-12-02\n- b\n', '1.2.0')).toThrow(
      'has 2 sections for 1.2.0: keep one',
    );
  });
});

describe('the command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'changelog-'));
  const file = join(dir, 'CHANGELOG.md');
  writeFileSync(file, CHANGELOG);

  it('prints the notes of the tag’s version', () => {
    expect(execFileSync(process.execPath, [SCRIPT, 'refs/tags/v1.1.0', file], { encoding: 'utf8' })).toBe(
      `${changelogSection(CHANGELOG, '1.1.0')}\n`,
    );
  });

  it('fails with the reason on stderr and nothing on stdout', () => {
    const r = spawnSync(process.execPath, [SCRIPT, 'v9.9.9', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'CHANGELOG.md has no section for 9.9.9: add "## [9.9.9] - YYYY-MM-DD" above the previous release and move the Unreleased entries under it',
    );
    expect(spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' }).status).toBe(2);
  });
});

describe("the repository's CHANGELOG.md", () => {
  const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  const headings = changelog.split('\n').filter((l) => l.startsWith('## '));

  it('starts with an Unreleased section for the next release’s entries', () => {
    expect(headings[0]).toBe('## [Unreleased]');
  });

  it("has package.json's version, dated, with entries (what the release workflow will publish)", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(changelogSection(changelog, version).length).toBeGreaterThan(0);
  });

  it('lists releases newest first, each dated and with entries', () => {
    const released = headings.slice(1).map((h) => /^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$/.exec(h));
    expect(released.every(Boolean)).toBe(true);
    const versions = released.map((m) => m![1]!);
    const dates = released.map((m) => m![2]!);
    const byNumber = [...versions].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    expect(versions).toEqual(byNumber);
    expect(dates).toEqual([...dates].sort().reverse());
    for (const v of versions) expect(changelogSection(changelog, v).length).toBeGreaterThan(0);
  });
});
