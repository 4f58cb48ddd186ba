/*
 * How the actions speak to the GitHub Actions runner ("workflow commands"): inputs, outputs, saved
 * state, masks, log lines, groups, annotations, the step's failure and the job summary.
 *
 * Why not @actions/core: its index statically imports its OIDC client, which pulls in
 * @actions/http-client and undici (0.93 MB bundled). Every action start paid for compiling and running
 * them (measured on a 2-core runner, Node 20: 50-70 ms of CPU per push start, of a warm push that must
 * take under 0.5 s), and no action here uses OIDC. This
 * module does only what the actions use, with node built-ins alone, and writes byte for byte what
 * @actions/core 3.0.1 writes for the same calls (test/unit/workflow-commands.test.ts runs both and
 * compares): the same escaping, the same file-command records, the same quirks (a property that is
 * 0 or '' is left out; an annotation given an object of unset properties is `::error ::message`).
 *
 * The format is the runner's (actions/runner, ActionCommand.cs and ActionCommandManager.cs; our port
 * of its parser is test/support/runner-commands.ts): `::name key=value,key=value::data` on a line of
 * its own, data escaped `%` `\r` `\n`, property values also `:` `,`. Escaping keeps a command on its
 * line; it does not make outside text harmless: that is inert()'s job (src/github/inert-text.ts),
 * which callers still apply to every piece of outside text.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, constants, existsSync } from 'node:fs';
import { access, appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';

/** Where an annotation points (the names @actions/core uses). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

type CommandProperties = Record<string, string | number | undefined>;

// ---------------------------------------------------------------------------------------------
// Inputs and saved state: environment variables the runner sets.

/** The input named `name` (INPUT_<NAME>, spaces as underscores, upper case), trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/** What the main step saved under `name` (saveState), read in the post step (STATE_<name>); '' when unset. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

// ---------------------------------------------------------------------------------------------
// Outputs and saved state: file commands (GITHUB_OUTPUT, GITHUB_STATE), or the old stdout commands
// when the runner gives no file.

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    appendFileCommand('OUTPUT', keyValueRecord(name, value));
  } else {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, value);
  }
}

/** For this action's post step (getState there). */
export function saveState(name: string, value: string): void {
  if (process.env.GITHUB_STATE) appendFileCommand('STATE', keyValueRecord(name, value));
  else issueCommand('save-state', { name }, value);
}

function appendFileCommand(command: 'OUTPUT' | 'STATE', record: string): void {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`);
  appendFileSync(filePath, `${record}${EOL}`, { encoding: 'utf8' });
}

/**
 * `name<<delimiter`, the value, `delimiter`: a heredoc whose delimiter is random, so a value cannot end
 * its record early and set another output; a name or value holding the delimiter is refused.
 */
function keyValueRecord(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}

// ---------------------------------------------------------------------------------------------
// The log: plain lines and stdout commands.

/** One line of the log, as it is (the caller makes outside text inert). */
export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

/** Shown only when the run has step debug logging on. */
export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

/** The runner replaces the secret by *** in every later line of the log (line by line). */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

/** Groups do not nest: a startGroup inside a group ends the first. */
export function startGroup(title: string): void {
  issueCommand('group', {}, title);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', commandProperties(properties), message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', commandProperties(properties), message);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('notice', commandProperties(properties), message);
}

/** The step fails (exit code 1 when the process ends) with `message` as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** The runner's property names; an empty object gives none (and `::error::`), any other object all six. */
function commandProperties(p: AnnotationProperties): CommandProperties {
  if (Object.keys(p).length === 0) return {};
  return { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
}

function issueCommand(command: string, properties: CommandProperties, message: string): void {
  let line = `::${command}`;
  const set = Object.entries(properties).filter(([, value]) => value);
  // As @actions/core: the space goes after the name whenever the object has keys, even if none is set.
  if (Object.keys(properties).length > 0)
    line += ` ${set.map(([key, value]) => `${key}=${escapeProperty(commandValue(value))}`).join(',')}`;
  process.stdout.write(`${line}::${escapeData(message)}${EOL}`);
}

/** As @actions/core's toCommandValue: a number as JSON writes it. */
const commandValue = (value: string | number | undefined): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

// ---------------------------------------------------------------------------------------------
// The job summary: Markdown appended to the file GITHUB_STEP_SUMMARY names.

/** Appends to the step's summary; rejects, saying why, when the runner gives no summary file or it cannot be written. */
export async function appendSummary(markdown: string): Promise<void> {
  const filePath = process.env.GITHUB_STEP_SUMMARY;
  if (!filePath) {
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  }
  try {
    await access(filePath, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${filePath}'. Check if the file has correct read/write permissions.`);
  }
  await appendFile(filePath, markdown, { encoding: 'utf8' });
}
