import { describe, expect, it } from '@jest/globals';
import {
  loadObjectIndex,
  mergeObjectIndex,
  OBJECT_INDEX_MAX_BYTES,
  OBJECT_INDEX_MAX_ENTRIES,
  objectIndexKey,
  type ObjectIndexStore,
  parseObjectIndex,
  serializeObjectIndex,
  type StoredIndex,
} from '../../src/core/content/object-index.js';

const sha = (i: number) => i.toString(16).padStart(64, '0');
const entry = (i: number, prefix = 'ions') => ({
  key: `${prefix}/objects/${sha(i)}.${i % 2 ? 'zip' : 'jar'}`,
  sha256: sha(i),
  size: 100 + i,
});
const doc = (objects: unknown[], extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ format: 'ion-actions/object-index', version: 1, appName: 'app', objects, ...extra }));

const storeOf = (stored: StoredIndex | Error): ObjectIndexStore => ({
  read: async () => {
    if (stored instanceof Error) throw stored;
    return stored;
  },
  write: async () => undefined,
});

describe('the object index', () => {
  it('lives beside the revision bundles of its application', () => {
    expect(objectIndexKey('ions', 'my-app')).toBe('ions/my-app/revisions/object-index.json');
    expect(objectIndexKey('', 'my-app')).toBe('my-app/revisions/object-index.json');
  });

  it('reads back what it writes', () => {
    const objects = [entry(1), entry(2), entry(3)];
    expect(parseObjectIndex(serializeObjectIndex('app', objects), 'ions', 'app')).toEqual({ objects });
  });

  it.each([
    ['not JSON', Buffer.from('{"format": "ion-actions/object-index", '), /not JSON/],
    ['another format', doc([], { format: 'something/else' }), /not an ion-actions\/object-index document/],
    ['another version', doc([], { version: 2 }), /version is not 1/],
    ['another application (a foreign index)', doc([entry(1)], { appName: 'other-app' }), /another application/],
    ['no objects list', doc([], { objects: 'all of them' }), /no objects list/],
    ['an entry without a size', doc([{ key: entry(1).key, sha256: sha(1) }]), /object 0 is not \{key, sha256, size\}/],
    ['a negative size', doc([{ ...entry(1), size: -1 }]), /object 0 is not/],
    [
      'a key under another prefix (a foreign bucket layout)',
      doc([entry(1), entry(2, 'other')]),
      /object 1 is not a content key under this prefix/,
    ],
    ['a key outside objects/', doc([{ ...entry(1), key: `ions/app/revisions/${sha(1)}.jar` }]), /not a content key/],
    ['a key with a trailing path', doc([{ ...entry(1), key: `${entry(1).key}/x` }]), /not a content key/],
    [
      'an upper-case SHA-256 key',
      doc([{ ...entry(1), key: `ions/objects/${'A'.repeat(64)}.jar`, sha256: 'A'.repeat(64) }]),
      /not a content key/,
    ],
    ['a SHA-256 that is not the one its key names (a lying entry)', doc([entry(1), { ...entry(2), sha256: sha(3) }]), /object 1's SHA-256/],
  ])('is refused whole when it has %s', (_label, data, reason) => {
    const parsed = parseObjectIndex(data, 'ions', 'app');
    expect('problem' in parsed && parsed.problem).toMatch(reason);
  });

  it('is refused when it lists more than the limit', () => {
    const objects = Array.from({ length: OBJECT_INDEX_MAX_ENTRIES + 1 }, (_, i) => entry(i));
    expect(parseObjectIndex(doc(objects), 'ions', 'app')).toEqual({ problem: `it lists more than ${OBJECT_INDEX_MAX_ENTRIES} objects` });
  });

  it('a prefix with regular-expression characters matches only itself', () => {
    const objects = [entry(1, 'a.b')];
    expect(parseObjectIndex(doc(objects), 'a.b', 'app')).toEqual({ objects });
    expect('problem' in parseObjectIndex(doc([entry(1, 'aXb')]), 'a.b', 'app')).toBe(true);
  });
});

describe('loadObjectIndex', () => {
  it('trusts a valid index, by key', async () => {
    const loaded = await loadObjectIndex(storeOf({ data: doc([entry(1), entry(2)]) }), 'k', 'ions', 'app');
    expect('entries' in loaded && [...loaded.entries.keys()]).toEqual([entry(1).key, entry(2).key]);
  });

  it('says there is none yet', async () => {
    expect(await loadObjectIndex(storeOf(null), 'k', 'ions', 'app')).toEqual({ none: true });
  });

  it('ignores an oversize index without reading it, a garbled one, and one it could not read — never throws', async () => {
    expect(await loadObjectIndex(storeOf({ tooLarge: OBJECT_INDEX_MAX_BYTES + 1 }), 'k', 'ions', 'app')).toEqual({
      ignored: `it holds ${OBJECT_INDEX_MAX_BYTES + 1} bytes, over the ${OBJECT_INDEX_MAX_BYTES}-byte limit`,
    });
    expect(await loadObjectIndex(storeOf({ data: Buffer.from('\u0000garbage') }), 'k', 'ions', 'app')).toEqual({
      ignored: 'it is not JSON',
    });
    expect(await loadObjectIndex(storeOf(new Error('SlowDown (HTTP 503)')), 'k', 'ions', 'app')).toEqual({
      ignored: 'it could not be read (SlowDown (HTTP 503))',
    });
  });
});

describe('mergeObjectIndex', () => {
  const mapOf = (objects: ReturnType<typeof entry>[]) => new Map(objects.map((o) => [o.key, o]));

  it("puts this push's objects first, then the previous index's, without duplicates", () => {
    const merged = mergeObjectIndex([entry(5), entry(1)], mapOf([entry(1), entry(2), entry(3)]));
    expect(merged?.map((o) => o.key)).toEqual([entry(5), entry(1), entry(2), entry(3)].map((o) => o.key));
  });

  it('is null (nothing to write) when the previous index lists every object already', () => {
    expect(mergeObjectIndex([entry(2), entry(1)], mapOf([entry(1), entry(2), entry(3)]))).toBeNull();
  });

  it('stays bounded: the oldest entries go first', () => {
    const merged = mergeObjectIndex([entry(9)], mapOf([entry(1), entry(2), entry(3)]), 3);
    expect(merged?.map((o) => o.key)).toEqual([entry(9), entry(1), entry(2)].map((o) => o.key));
  });

  it('starts from this push alone when there was no index', () => {
    expect(mergeObjectIndex([entry(1)], null)).toEqual([entry(1)]);
  });
});
