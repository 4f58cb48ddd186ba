import * as runner from '../github/workflow-commands.js';
import { printUntrusted } from '../github/untrusted-text.js';

/** The few runner facilities the deploy's reporting uses; injectable so reporting is testable without a runner. */
export interface ActionsIO {
  info(line: string): void;
  /** Text from elsewhere (log tails, causes): printed so workflow commands inside it do nothing. */
  untrusted(text: string): void;
  error(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

export const runnerIO: ActionsIO = {
  info: (line) => runner.info(line),
  untrusted: (text) => printUntrusted(text),
  error: (message, title) => runner.error(message, title ? { title } : {}),
  warning: (message, title) => runner.warning(message, title ? { title } : {}),
  startGroup: (title) => runner.startGroup(title),
  endGroup: () => runner.endGroup(),
};
