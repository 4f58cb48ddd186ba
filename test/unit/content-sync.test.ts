import type { ContentObject } from '../../src/core/content/objects.js';
import { syncObjects, type ObjectStore, type SyncProgress } from '../../src/core/content/sync.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An in-memory store that records calls and concurrency; `failPut` keys reject. */
class MemoryStore implements ObjectStore {
  readonly stored = new Map<string, ContentObject>();
  readonly calls = { exists: 0, put: 0 };
  inFlight = 0;
  maxInFlight = 0;
  settled: string[] = [];
  constructor(
    private readonly opts: { delayMs?: number; failPut?: Set<string>; failExists?: Set<string>; putDelay?: (key: string) => number } = {},
  ) {}

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await fn();
    } finally {
      this.inFlight -= 1;
    }
  }

  exists(key: string) {
    this.calls.exists += 1;
    return this.track(async () => {
      await sleep(this.opts.delayMs ?? 0);
      if (this.opts.failExists?.has(key)) throw new Error('connection reset');
      return this.stored.has(key);
    });
  }

  put(object: ContentObject) {
    this.calls.put += 1;
    return this.track(async () => {
      await sleep(this.opts.putDelay?.(object.key) ?? this.opts.delayMs ?? 0);
      this.settled.push(object.key);
      if (this.opts.failPut?.has(object.key)) throw new Error('AccessDenied (HTTP 403)');
      if (this.stored.has(object.key)) return 'present' as const;
      this.stored.set(object.key, object);
      return undefined;
    });
  }
}

const obj = (i: number, size = 100): ContentObject => {
  const sha256 = i.toString(16).padStart(64, '0');
  return { key: `p/objects/${sha256}.jar`, sha256, size, body: { data: Buffer.alloc(0) } };
};
const range = (n: number) => Array.from({ length: n }, (_, i) => obj(i));

describe('syncObjects', () => {
  it('asks nothing about objects a trusted index lists with the same size and SHA-256', async () => {
    const store = new MemoryStore();
    const objects = range(10);
    const known = new Map(objects.slice(0, 8).map((o) => [o.key, { size: o.size, sha256: o.sha256 }]));
    known.set(objects[8]!.key, { size: 999, sha256: objects[8]!.sha256 }); // another size: not trusted
    const r = await syncObjects(store, objects, { known, checkFirst: false });
    expect(store.calls).toEqual({ exists: 0, put: 2 });
    expect(r.uploaded.map((o) => o.key)).toEqual(objects.slice(8).map((o) => o.key));
    expect(r.reused.map((o) => o.key)).toEqual(objects.slice(0, 8).map((o) => o.key));
  });

  it('without checkFirst, puts each object at once (no exists), and one the store already had is reused', async () => {
    const store = new MemoryStore();
    const objects = range(6);
    store.stored.set(objects[2]!.key, objects[2]!);
    const progress: SyncProgress[] = [];
    const r = await syncObjects(store, objects, { checkFirst: false, onProgress: (p) => progress.push(p) });
    expect(store.calls).toEqual({ exists: 0, put: 6 });
    expect(r.reused.map((o) => o.key)).toEqual([objects[2]!.key]);
    expect(r.uploaded).toHaveLength(5);
    expect(progress.every((p) => p.phase === 'upload')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'upload', done: 6, total: 6 });
  });

  it('a dry run checks even without checkFirst, and writes nothing', async () => {
    const store = new MemoryStore();
    const r = await syncObjects(store, range(3), { checkFirst: false, dryRun: true });
    expect(store.calls).toEqual({ exists: 3, put: 0 });
    expect(r.uploaded).toHaveLength(3);
  });

  it('uploads what is missing, then nothing on a second run', async () => {
    const store = new MemoryStore();
    const objects = range(20);
    const first = await syncObjects(store, objects);
    expect(first.uploaded.map((o) => o.key)).toEqual(objects.map((o) => o.key));
    expect(first.reused).toEqual([]);
    expect(store.stored.size).toBe(20);

    const second = await syncObjects(store, objects);
    expect(second.uploaded).toEqual([]);
    expect(second.reused.map((o) => o.key)).toEqual(objects.map((o) => o.key));
    expect(store.calls).toEqual({ exists: 40, put: 20 });
  });

  it('uploads only the missing ones when some exist', async () => {
    const store = new MemoryStore();
    const objects = range(10);
    for (const o of objects.slice(0, 4)) store.stored.set(o.key, o);
    const r = await syncObjects(store, objects);
    expect(r.reused.map((o) => o.key)).toEqual(objects.slice(0, 4).map((o) => o.key));
    expect(r.uploaded.map((o) => o.key)).toEqual(objects.slice(4).map((o) => o.key));
    expect(store.calls.put).toBe(6);
  });

  it('deduplicates by key before checking', async () => {
    const store = new MemoryStore();
    const [a, b] = [obj(1), obj(2)];
    const r = await syncObjects(store, [a, b, { ...a, body: { path: '/elsewhere/a.jar' } }, b]);
    expect(store.calls).toEqual({ exists: 2, put: 2 });
    expect(r.uploaded).toHaveLength(2);
  });

  it('refuses two objects with one key but different content', async () => {
    const a = obj(1);
    await expect(syncObjects(new MemoryStore(), [a, { ...a, sha256: 'f'.repeat(64) }])).rejects.toThrow(/share the key/);
  });

  it('checks but uploads nothing in a dry run, reporting what would be uploaded', async () => {
    const store = new MemoryStore();
    const objects = range(5);
    store.stored.set(objects[0]!.key, objects[0]!);
    const r = await syncObjects(store, objects, { dryRun: true });
    expect(store.calls).toEqual({ exists: 5, put: 0 });
    expect(r.uploaded.map((o) => o.key)).toEqual(objects.slice(1).map((o) => o.key));
    expect(r.reused).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const store = new MemoryStore({ delayMs: 5 });
    await syncObjects(store, range(40), { concurrency: 3 });
    expect(store.maxInFlight).toBe(3);
    const wide = new MemoryStore({ delayMs: 5 });
    await syncObjects(wide, range(40));
    expect(wide.maxInFlight).toBe(16);
  });

  it('on a failed upload, starts no more, waits for those in flight, and names the object and cause', async () => {
    const objects = range(30);
    const bad = objects[1]!.key;
    // The failing upload settles first; the others in flight take longer.
    const store = new MemoryStore({ failPut: new Set([bad]), putDelay: (k) => (k === bad ? 1 : 30) });
    const err = await syncObjects(store, objects, { concurrency: 4 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain(bad);
    expect(message).toContain('AccessDenied (HTTP 403)');
    expect(message).toMatch(/Could not upload 1 of 30 objects/);
    expect(message).toMatch(/run push again/);
    expect((err as Error).cause).toBeInstanceOf(Error);
    // The 3 others started alongside it had settled before syncObjects threw; none started after.
    expect(store.inFlight).toBe(0);
    expect(store.calls.put).toBe(4);
    expect(store.settled).toHaveLength(4);
  });

  it('uploads the largest objects first (equal sizes in order) and reports them in the order given', async () => {
    const objects = [obj(1, 10), obj(2, 5000), obj(3, 10), obj(4, 300), obj(5, 5000)];
    const store = new MemoryStore();
    store.stored.set(objects[3]!.key, objects[3]!); // present already: reported reused, in its place
    const started: string[] = [];
    const put = store.put.bind(store);
    store.put = (o: ContentObject) => {
      started.push(o.key);
      return put(o);
    };
    const r = await syncObjects(store, objects, { checkFirst: false, concurrency: 1 });
    expect(started).toEqual([2, 5, 4, 1, 3].map((i) => obj(i).key));
    expect(r.uploaded.map((o) => o.key)).toEqual([1, 2, 3, 5].map((i) => obj(i).key));
    expect(r.reused.map((o) => o.key)).toEqual([obj(4).key]);
  });

  it('names several failures and counts the rest', async () => {
    const objects = range(8);
    const store = new MemoryStore({ failPut: new Set(objects.map((o) => o.key)) });
    const err = (await syncObjects(store, objects, { concurrency: 8 }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/Could not upload 8 of 8 objects/);
    expect(err.message).toMatch(/…and 3 more/);
  });

  it('fails when existence checks fail, uploading nothing', async () => {
    const objects = range(5);
    const store = new MemoryStore({ failExists: new Set([objects[2]!.key]) });
    await expect(syncObjects(store, objects)).rejects.toThrow(/Could not check whether 1 of 5 objects exist[\s\S]*connection reset/);
    expect(store.calls.put).toBe(0);
  });

  it('throttles progress but always reports the end of each phase', async () => {
    const events: SyncProgress[] = [];
    const objects = Array.from({ length: 200 }, (_, i) => obj(i, 10));
    await syncObjects(new MemoryStore(), objects, { onProgress: (p) => events.push(p) });
    // Fast store: the first report, then only the forced final one per phase.
    expect(events.length).toBeLessThanOrEqual(4);
    const lastCheck = events.filter((e) => e.phase === 'check').at(-1);
    const lastUpload = events.filter((e) => e.phase === 'upload').at(-1);
    expect(lastCheck).toEqual({ phase: 'check', done: 200, total: 200, bytesDone: 2000, bytesTotal: 2000 });
    expect(lastUpload).toEqual({ phase: 'upload', done: 200, total: 200, bytesDone: 2000, bytesTotal: 2000 });
  });

  it('reports progress about every 500 ms while a slow phase runs', async () => {
    const events: { at: number; p: SyncProgress }[] = [];
    const start = Date.now();
    await syncObjects(new MemoryStore({ delayMs: 50 }), range(40), {
      concurrency: 2,
      dryRun: true,
      onProgress: (p) => events.push({ at: Date.now() - start, p }),
    });
    // 20 rounds of 50 ms ≈ 1 s: a report every 500 ms at most, plus the final one.
    const elapsed = Date.now() - start;
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
    const gaps = events.slice(1, -1).map((e, i) => e.at - events[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(490);
    expect(events.at(-1)!.p).toMatchObject({ phase: 'check', done: 40, total: 40 });
  });

  it('reports a final check event for an empty list and ignores a throwing progress callback', async () => {
    const events: SyncProgress[] = [];
    await expect(syncObjects(new MemoryStore(), [], { onProgress: (p) => events.push(p) })).resolves.toEqual({ uploaded: [], reused: [] });
    expect(events).toEqual([{ phase: 'check', done: 0, total: 0, bytesDone: 0, bytesTotal: 0 }]);
    await expect(
      syncObjects(new MemoryStore(), range(3), {
        onProgress: () => {
          throw new Error('boom');
        },
      }),
    ).resolves.toMatchObject({ reused: [] });
  });
});
