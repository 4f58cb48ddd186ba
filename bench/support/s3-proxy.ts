import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ProxyMessage, ProxyStats } from './proxy-stats.js';

export interface BenchProxy {
  url: string;
  /** Zeroes the counters (answered once the proxy has done it). */
  reset(): Promise<void>;
  stats(): Promise<ProxyStats>;
  close(): Promise<void>;
}

/**
 * Starts the counting proxy (s3-proxy-process.ts) in its own process, in front of `upstream`, adding
 * `latencyMs` to every request. The child runs TypeScript through tsx's loader, as this bench does.
 */
export async function startBenchProxy(upstream: string, latencyMs: number): Promise<BenchProxy> {
  const child = fork(join(import.meta.dirname, 's3-proxy-process.ts'), [upstream, String(latencyMs)], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: ProxyMessage['type']) =>
    new Promise<ProxyMessage>((resolve, reject) => {
      const onMessage = (m: ProxyMessage) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`the S3 proxy process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  if (ready.type !== 'ready') throw new Error('unreachable');
  return {
    url: ready.url,
    async reset() {
      const answer = next('reset');
      child.send({ type: 'reset' });
      await answer;
    },
    async stats() {
      const answer = next('stats');
      child.send({ type: 'stats' });
      const m = await answer;
      if (m.type !== 'stats' || !m.stats) throw new Error('the S3 proxy sent no stats');
      return m.stats;
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    },
  };
}
