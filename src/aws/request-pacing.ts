import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

/** What pacing needs: a call budget to take one call from (the deploy's PollPacer). */
export interface CallBudget {
  take(): Promise<void>;
}

/**
 * Every HTTP request the client sends first takes a call from the budget: retries and further pages
 * too, so the budget counts what AWS sees, not the port calls that asked for them. Added after the
 * SDK's retry middleware (finalizeRequest, low priority), it runs once per attempt.
 */
// biome-ignore lint/suspicious/noExplicitAny: each client has its own input union; the middleware never looks at the input.
export function paceRequests<C extends { middlewareStack: MiddlewareStack<any, MetadataBearer> }>(client: C, budget: CallBudget): C {
  client.middlewareStack.add(
    (next) => async (args) => {
      await budget.take();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'ionActionsCallBudget' },
  );
  return client;
}
