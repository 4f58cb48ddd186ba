import yauzl from 'yauzl';
import { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '../manifest/schema.js';

/** Reads ion-manifest.json from a revision bundle (a zip in memory). Throws with a readable message. */
export async function readBundleManifest(bytes: Buffer): Promise<Manifest> {
  const text = await readZipEntry(bytes, MANIFEST_FILE);
  if (text === null) throw new Error(`the bundle has no ${MANIFEST_FILE} at its root`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${MANIFEST_FILE} is not JSON (${(e as Error).message})`);
  }
  const m = parsed as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== MANIFEST_FORMAT)
    throw new Error(`${MANIFEST_FILE} is not an ${MANIFEST_FORMAT} document`);
  if (m.version !== MANIFEST_VERSION) {
    throw new Error(
      `${MANIFEST_FILE} has version ${String(m.version)}; this deploy action reads version ${MANIFEST_VERSION} (use matching push and deploy versions)`,
    );
  }
  if (typeof m.appName !== 'string' || typeof m.rev !== 'string' || !Array.isArray(m.lambdas)) {
    throw new Error(`${MANIFEST_FILE} lacks appName, rev or lambdas`);
  }
  return m as Manifest;
}

function readZipEntry(bytes: Buffer, name: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(new Error(`the bundle is not a zip file (${err?.message ?? 'unreadable'})`));
      let done = false;
      const finish = (value: string | null, error?: Error) => {
        if (done) return;
        done = true;
        zip.close();
        if (error) reject(error);
        else resolve(value);
      };
      zip.on('error', (e: Error) => finish(null, new Error(`the bundle is not a valid zip file (${e.message})`)));
      zip.on('end', () => finish(null));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return finish(null, streamErr ?? new Error(`cannot read ${name}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (e: Error) => finish(null, e));
          stream.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.readEntry();
    });
  });
}
