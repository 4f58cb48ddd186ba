// Runs s3rver in its own process: it needs OpenSSL's legacy provider for paginated listings
// (Node >= 17 lacks the cipher its continuation tokens use), which we do not want to impose on the
// test process.
//
// Optional, for the least-privilege recorder (s3-server.ts):
// - ION_S3_KEYS: JSON [{ "accessKeyId", "secretAccessKey" }] — more key pairs s3rver accepts (it
//   verifies each request's SigV4 signature with that key's secret, as S3 does). Out of the box it
//   knows only S3RVER/S3RVER.
// - ION_S3_ACCESS_LOG: a file that gets one JSON line per request: method, url, the signing access key
//   id, and the status answered.
const { createHash, randomUUID } = require('node:crypto');
const { appendFileSync } = require('node:fs');
const { mkdir, rename, writeFile } = require('node:fs/promises');
const { dirname, join } = require('node:path');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

// S3 stores an upload only once its whole body has arrived, and atomically: a PUT (or part) whose
// connection breaks mid-body leaves the key as it was, and a reader sees the old object or the new
// one. s3rver streams the body straight into the object's file, so a reset mid-upload left a
// truncated object under the key (seen in test/integration/push-faults.test.ts: 64 KB of a 258 KB zip
// under its content address), and it answers before its file write has finished. So: read the whole
// body first, write it beside the target, rename it into place, then answer.
function wholeBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('error', reject);
    stream.on('aborted', () => reject(new Error('request aborted mid-body: nothing stored')));
    stream.on('close', () => reject(new Error('request closed mid-body: nothing stored')));
    stream.on('end', () =>
      stream.complete === false ? reject(new Error('incomplete body: nothing stored')) : resolve(Buffer.concat(chunks)),
    );
  });
}
async function writeAtomically(file, content) {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomUUID()}.partial`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}
const md5Of = (content) => createHash('md5').update(content).digest('hex');

FilesystemStore.prototype.putObject = async function (object) {
  const content = Buffer.isBuffer(object.content) ? object.content : await wholeBody(object.content);
  const md5 = md5Of(content);
  await writeAtomically(this.getResourcePath(object.bucket, object.key, 'object'), content);
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};
FilesystemStore.prototype.putPart = async function (bucket, uploadId, partNumber, stream) {
  const content = await wholeBody(stream);
  const md5 = md5Of(content);
  const partPath = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
  await writeAtomically(partPath, content);
  await writeFile(`${partPath}.md5`, md5);
  return { size: content.length, md5 };
};

const dir = process.argv[2];
for (const key of JSON.parse(process.env.ION_S3_KEYS || '[]')) DUMMY_ACCOUNT.createKeyPair(key.accessKeyId, key.secretAccessKey);

const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true });
const accessLog = process.env.ION_S3_ACCESS_LOG;
if (accessLog) {
  const keyIdOf = (ctx) => {
    const header = /Credential=([^/,\s]+)\//.exec(String(ctx.headers.authorization || ''));
    if (header) return header[1];
    const query = ctx.query['X-Amz-Credential'];
    return typeof query === 'string' ? query.split('/')[0] : undefined;
  };
  // Outermost middleware (Koa composes the list when the server starts): sees every request, even refused ones.
  server.middleware.unshift(async (ctx, next) => {
    try {
      await next();
    } finally {
      appendFileSync(
        accessLog,
        `${JSON.stringify({ method: ctx.method, url: ctx.originalUrl, accessKeyId: keyIdOf(ctx), status: ctx.status })}\n`,
      );
    }
  });
}
server
  .run()
  .then(({ port }) => process.stdout.write(`PORT ${port}\n`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });

// The parent holds our stdin open: when it dies without closing the server (a bench killed by
// `timeout`, a crashed test run), the pipe ends and so does this process, instead of serving on.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
