import * as runner from './workflow-commands.js';
import { inertLines } from './inert-text.js';

/**
 * Prints multi-line text that came from elsewhere (a remote script's log, a file's content), each
 * line made inert (see inert-text.ts): it is shown as it was and cannot set outputs, masks or
 * annotations, nor suspend the runner's command processing.
 */
export function printUntrusted(text: string): void {
  for (const line of inertLines(text)) runner.info(line);
}
