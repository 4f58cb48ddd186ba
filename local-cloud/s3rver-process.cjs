// Runs s3rver in its own process: it needs OpenSSL's legacy provider for paginated listings
// (see ../shared/lab-notes.md), which we do not want to impose on the test process.
const S3rver = require('s3rver');
const dir = process.argv[2];
new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true })
  .run()
  .then(({ port }) => process.stdout.write(`PORT ${port}\n`))
  .catch((err) => { console.error(err); process.exit(1); });
