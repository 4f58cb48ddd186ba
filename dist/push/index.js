import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 5603:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ prefetchGitState),
/* harmony export */   I: () => (/* binding */ readGitState)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);

const git = (args, cwd) => new Promise((resolve) => {
    (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => resolve(err ? null : stdout));
});
/** Reads started ahead by prefetchGitState, each taken by the next readGitState of its directory. */
const ahead = new Map();
/**
 * Starts reading `dir`'s git state now, for the next readGitState(dir) to take (once). The push
 * entry calls it before it loads the bulk of the action, so git runs while the bundle compiles.
 * Only for a caller that knows nothing writes to the work tree in between.
 */
function prefetchGitState(dir) {
    ahead.set(dir, readFreshGitState(dir));
}
/** Reads what the revision decision needs from git; null outside a work tree (or without git). */
function readGitState(dir) {
    const early = ahead.get(dir);
    ahead.delete(dir);
    return early ?? readFreshGitState(dir);
}
async function readFreshGitState(dir) {
    // All three at once, from `dir` itself: HEAD is the same from anywhere in the work tree, and
    // porcelain status paths are relative to the root whatever the directory (git-status(1)), so
    // nothing waits for the root to be known first.
    const [top, head, status] = await Promise.all([
        git(['rev-parse', '--show-toplevel'], dir),
        git(['rev-parse', '--verify', '--quiet', 'HEAD'], dir),
        git(['status', '--porcelain=v1', '--untracked-files=all'], dir),
    ]);
    const root = top?.trim();
    if (!root)
        return null;
    return {
        root,
        commit: head?.trim() || null,
        dirty: (status ?? '').split('\n').filter((l) => l.trim() !== ''),
    };
}


/***/ }),

/***/ 8155:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ hasErrors),
/* harmony export */   y: () => (/* binding */ UserError)
/* harmony export */ });
const hasErrors = (problems) => problems.some((p) => p.severity === 'error');
/** Thrown for failures the user can fix; the message says what to do next. */
class UserError extends Error {
    problems;
    constructor(message, problems = [], options) {
        super(message, options);
        this.problems = problems;
        this.name = 'UserError';
    }
}


/***/ }),

/***/ 6811:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Lw: () => (/* binding */ enableCompileCache),
  CS: () => (/* binding */ printFirstLine),
  XR: () => (/* binding */ pushEarlyInputs),
  xl: () => (/* binding */ pushFirstLine)
});

// UNUSED EXPORTS: actionTitle, deployFirstLine, deployPostFirstLine, packageVersion

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(3136);
// EXTERNAL MODULE: ./src/github/inert-text.ts
var inert_text = __nccwpck_require__(5475);
// EXTERNAL MODULE: ./src/github/input-rules.ts
var input_rules = __nccwpck_require__(6797);
;// CONCATENATED MODULE: ./src/github/action-start.ts







/** The input as @actions/core's getInput reads it (INPUT_<NAME>, spaces as underscores), untrimmed. */
const inputOf = (env) => (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
/** Longest piece of input shown in the first line (an ARN is ~100 characters). */
const MAX = 160;
const show = (text) => (0,inert_text/* inert */.tJ)(text, MAX);
/**
 * `ion-actions <action> <version> (<owner/repo>@<ref>)`: the version of the action's own package.json
 * (the runner checks out the whole action repository, as for infra/hooks), and the ref the workflow
 * used, when the runner says (GITHUB_ACTION_REPOSITORY / GITHUB_ACTION_REF; empty for a local action).
 */
function actionTitle(action, env, version = packageVersion()) {
    const repo = env.GITHUB_ACTION_REPOSITORY ?? '';
    const ref = env.GITHUB_ACTION_REF ?? '';
    const used = repo ? ` (${show(repo)}${ref ? `@${show(ref)}` : ''})` : '';
    return `ion-actions ${action}${version ? ` ${show(version)}` : ''}${used}`;
}
function pushFirstLine(env, workspace = env.GITHUB_WORKSPACE || process.cwd(), version) {
    const rules = new input_rules/* InputRules */.c(inputOf(env));
    const dryRun = rules.boolean('dry-run', false);
    const project = show(rules.workingDirectory(workspace));
    const bucket = rules.text('bucket');
    const where = bucket ? `s3://${show(bucket)}/${show(rules.prefix(''))}` : 'no bucket';
    const what = dryRun ? `validating ${project} (dry run: nothing is uploaded or registered; ${where})` : `pushing ${project} to ${where}`;
    return `${actionTitle('push', env, version)}: ${what}`;
}
/**
 * What the push entry may act on before the rest loads: the project directory, as parsePushInputs
 * reads it (a mistaken guess only costs the head start: push reads git again for another directory),
 * and whether a classpath is given.
 */
function pushEarlyInputs(env, workspace = env.GITHUB_WORKSPACE ?? process.cwd()) {
    const rules = new input_rules/* InputRules */.c(inputOf(env));
    return { projectDir: rules.workingDirectory(workspace), classpathGiven: rules.text('classpath') !== '' };
}
function deployFirstLine(env, version) {
    const rules = new InputRules(inputOf(env));
    const title = actionTitle('deploy', env, version);
    const executionArn = rules.text('execution-arn');
    if (executionArn !== '' && rules.text('group') === '')
        return `${title}: following execution ${show(executionArn)}`;
    const app = rules.text('app-name');
    const rev = rules.text('rev') || (env.GITHUB_SHA ?? '').trim();
    const stateMachine = rules.text('state-machine-arn');
    const wait = rules.boolean('wait', true);
    const what = [
        `deploying ${app ? show(app) : 'the app named in datomic/ion-config.edn'}`,
        rev ? ` revision ${show(rev)}` : '',
        ` to ${show(rules.text('group')) || '(no group given)'}`,
        stateMachine ? ` through ${show(stateMachine)}` : '',
        wait ? '' : ' (not waiting for the end)',
    ].join('');
    return `${title}: ${what}`;
}
/** The post step learns what to do from the main step's saved state, read after this line. */
function deployPostFirstLine(env, version) {
    return `${actionTitle('deploy', env, version)} post step: stopping the deploy if the main step left it running`;
}
/** Prints the line the way core.info does (stdout, one line); the line is already inert. */
function printFirstLine(line) {
    process.stdout.write(`${line}${external_node_os_.EOL}`);
}
/** This project's version, from the package.json above this module (dist/<action>/ or src/github/); '' when not found. */
function packageVersion(from = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url))) {
    for (let dir = from, i = 0; i < 4; dir = (0,external_node_path_.dirname)(dir), i++) {
        try {
            const pkg = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, 'package.json'), 'utf8'));
            if (pkg.name === 'ion-actions' && typeof pkg.version === 'string')
                return pkg.version;
        }
        catch {
            // No package.json here (or not ours): look further up.
        }
    }
    return '';
}
/**
 * Node 22.1+ can keep V8's compiled code of the bundle on disk (in the OS temporary directory), so a
 * second run of the same bundle on the same machine (a self-hosted runner, a re-run) skips compiling
 * it. Node 20 has no such thing: then nothing happens. A cache is an optimisation only: never fatal.
 */
function enableCompileCache() {
    const enable = external_node_module_namespaceObject.enableCompileCache;
    try {
        enable?.();
    }
    catch {
        // An unwritable temporary directory and the like: run without the cache.
    }
}


/***/ }),

/***/ 5475:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   f4: () => (/* binding */ inertOneLine),
/* harmony export */   tJ: () => (/* binding */ inert),
/* harmony export */   wi: () => (/* binding */ inertLines)
/* harmony export */ });
/*
 * The one way text that did not come from this code (AWS answers, hook output, file names, config
 * values, git data) reaches the workflow log. The runner reads every line a step prints as a
 * possible command (actions/runner, ActionCommand.cs and ActionCommandManager.cs):
 *
 * - `::name props::data` when the line starts with `::` after .NET's TrimStart (Unicode white space);
 * - the legacy `##[name props]data` anywhere in the line;
 * - lines end at `\r\n`, `\n` and a lone `\r`;
 * - `::stop-commands::TOKEN` (or `##[stop-commands]TOKEN`) suspends both forms until `::TOKEN::`.
 *
 * `inert` returns one line in which none of that can happen, however the result is concatenated
 * with this code's own text or with other inert pieces:
 * - no line breaks or other control characters (shown as `\n`, `\r`, `\x1b`, `\u2028`, …), so
 *   nothing can start a line of its own, and ANSI sequences cannot repaint the log;
 * - no `#[` (a zero-width space goes between), no leading `[` and no trailing `#`, so no `##[` can
 *   form inside the piece or across its edges;
 * - no `:` as the first character after leading white space, so no piece can begin a `::` command
 *   when it starts a line (and none can complete one that a previous piece began with `:`).
 * The zero-width space (U+200B) is not white space to .NET, so TrimStart keeps it; the text still
 * reads the same.
 */
const ZWSP = '\u200B';
/** C0 controls but tab, DEL, C1 controls (NEL among them), and the Unicode line/paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;
const NAMED = { '\n': '\\n', '\r': '\\r', '\u001b': '\\x1b', '\u0000': '\\0' };
function showControl(c) {
    const named = NAMED[c];
    if (named)
        return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
/**
 * Outside text as one line that the runner shows and never executes. `maxLength` (characters of
 * the result, before the ellipsis) shortens long text; the default keeps it whole.
 */
function inert(text, maxLength = Infinity) {
    let s = typeof text === 'string' ? text : text instanceof Error ? text.message : String(text);
    s = s.replace(/\r\n/g, '\n').replace(CONTROL, showControl);
    if (s.length > maxLength)
        s = `${s.slice(0, Math.max(0, maxLength - 1))}…`;
    s = s.replace(/#\[/g, `#${ZWSP}[`);
    s = s.replace(/^(\s*)([:[])/u, `$1${ZWSP}$2`);
    if (s.endsWith('#'))
        s += ZWSP;
    return s;
}
/**
 * Multi-line outside text (a hook's log tail, a cause's JSON) as inert lines, each shown as it was.
 * Tabs stay; every other control character is shown escaped.
 */
function inertLines(text, maxLines = Infinity) {
    const lines = text.replace(/\r\n/g, '\n').split(/[\n\r]/);
    if (lines.length && lines[lines.length - 1] === '')
        lines.pop();
    const kept = lines.length > maxLines ? lines.slice(-maxLines) : lines;
    return kept.map((line) => inert(line));
}
/** White space collapsed to single spaces, then made inert: for one-line messages built from outside text. */
function inertOneLine(text, maxLength = 500) {
    return inert(text.replace(/\s+/g, ' ').trim(), maxLength);
}


/***/ }),

/***/ 6797:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ inputProblemsError),
/* harmony export */   c: () => (/* binding */ InputRules)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_problems_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8155);


const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PREFIX_CHARS = /^[A-Za-z0-9!_.*'()/-]+$/;
const TRUE = ['true', 'yes', '1'];
const FALSE = ['false', 'no', '0'];
class InputRules {
    read;
    problems = [];
    constructor(read) {
        this.read = read;
    }
    /** The input, trimmed ('' when not set). */
    text(name) {
        return this.read(name).trim();
    }
    error(message) {
        this.problems.push({ severity: 'error', message });
    }
    get ok() {
        return !this.problems.some((p) => p.severity === 'error');
    }
    boolean(name, fallback) {
        const v = this.text(name).toLowerCase();
        if (v === '')
            return fallback;
        if (TRUE.includes(v))
            return true;
        if (FALSE.includes(v))
            return false;
        this.error(`${name}: "${v}" is not a boolean; use true or false`);
        return fallback;
    }
    /** An S3 bucket name; `required` says why it is needed, or false when it may be empty. */
    bucket(required, name = 'bucket') {
        const bucket = this.text(name);
        if (bucket === '') {
            if (required)
                this.error(`${name}: required; ${required}`);
        }
        else if (!BUCKET.test(bucket)) {
            this.error(`${name}: "${bucket}" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-"); give the name, not an s3:// URL or ARN`);
        }
        return bucket;
    }
    /** A key prefix without leading or trailing slashes (default `ions`); `hint` says what to use instead. */
    prefix(hint, name = 'prefix') {
        const prefix = this.text(name).replace(/^\/+|\/+$/g, '') || 'ions';
        if (!PREFIX_CHARS.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..')) {
            this.error(`${name}: "${prefix}" is not a safe S3 key prefix; ${hint}`);
        }
        return prefix;
    }
    /** An AWS region, or '' for the credential chain's default. */
    region(name = 'region') {
        const region = this.text(name);
        if (region !== '' && !REGION.test(region))
            this.error(`${name}: "${region}" is not an AWS region such as us-east-1`);
        return region;
    }
    /** The directory, absolute: relative to the workspace unless absolute (default: the workspace). */
    workingDirectory(workspace, name = 'working-directory') {
        const wd = this.text(name) || '.';
        return (0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(wd) ? wd : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(workspace, wd);
    }
}
/** The one failure for bad inputs, carrying every problem (the action annotates them, then fails with this message). */
function inputProblemsError(problems) {
    const n = problems.filter((p) => p.severity === 'error').length;
    return new _core_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .y(`${n} input ${n === 1 ? 'problem' : 'problems'} (above): fix the step's \`with:\` block.`, problems);
}


/***/ }),

/***/ 5188:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _core_git_read_git_state_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5603);
/* harmony import */ var _github_action_start_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6811);


// The first line before the rest of the action loads (the AWS SDK is most of the bundle): the log
// says at once which action runs and what it is about to do. The build puts run.js and what it
// imports in a chunk of its own (dist/push/<id>.index.js), loaded here.
(0,_github_action_start_js__WEBPACK_IMPORTED_MODULE_1__/* .printFirstLine */ .CS)((0,_github_action_start_js__WEBPACK_IMPORTED_MODULE_1__/* .pushFirstLine */ .xl)(process.env));
(0,_github_action_start_js__WEBPACK_IMPORTED_MODULE_1__/* .enableCompileCache */ .Lw)();
// With a given classpath, nothing runs in the project before push reads git (no `clojure -Spath`,
// which may write .cpcache/ into the tree): git can run now, while the rest of the action loads.
const early = (0,_github_action_start_js__WEBPACK_IMPORTED_MODULE_1__/* .pushEarlyInputs */ .XR)(process.env);
if (early.classpathGiven)
    (0,_core_git_read_git_state_js__WEBPACK_IMPORTED_MODULE_0__/* .prefetchGitState */ .F)(early.projectDir);
const { run } = await Promise.all(/* import() */[__nccwpck_require__.e(955), __nccwpck_require__.e(507)]).then(__nccwpck_require__.bind(__nccwpck_require__, 5507));
await run();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 3106:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(5188);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
