// Types of changelog-section.mjs (a plain script, run by the release workflow without a build step).

/** The version a release tag names: `v1.2.3`, `refs/tags/v1.2.3` or `1.2.3` give `1.2.3`. */
export declare function releaseVersion(tag: string): string;

/** The notes of `version` in `markdown`, without its heading; throws an Error that says what to write. */
export declare function changelogSection(markdown: string, version: string): string;
