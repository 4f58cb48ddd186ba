import pLimit from 'p-limit';
import { objectIndexKey } from '../content/object-index.js';
import type { Manifest, ManifestEntry } from '../manifest/schema.js';
import { UserError } from '../problems.js';
import type { ObjectPresencePort } from './ports.js';

/** HeadObjects in flight at once (the object store uploads 16 at once too). */
const CONCURRENCY = 16;
/** Entries named in the error; the rest are counted. */
const NAMED = 10;

/**
 * Deploy's pre-flight check that every object the revision names is in the bucket with its size,
 * before anything starts. Push registers a revision only after its objects exist, but a warm push
 * trusts its object index instead of asking S3 (docs/s3-layout.md): an object deleted since (a
 * lifecycle rule on objects/, a hand clean-up) would otherwise surface only as a failed hook on
 * every instance. Costs one HeadObject per distinct object, 16 at once.
 */
export async function verifyRevisionObjects(
  manifest: Manifest,
  port: ObjectPresencePort,
  where: { prefix: string },
): Promise<{ objects: number }> {
  const entries = [...new Map(manifest.classpath.map((e) => [e.key, e])).values()];
  const limit = pLimit(CONCURRENCY);
  const wrong: { entry: ManifestEntry; size: number | null }[] = [];
  await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const size = await port.objectSize(manifest.bucket, entry.key);
        if (size !== entry.size) wrong.push({ entry, size });
      }),
    ),
  );
  if (wrong.length === 0) return { objects: entries.length };

  const order = new Map(entries.map((e, i) => [e.key, i]));
  wrong.sort((a, b) => order.get(a.entry.key)! - order.get(b.entry.key)!);
  const lines = wrong
    .slice(0, NAMED)
    .map(
      ({ entry, size }) =>
        `  ${entry.origin}: s3://${manifest.bucket}/${entry.key} ${size === null ? 'is missing' : `holds ${size} bytes, not ${entry.size}`}`,
    );
  if (wrong.length > NAMED) lines.push(`  …and ${wrong.length - NAMED} more`);
  const index = `s3://${manifest.bucket}/${objectIndexKey(where.prefix, manifest.appName)}`;
  throw new UserError(
    [
      `Revision ${manifest.rev} names ${wrong.length} of its ${entries.length} objects that the bucket does not hold as pushed; nothing was started:`,
      ...lines,
      `Objects were deleted after the push (is there a lifecycle rule on objects/?). Delete the object index (aws s3 rm ${index}) and run push again for this revision: without the index it checks every object and uploads what is missing.`,
    ].join('\n'),
  );
}
