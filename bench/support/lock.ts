import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One bench at a time on this machine: the benches share their workload (a git repository they
 * commit to) and would distort each other's figures anyway. Waits while another live process holds
 * `path`; a lock left by a process that died is taken over. Released when this process exits.
 */
export async function holdBenchLock(path: string, log: (line: string) => void): Promise<void> {
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      process.on('exit', () => rmSync(path, { force: true }));
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch {
      continue; // released meanwhile
    }
    const holder = Number(text);
    // An empty file is a lock being written: wait for its pid rather than take it.
    if (text !== '' && (!Number.isInteger(holder) || holder <= 0 || !alive(holder))) {
      rmSync(path, { force: true });
      continue;
    }
    if (!told && text !== '') log(`Another bench (pid ${holder}) is running; waiting for it to finish (${path})…`);
    told ||= text !== '';
    await sleep(text === '' ? 50 : 2000);
  }
}
