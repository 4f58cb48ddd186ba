import type { PollPacer } from './poll-pacer.js';

/**
 * Wraps a port so that every call first takes a token from the pacer's call budget: the budget per
 * port call, for runs of the core on plain-data ports (simulated time). The action itself meters each
 * HTTP request instead (src/aws/request-pacing.ts), so pages and retries count too.
 */
export function metered<T extends object>(port: T, pacer: PollPacer): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await pacer.take();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
