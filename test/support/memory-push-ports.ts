/**
 * Push's object and bundle stores in memory, recording every call: the push core tested without AWS and
 * without module mocks (test/unit/push-revision*.test.ts).
 */
import { sha256Hex } from '../../src/core/content/hash.js';
import type { ContentObject } from '../../src/core/content/objects.js';
import type { BundleCreation, BundleStore, ObjectStore, StoredBundle } from '../../src/core/push/ports.js';
import type { PushRequest } from '../../src/core/push/push-revision.js';

export class MemoryObjects implements ObjectStore {
  readonly stored = new Map<string, ContentObject>();
  readonly calls: string[] = [];
  async exists(key: string): Promise<boolean> {
    this.calls.push(`exists ${key}`);
    return this.stored.has(key);
  }
  async put(object: ContentObject): Promise<void> {
    this.calls.push(`put ${object.key}`);
    this.stored.set(object.key, object);
  }
}

export class MemoryBundles implements BundleStore {
  readonly stored = new Map<string, { data: Buffer; sha256: string | null; eTag: string }>();
  readonly calls: string[] = [];
  /** Runs with each describe: lets a test see the request go out. */
  onDescribe?: () => void;
  /** Runs before a create: lets a test store something "concurrently". */
  beforeCreate?: (key: string) => void;

  async describe(key: string): Promise<StoredBundle | null> {
    this.calls.push(`describe ${key}`);
    this.onDescribe?.();
    const b = this.stored.get(key);
    return b ? { sha256: b.sha256, eTag: b.eTag } : null;
  }
  async read(key: string): Promise<Buffer | null> {
    this.calls.push(`read ${key}`);
    return this.stored.get(key)?.data ?? null;
  }
  async create(key: string, data: Buffer, sha256: string): Promise<BundleCreation> {
    this.calls.push(`create ${key}`);
    this.beforeCreate?.(key);
    if (this.stored.has(key)) return { created: false };
    this.store(key, data, sha256);
    return { created: true, eTag: this.stored.get(key)!.eTag };
  }
  /** Stores as S3 would (the ETag of a single-part object is its MD5; here any content-derived value will do). */
  store(key: string, data: Buffer, sha256: string | null = sha256Hex(data)): void {
    this.stored.set(key, { data, sha256, eTag: sha256Hex(data).slice(0, 32) });
  }
}

/** A push of projectDir to s3://ion-code/ions, resolving the classpath itself unless `over` says otherwise. */
export const pushRequest = (projectDir: string, over: Partial<PushRequest> = {}): PushRequest => ({
  projectDir,
  aliases: '',
  classpath: '',
  uname: '',
  bucket: 'ion-code',
  prefix: 'ions',
  dryRun: false,
  ...over,
});
