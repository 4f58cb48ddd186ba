// Prints one version's notes from CHANGELOG.md (keep-a-changelog style): the body of GitHub release vX.Y.Z.
// Usage: node scripts/changelog-section.mjs <X.Y.Z | vX.Y.Z | refs/tags/vX.Y.Z> [path/to/CHANGELOG.md]
// Fails (exit 1, saying what to write) when the version has no section, no date, or no entries, so a
// release never goes out with empty or someone else's notes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEMVER = '(\\d+)\\.(\\d+)\\.(\\d+)(?:-[0-9A-Za-z.-]+)?';
const TAG = new RegExp(`^(?:refs/tags/)?v?(${SEMVER})$`);
/** `## [1.2.3] - 2026-12-01` (brackets, dash and date as keep-a-changelog writes them; an en or em dash too). */
const HEADING = /^##\s+\[?([^\]\s]+)\]?(?:\s+[-–—]\s+(.*?))?\s*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Link reference definitions (`[1.2.3]: https://…`) belong to the file's footer, not to a section. */
const LINK_DEFINITION = /^\[[^\]]+\]:\s+\S+/;

/** The version a release tag names: `v1.2.3`, `refs/tags/v1.2.3` or `1.2.3` give `1.2.3`. */
export function releaseVersion(tag) {
  const m = TAG.exec(tag.trim());
  if (!m) throw new Error(`'${tag}' is not a release tag: tag releases vMAJOR.MINOR.PATCH, e.g. v1.2.0`);
  return m[1];
}

/** Drops `###` headings with no entries under them (the Unreleased template's empty headings). */
function withoutEmptyHeadings(lines) {
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^###\s/.test(lines[i])) {
      let j = i + 1;
      while (j < lines.length && lines[j].trim() === '') j++;
      if (j === lines.length || /^###\s/.test(lines[j])) {
        i = j - 1;
        continue;
      }
    }
    out.push(lines[i]);
  }
  return out;
}

/** The notes of `version` in `markdown`, without its heading; throws an Error that says what to write. */
export function changelogSection(markdown, version) {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const starts = [];
  lines.forEach((line, i) => {
    const m = HEADING.exec(line);
    if (m && m[1] === version) starts.push({ i, date: m[2] });
  });
  const wanted = `"## [${version}] - YYYY-MM-DD"`;
  if (starts.length === 0) {
    throw new Error(
      `CHANGELOG.md has no section for ${version}: add ${wanted} above the previous release and move the Unreleased entries under it`,
    );
  }
  if (starts.length > 1) throw new Error(`CHANGELOG.md has ${starts.length} sections for ${version}: keep one`);
  const { i, date } = starts[0];
  if (!date || !DATE.test(date))
    throw new Error(`CHANGELOG.md's section for ${version} has no release date: write its heading as ${wanted}`);
  let end = lines.findIndex((line, j) => j > i && /^##\s/.test(line));
  if (end === -1) end = lines.length;
  const body = withoutEmptyHeadings(lines.slice(i + 1, end).filter((line) => !LINK_DEFINITION.test(line)));
  const text = body.join('\n').trim();
  if (!body.some((line) => line.trim() !== '' && !/^###\s/.test(line))) {
    throw new Error(
      `CHANGELOG.md's section for ${version} has no entries: list what changed under it (### Added, ### Changed, ### Fixed, …)`,
    );
  }
  return text;
}

function main([tag, path = 'CHANGELOG.md']) {
  if (!tag) {
    console.error('usage: node scripts/changelog-section.mjs <vX.Y.Z> [CHANGELOG.md]');
    return 2;
  }
  try {
    process.stdout.write(`${changelogSection(readFileSync(path, 'utf8'), releaseVersion(tag))}\n`);
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
