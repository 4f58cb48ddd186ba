/**
 * exitOnceFlushed (src/github/action-start.ts): the push action ends its process itself, and never
 * before every line it wrote has been handed to the OS. Streams here hold their writes until the
 * test releases them, so nothing depends on timing.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { REPO_ROOT } from '../../local-cloud/run-action.js';
import { exitOnceFlushed } from '../../src/github/action-start.js';

/** A stream whose writes complete only when release() is called (as a full pipe's do when read). */
function heldStream(fail?: Error) {
  const pending: ((err?: Error | null) => void)[] = [];
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      pending.push(callback);
    },
  });
  stream.on('error', () => undefined);
  return {
    stream,
    written,
    release: () => {
      for (const cb of pending.splice(0)) cb(fail);
    },
  };
}

const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('exitOnceFlushed', () => {
  test('exits only after every earlier write on every stream completed, with process.exitCode', async () => {
    const out = heldStream();
    const err = heldStream();
    out.stream.write('Pushed app revision abc\n');
    err.stream.write('a warning\n');
    const exits: unknown[] = [];
    const saved = process.exitCode;
    process.exitCode = 1;
    try {
      const done = exitOnceFlushed([out.stream, err.stream], (code) => exits.push(code));
      await turns();
      expect(exits).toEqual([]);
      out.release();
      await turns();
      expect(exits).toEqual([]);
      err.release();
      await turns();
      // The empty writes exitOnceFlushed queued behind the held ones complete now too.
      out.release();
      err.release();
      await done;
      expect(exits).toEqual([1]);
      expect(out.written[0]).toBe('Pushed app revision abc\n');
    } finally {
      process.exitCode = saved;
    }
  });

  test('a stream that fails (a closed pipe) does not keep the process alive', async () => {
    const closed = heldStream(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    closed.stream.write('x\n');
    const exits: unknown[] = [];
    const done = exitOnceFlushed([closed.stream], (code) => exits.push(code));
    closed.release();
    await turns();
    closed.release();
    await done;
    expect(exits).toHaveLength(1);
  });

  test('a real process piping 4 MiB to its parent loses none of it and exits with its exit code', async () => {
    const script = [
      `import { exitOnceFlushed } from ${JSON.stringify(join(REPO_ROOT, 'src/github/action-start.ts'))};`,
      "const line = 'x'.repeat(1023) + '\\n';",
      'for (let i = 0; i < 4096; i++) process.stdout.write(line);',
      "process.stdout.write('last line\\n');",
      'process.exitCode = 3;',
      // Something that would keep a naturally exiting process alive for a minute.
      'setTimeout(() => undefined, 60_000);',
      'await exitOnceFlushed();',
    ].join('\n');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }),
      );
      child.stdin?.end();
    });
    expect(result.code).toBe(3);
    expect(result.stdout.length).toBe(4096 * 1024 + 'last line\n'.length);
    expect(result.stdout.endsWith('last line\n')).toBe(true);
  }, 60_000);
});
