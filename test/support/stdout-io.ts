import { jest } from '@jest/globals';
import { type ActionsIO, runnerIO } from '../../src/deploy/actions-io.js';

/** The real runner IO (src/github/workflow-commands.ts underneath), each call's stdout captured: what the deploy log writes. */
export function stdoutIO(): { io: ActionsIO; stdout: () => string } {
  let out = '';
  const captured =
    <A extends unknown[]>(call: (...args: A) => void) =>
    (...args: A) => {
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        out += chunk.toString();
        return true;
      });
      try {
        call(...args);
      } finally {
        spy.mockRestore();
      }
    };
  const io: ActionsIO = {
    info: captured(runnerIO.info),
    untrusted: captured(runnerIO.untrusted),
    error: captured(runnerIO.error),
    warning: captured(runnerIO.warning),
    startGroup: captured(runnerIO.startGroup),
    endGroup: captured(runnerIO.endGroup),
  };
  return { io, stdout: () => out };
}
