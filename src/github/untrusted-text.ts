import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';

/**
 * Prints text that came from elsewhere (a remote script's log, a file's content) so that any
 * `::workflow-command::` inside it is shown, not executed: it cannot set outputs, masks or annotations.
 */
export function printUntrusted(text: string): void {
  const token = randomBytes(16).toString('hex');
  core.info(`::stop-commands::${token}`);
  core.info(text);
  core.info(`::${token}::`);
}
