// The raw PutObject floor: the least any uploader can do with the same files through the same proxy.
// One PutObject per file, 16 at once, Buffer bodies, no hashing, no checks.
//
//   node bench/support/put-floor.mjs <list.json> <bucket>
//   list.json: [{ "key": "...", "path": "..." }, ...]; endpoint and keys from AWS_ENDPOINT_URL_S3 and
//   the AWS_* variables.
//
// Plain JavaScript on purpose: it is timed as a whole process, and running it through tsx would add
// the loader's start-up to the floor.
import { readFile } from 'node:fs/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';

const [listFile, bucket] = process.argv.slice(2);
const files = JSON.parse(await readFile(listFile, 'utf8'));
const s3 = new S3Client({
  region: process.env.AWS_REGION ?? 'us-east-1',
  forcePathStyle: true,
  // No checksum computed: this is the floor (and stream bodies are not used, see docs/test-environment.md).
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const limit = pLimit(16);
await Promise.all(
  files.map((f) => limit(async () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: await readFile(f.path) })))),
);
s3.destroy();
