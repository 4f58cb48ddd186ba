export const id = 507;
export const ids = [507];
export const modules = {

/***/ 5507:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/core/sdk-errors.ts
const errorName = (err) => {
    const e = err;
    return e?.name ?? e?.code ?? e?.Code ?? 'Error';
};
/** Whether the error is one of these service errors (by name, or by the code some S3 errors carry instead). */
const hasErrorName = (err, ...names) => {
    const e = err;
    return names.some((n) => e?.name === n || e?.Code === n || e?.code === n);
};
/** The error's message, or its text when it is not an Error. */
const errorMessage = (err) => err?.message ?? String(err);
/** The HTTP status an SDK error carries, if any. */
const httpStatus = (err) => err?.$metadata?.httpStatusCode;
/** `Name (HTTP nnn): message` in one line, for messages that then say what to do next. */
function describeError(err) {
    const name = errorName(err);
    const status = httpStatus(err);
    const message = errorMessage(err).replace(/\s+/g, ' ').trim();
    const head = status === undefined ? name : `${name} (HTTP ${status})`;
    // Errors without a body (HeadObject's) have only the status name, or UnknownError, as their message.
    return message && message !== name && message !== 'UnknownError' ? `${head}: ${message}` : head;
}

;// CONCATENATED MODULE: ./src/aws/explain-error.ts

/** True when the default credential chain yields credentials (false on a fork's pull request). */
async function hasCredentials(client) {
    try {
        const creds = await client.config.credentials();
        return Boolean(creds?.accessKeyId);
    }
    catch {
        return false;
    }
}
/**
 * Turns an AWS SDK error into a message that says what to do next. Plain text: the message may
 * carry AWS's words, so the action prints it through inert() (src/github/inert-text.ts).
 */
function explainAwsError(err) {
    const message = errorMessage(err);
    const status = httpStatus(err);
    if (/Region is missing/i.test(message))
        return "No AWS region: set the `region` input or configure-aws-credentials' aws-region.";
    if (hasErrorName(err, 'CredentialsProviderError') || /Could not load credentials/i.test(message)) {
        return 'No usable AWS credentials: add aws-actions/configure-aws-credentials before this step.';
    }
    if (hasErrorName(err, 'AccessDenied', 'AccessDeniedException') || status === 403) {
        return `AWS denied access (${describeError(err)}). Give the workflow's role the permissions listed in docs/infra.md.`;
    }
    if (hasErrorName(err, 'NoSuchBucket'))
        return `${describeError(err)}: check the \`bucket\` input and the region.`;
    if (status !== undefined)
        return describeError(err);
    // Not from AWS: most likely a bug of ours, so keep the stack for the report.
    return err?.stack ?? `${errorName(err)}: ${message}`;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
;// CONCATENATED MODULE: ./src/aws/http-timeouts.ts
/**
 * Every AWS client's HTTP timeouts. The SDK sets none by default, so an answer that never comes (a
 * black-holed connection, a stalled upload) would hang the step until the job's limit: the SDK's
 * retries only start once a request has failed. The socket timeout is an idle timeout, so a large
 * upload that keeps sending is never cut; a silent connection fails, and the SDK retries it.
 */
const HTTP_TIMEOUTS = {
    /** Milliseconds to establish a connection. */
    connectionTimeout: 10_000,
    /** Milliseconds a socket may stay silent (no bytes either way) before the request fails. */
    socketTimeout: 60_000,
};

;// CONCATENATED MODULE: ./src/aws/codedeploy-client.ts



/** A CodeDeploy client with the default credential chain (endpoint from AWS_ENDPOINT_URL_CODEDEPLOY when set). */
const createCodeDeployClient = (opts) => new dist_cjs/* CodeDeployClient */.cHd({ region: opts.region || undefined, requestHandler: HTTP_TIMEOUTS });
/** Every deployment group of the application, all pages (push reports them; deploy lists them when the group is wrong). */
async function listDeploymentGroups(client, applicationName) {
    const groups = [];
    for await (const page of (0,dist_cjs/* paginateListDeploymentGroups */.$cP)({ client }, { applicationName }))
        groups.push(...(page.deploymentGroups ?? []));
    return groups;
}
/** BatchGetDeployments takes at most 25 ids (CodeDeploy API reference). */
const BATCH = 25;
function groupRevision(info) {
    const s3 = info.revision?.s3Location;
    // Only S3 revisions are ours (a GitHub revision, say, was not deployed by these actions).
    if (!info.deploymentId || info.revision?.revisionType !== 'S3' || !s3?.bucket || !s3.key)
        return null;
    return {
        deploymentId: info.deploymentId,
        bucket: s3.bucket,
        key: s3.key,
        ...(s3.eTag ? { eTag: s3.eTag } : {}),
        ...(info.completeTime ? { completedAt: info.completeTime } : {}),
        rollback: info.creator === 'codeDeployRollback' || Boolean(info.rollbackInfo?.rollbackTriggeringDeploymentId),
    };
}
/** The revision of the group's last successful deployment, or null (no group / never deployed). */
async function runningRevision(client, app, group) {
    let deploymentId;
    try {
        const out = await client.send(new dist_cjs/* GetDeploymentGroupCommand */.WOp({ applicationName: app, deploymentGroupName: group }));
        deploymentId = out.deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId;
    }
    catch (err) {
        if (hasErrorName(err, 'DeploymentGroupDoesNotExistException') || hasErrorName(err, 'ApplicationDoesNotExistException'))
            return null;
        throw err;
    }
    if (!deploymentId)
        return null;
    const out = await client.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }));
    return out.deploymentInfo ? groupRevision({ ...out.deploymentInfo, deploymentId }) : null;
}
/**
 * Succeeded deployments of the group, newest first, at most `limit` (all pages as needed).
 * ListDeployments answers newest first in practice (its reference does not promise an order), so pages
 * are read until `limit` deployments are known, and those are sorted by completion time to be sure.
 */
async function succeededDeployments(client, app, group, limit) {
    const found = [];
    let nextToken;
    do {
        const page = await client.send(new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: group, includeOnlyStatuses: ['Succeeded'], nextToken }));
        const ids = page.deployments ?? [];
        for (let i = 0; i < ids.length && found.length < limit; i += BATCH) {
            const out = await client.send(new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(i, i + BATCH) }));
            // BatchGetDeployments does not promise the order of the ids asked: keep the list's.
            const byId = new Map((out.deploymentsInfo ?? []).map((d) => [d.deploymentId, d]));
            for (const id of ids.slice(i, i + BATCH)) {
                const info = byId.get(id);
                const revision = info?.status === 'Succeeded' ? groupRevision(info) : null;
                if (revision && found.length < limit)
                    found.push(revision);
            }
        }
        nextToken = page.nextToken;
    } while (nextToken && found.length < limit);
    return found.sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));
}

;// CONCATENATED MODULE: ./src/aws/codedeploy-revisions.ts



/** CodeDeploy caps revision descriptions at 100 characters. */
const MAX_DESCRIPTION = 100;
/** The CodeDeploy side of push (the core's RevisionRegistry port). */
class CodeDeployRevisionRegistry {
    client;
    constructor(client) {
        this.client = client;
    }
    async applicationExists(appName) {
        try {
            await this.client.send(new dist_cjs/* GetApplicationCommand */.eOh({ applicationName: appName }));
            return true;
        }
        catch (err) {
            if (hasErrorName(err, 'ApplicationDoesNotExistException'))
                return false;
            throw err;
        }
    }
    listDeploymentGroups(appName) {
        return listDeploymentGroups(this.client, appName);
    }
    async registerRevision(appName, location, description) {
        await this.client.send(new dist_cjs/* RegisterApplicationRevisionCommand */.Yhn({
            applicationName: appName,
            description: description.slice(0, MAX_DESCRIPTION),
            revision: {
                revisionType: 'S3',
                s3Location: { bucket: location.bucket, key: location.key, bundleType: 'zip', eTag: location.eTag },
            },
        }));
    }
}

// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(663);
;// CONCATENATED MODULE: ./src/core/manifest/schema.ts
/**
 * The revision manifest (`ion-manifest.json` at the root of every revision bundle).
 * Versioned and documented in docs/manifest.md; the instance hooks and the deploy action read it.
 */
const MANIFEST_FORMAT = 'ion-actions/manifest';
const MANIFEST_VERSION = 1;
const MANIFEST_FILE = 'ion-manifest.json';

;// CONCATENATED MODULE: ./src/core/deploy/bundle-manifest.ts


/** Reads ion-manifest.json from a revision bundle (a zip in memory). Throws with a readable message. */
async function readBundleManifest(bytes) {
    const text = await readZipEntry(bytes, MANIFEST_FILE);
    if (text === null)
        throw new Error(`the bundle has no ${MANIFEST_FILE} at its root`);
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (e) {
        throw new Error(`${MANIFEST_FILE} is not JSON (${e.message})`);
    }
    const m = parsed;
    if (!m || typeof m !== 'object' || m.format !== MANIFEST_FORMAT)
        throw new Error(`${MANIFEST_FILE} is not an ${MANIFEST_FORMAT} document`);
    if (m.version !== MANIFEST_VERSION) {
        throw new Error(`${MANIFEST_FILE} has version ${String(m.version)}; this deploy action reads version ${MANIFEST_VERSION} (use matching push and deploy versions)`);
    }
    if (typeof m.appName !== 'string' || typeof m.rev !== 'string' || !Array.isArray(m.lambdas)) {
        throw new Error(`${MANIFEST_FILE} lacks appName, rev or lambdas`);
    }
    return m;
}
function readZipEntry(bytes, name) {
    return new Promise((resolve, reject) => {
        yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
            if (err || !zip)
                return reject(new Error(`the bundle is not a zip file (${err?.message ?? 'unreadable'})`));
            let done = false;
            const finish = (value, error) => {
                if (done)
                    return;
                done = true;
                zip.close();
                if (error)
                    reject(error);
                else
                    resolve(value);
            };
            zip.on('error', (e) => finish(null, new Error(`the bundle is not a valid zip file (${e.message})`)));
            zip.on('end', () => finish(null));
            zip.on('entry', (entry) => {
                if (entry.fileName !== name)
                    return zip.readEntry();
                zip.openReadStream(entry, (streamErr, stream) => {
                    if (streamErr || !stream)
                        return finish(null, streamErr ?? new Error(`cannot read ${name}`));
                    const chunks = [];
                    stream.on('data', (c) => chunks.push(c));
                    stream.on('error', (e) => finish(null, e));
                    stream.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
                });
            });
            zip.readEntry();
        });
    });
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(3711);
;// CONCATENATED MODULE: ./src/aws/s3-client.ts



/**
 * An S3 client with the default credential chain and region (opts.region wins when set).
 *
 * - The SDK itself takes the endpoint from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (tested against
 *   s3rver). When one of them is set we also force path-style addressing: S3-compatible servers
 *   (s3rver, MinIO, LocalStack) rarely resolve virtual-host bucket names like
 *   `bucket.127.0.0.1`.
 * - Checksums 'WHEN_REQUIRED': the object store sends an explicit x-amz-checksum-sha256 itself;
 *   the SDK default ('WHEN_SUPPORTED') would add a CRC32 and send stream bodies aws-chunked with
 *   a trailing checksum, which some S3-compatible servers store verbatim, framing included
 *   (docs/test-environment.md). Response validation is likewise left to our own SHA-256.
 */
function createS3Client(opts = {}, env = process.env) {
    return new client_s3_dist_cjs.S3Client({
        region: opts.region || undefined,
        forcePathStyle: customEndpointConfigured(env),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: HTTP_TIMEOUTS,
    });
}
/** Whether the SDK will use an endpoint from the environment instead of AWS's. */
function customEndpointConfigured(env = process.env) {
    // The SDK ignores both variables when this one is true.
    if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true')
        return false;
    return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}
/** 404: HeadObject says NotFound (no body), GetObject NoSuchKey. */
const isNotFound = (err) => httpStatus(err) === 404 || hasErrorName(err, 'NotFound', 'NoSuchKey');
/** 403. Without s3:ListBucket, a missing key answers 403 rather than 404. */
const isForbidden = (err) => httpStatus(err) === 403 || hasErrorName(err, 'Forbidden', 'AccessDenied');
/** 412 to a conditional write (If-None-Match: *): the key already exists. */
const isPreconditionFailed = (err) => httpStatus(err) === 412 || hasErrorName(err, 'PreconditionFailed');
/** 409 ConditionalRequestConflict: a concurrent conditional write to the same key; retrying settles it. */
const isConditionalConflict = (err) => hasErrorName(err, 'ConditionalRequestConflict');
/**
 * S3 returns ETags quoted ("\"abc\""); CodeDeploy's S3Location.eTag wants the bare value, as
 * `aws deploy push` sends it (it strips the quotes).
 */
const bareETag = (eTag) => eTag?.replace(/"/g, '');

;// CONCATENATED MODULE: ./src/aws/s3-bundle-store.ts


/** Attempts when S3 answers 409 ConditionalRequestConflict (another writer of the same key at that moment). */
const CONFLICT_ATTEMPTS = 3;
/**
 * Revision bundles in one S3 bucket. A revision name means one thing forever, so a bundle is only
 * ever created, never replaced: the write is conditional (If-None-Match: *), and S3 answers 412
 * when the key exists, even when another push created it a moment ago. The `sha256` metadata lets
 * a push of identical content see with one HeadObject that there is nothing to do.
 */
class S3BundleStore {
    client;
    bucket;
    constructor(client, bucket) {
        this.client = client;
        this.bucket = bucket;
    }
    async describe(key) {
        try {
            const head = await this.client.send(new client_s3_dist_cjs.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
            return { sha256: head.Metadata?.sha256 ?? null, eTag: bareETag(head.ETag) };
        }
        catch (err) {
            // 403: without s3:ListBucket a missing key answers 403; the conditional create that follows settles it.
            if (isNotFound(err) || isForbidden(err))
                return null;
            throw err;
        }
    }
    async read(key) {
        try {
            const out = await this.client.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: this.bucket, Key: key }));
            return Buffer.from(await out.Body.transformToByteArray());
        }
        catch (err) {
            if (isNotFound(err))
                return null;
            throw err;
        }
    }
    async create(key, data, sha256) {
        for (let attempt = 1;; attempt++) {
            try {
                const out = await this.client.send(new client_s3_dist_cjs.PutObjectCommand({
                    Bucket: this.bucket,
                    Key: key,
                    Body: data,
                    IfNoneMatch: '*',
                    ContentType: 'application/zip',
                    ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
                    Metadata: { sha256 },
                }));
                return { created: true, eTag: bareETag(out.ETag) };
            }
            catch (err) {
                if (isPreconditionFailed(err))
                    return { created: false };
                if (isConditionalConflict(err) && attempt < CONFLICT_ATTEMPTS)
                    continue;
                throw err;
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/running-manifests.ts




/**
 * What each deployment group runs now (the push core's RunningRevisions port): the revision of the
 * group's last successful deployment (CodeDeploy GetDeploymentGroup, GetDeployment), and the
 * manifest in its bundle (one S3 GetObject, in whatever bucket that deployment used). Three calls per
 * group; no new service. Any failure is `unreadable` with the reason: it only costs the diff.
 */
class CodeDeployRunningManifests {
    codedeploy;
    s3;
    constructor(codedeploy, s3) {
        this.codedeploy = codedeploy;
        this.s3 = s3;
    }
    async runningManifest(appName, group) {
        let where = 'CodeDeploy';
        try {
            const revision = await runningRevision(this.codedeploy, appName, group);
            if (!revision)
                return { state: 'none' };
            where = `s3://${revision.bucket}/${revision.key}`;
            const bytes = await new S3BundleStore(this.s3, revision.bucket).read(revision.key);
            if (!bytes)
                return { state: 'unreadable', reason: `${where} (deployment ${revision.deploymentId}) no longer exists` };
            return { state: 'running', manifest: await readBundleManifest(bytes), deploymentId: revision.deploymentId };
        }
        catch (err) {
            return {
                state: 'unreadable',
                reason: `${where}: ${err instanceof Error && !('$metadata' in err) ? err.message : describeError(err)}`,
            };
        }
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/core/content/jar-cache.ts
const identityOf = (path, st) => ({
    path,
    dev: st.dev,
    ino: st.ino,
    size: st.size,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
});
const keyOf = (id) => JSON.stringify([id.path, id.dev, id.ino, id.size, id.mtimeMs, id.ctimeMs]);
/** The first line of the cache file: a file without it (another tool's, another version's) is ignored whole. */
const JAR_CACHE_HEADER = '{"format":"ion-actions/jar-facts","version":1}';
const SHA256 = /^[0-9a-f]{64}$/;
/** Facts about a file changed less than this long before they were read are not saved (see serialize). */
const RACY_MS = 2000;
class JarFactsCache {
    facts = new Map();
    /** Identities looked up or recorded in this process: written first, so the size cap drops stale ones. */
    used = new Set();
    changed = false;
    get(id) {
        const key = keyOf(id);
        const hit = this.facts.get(key);
        if (hit)
            this.used.add(key);
        return hit?.facts;
    }
    remember(id, facts, now = Date.now()) {
        const key = keyOf(id);
        const known = this.facts.get(key)?.facts;
        this.facts.set(key, { id, facts: { ...known, ...facts }, recordedAt: now });
        this.used.add(key);
        this.changed = true;
    }
    /** True when something was recorded since the cache was made or loaded (nothing to save otherwise). */
    get dirty() {
        return this.changed;
    }
    get size() {
        return this.facts.size;
    }
    /**
     * Adds the facts of a cache file's text. Anything that is not exactly what `serialize` writes (a
     * foreign or corrupt file, a torn line) is skipped: a line is taken whole or not at all.
     */
    load(text) {
        const lines = text.split('\n');
        if (lines[0] !== JAR_CACHE_HEADER)
            return;
        for (const line of lines.slice(1)) {
            const parsed = parseLine(line);
            if (parsed && !this.facts.has(keyOf(parsed.id)))
                this.facts.set(keyOf(parsed.id), parsed);
        }
    }
    /** NDJSON under the header; facts used in this process first, then the others while they fit in maxBytes. */
    serialize(maxBytes) {
        const lines = [JAR_CACHE_HEADER];
        let bytes = JAR_CACHE_HEADER.length + 1;
        const ordered = [...this.facts].sort(([a], [b]) => Number(this.used.has(b)) - Number(this.used.has(a)));
        for (const [, { id, facts, recordedAt }] of ordered) {
            // Racy (as git calls it): a file written within a clock tick of being read could change again
            // without its mtime or ctime moving; such facts serve this process only, a later push records them.
            if (recordedAt !== undefined && recordedAt - Math.max(id.mtimeMs, id.ctimeMs) < RACY_MS)
                continue;
            const line = JSON.stringify({ id: [id.path, id.dev, id.ino, id.size, id.mtimeMs, id.ctimeMs], ...facts });
            const size = Buffer.byteLength(line) + 1;
            if (bytes + size > maxBytes)
                continue;
            lines.push(line);
            bytes += size;
        }
        return `${lines.join('\n')}\n`;
    }
}
function parseLine(line) {
    let v;
    try {
        v = JSON.parse(line);
    }
    catch {
        return undefined;
    }
    if (typeof v !== 'object' || v === null)
        return undefined;
    const { id, sha256, entries } = v;
    if (!Array.isArray(id) || id.length !== 6 || typeof id[0] !== 'string')
        return undefined;
    const nums = id.slice(1);
    if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0))
        return undefined;
    const facts = {};
    if (sha256 !== undefined) {
        if (typeof sha256 !== 'string' || !SHA256.test(sha256))
            return undefined;
        facts.sha256 = sha256;
    }
    if (entries !== undefined) {
        if (!Array.isArray(entries) || !entries.every((e) => typeof e === 'string'))
            return undefined;
        facts.entries = entries;
    }
    const [dev, ino, size, mtimeMs, ctimeMs] = nums;
    return { id: { path: id[0], dev: dev, ino: ino, size: size, mtimeMs: mtimeMs, ctimeMs: ctimeMs }, facts };
}
let processCache = new JarFactsCache();
/** The cache every jar reader in this process consults (jar entry names, jar hashes). */
const processJarFacts = () => processCache;
/** Replaces the process's cache (tests; the action keeps the default one and loads into it). */
function resetProcessJarFacts(cache = new JarFactsCache()) {
    processCache = cache;
    return cache;
}

;// CONCATENATED MODULE: ./src/core/content/hash.ts



/**
 * One read buffer, reused for every file. Measured on the CI machine kind (bench/push.ts): a fresh
 * buffer per file costs page faults that held hashing to 250–400 MB/s, and async reads add a
 * thread-pool round trip per chunk (~650 MB/s at best); synchronous reads into one warm 1 MiB
 * buffer hash at over 1 GB/s. Hashing is a phase of its own in push, so blocking the event loop for
 * it delays nothing.
 */
const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024);
const sha256Hex = (buf) => (0,external_node_crypto_.createHash)('sha256').update(buf).digest('hex');
/**
 * SHA-256 (hex) and size of a file's content, read synchronously. The size is the number of bytes
 * hashed, so the two always agree even if the file changes while it is read.
 */
function sha256FileSync(path) {
    const { fd } = openRegularSync(path);
    try {
        return hashFd(fd);
    }
    finally {
        closeSync(fd);
    }
}
/**
 * sha256FileSync for a jar, through the jar facts cache (jar-cache.ts): a file whose identity
 * (device, inode, size, mtime, ctime, from the fstat of the opened file) has a recorded SHA-256 is
 * not read. A hash is recorded only when the file's identity is the same after the read as before
 * and every byte of it was hashed, so a jar rewritten while it was read is never recorded.
 */
function sha256JarSync(path, facts = processJarFacts()) {
    const { fd, stats } = openRegularSync(path);
    try {
        const id = identityOf(path, stats);
        const known = facts.get(id)?.sha256;
        if (known !== undefined)
            return { sha256: known, size: stats.size, cached: true };
        const hashed = hashFd(fd);
        const after = identityOf(path, (0,external_node_fs_.fstatSync)(fd));
        if (hashed.size === id.size && JSON.stringify(after) === JSON.stringify(id))
            facts.remember(id, { sha256: hashed.sha256 });
        return { ...hashed, cached: false };
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
// O_NONBLOCK and the type check: a jar swapped for a FIFO or a device is refused, never waited on.
function openRegularSync(path) {
    const fd = (0,external_node_fs_.openSync)(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK);
    const stats = (0,external_node_fs_.fstatSync)(fd);
    if (!stats.isFile()) {
        (0,external_node_fs_.closeSync)(fd);
        throw new Error(`${path} is not a regular file; push reads only regular files and directories`);
    }
    return { fd, stats };
}
function hashFd(fd) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    for (;;) {
        const n = (0,external_node_fs_.readSync)(fd, READ_BUFFER, 0, READ_BUFFER.length, null);
        if (n === 0)
            break;
        // update() consumes the bytes before returning, so the buffer can be refilled at once.
        hash.update(READ_BUFFER.subarray(0, n));
        size += n;
    }
    return { sha256: hash.digest('hex'), size };
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/core/content/safe-tree.ts
/*
 * One rule for reading the classpath, used by every part of push that touches it (classifying
 * entries, finding ion-config, indexing namespaces, zipping, hashing):
 *
 * - Only regular files and directories are read. A FIFO, socket or device is refused by its type
 *   (from lstat before anything is opened), so nothing blocks on it: a FIFO `open` would wait for
 *   a writer forever and `/dev/zero` never ends.
 * - A symbolic link is followed only when its real path stays inside a boundary: the repository for
 *   the project's own entries, the entry itself for a directory outside the repository, the Maven
 *   repository or the git checkout for dependencies. A link out of it (to `/proc/self/environ`,
 *   whose bytes are the step's environment and credentials) is refused, naming the link and its
 *   target, before a byte is read.
 * - Nothing under /proc, /sys or /dev is ever read, whatever the boundary.
 * - Files are opened with O_NOFOLLOW|O_NONBLOCK and checked again with fstat, so a file swapped for
 *   a link or a FIFO between the walk and the read is refused rather than followed or waited on.
 *   Walked paths are real paths (links resolved), so O_NOFOLLOW never refuses a link that was
 *   allowed.
 */



/** Refused whatever the boundary: kernel views of processes, devices and the system. */
const SYSTEM_DIRS = ['/proc', '/sys', '/dev'];
const isWithin = (parent, child) => {
    if (child === parent)
        return true;
    const rel = (0,external_node_path_.relative)(parent, child);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${external_node_path_.sep}`) && !(0,external_node_path_.isAbsolute)(rel);
};
const isSystemPath = (real) => SYSTEM_DIRS.some((d) => isWithin(d, real));
function describeType(st) {
    if (st.isFIFO())
        return 'a FIFO (named pipe)';
    if (st.isSocket())
        return 'a socket';
    if (st.isCharacterDevice())
        return 'a character device';
    if (st.isBlockDevice())
        return 'a block device';
    if (st.isSymbolicLink())
        return 'a symbolic link';
    if (st.isDirectory())
        return 'a directory';
    return 'a regular file';
}
/**
 * Where a path leads: its real path, lstat of that real path, and why it may not be read (or
 * undefined). A missing path or target gives `missing`.
 */
async function resolveWithin(path, boundary) {
    let real;
    try {
        real = await (0,promises_.realpath)(path);
    }
    catch (err) {
        const e = err;
        const link = await (0,promises_.lstat)(path).catch(() => undefined);
        if (link?.isSymbolicLink()) {
            const target = await (0,promises_.readlink)(path).catch(() => undefined);
            return { missing: e, unsafe: { path, target, reason: 'dangling', code: e.code } };
        }
        return { missing: e };
    }
    const stats = await (0,promises_.lstat)(real);
    const viaLink = real !== path;
    // Name the target as the link says it (/proc/self/environ), and where it really leads when that differs.
    const said = viaLink ? await (0,promises_.readlink)(path).catch(() => undefined) : undefined;
    const target = said === undefined ? real : (0,external_node_path_.resolve)((0,external_node_path_.dirname)(path), said) === real ? said : `${said} (${real})`;
    if (isSystemPath(real))
        return { real, stats, unsafe: { path, target: viaLink ? target : undefined, reason: 'system' } };
    if (!isWithin(boundary, real))
        return { real, stats, unsafe: { path, target, reason: 'outside' } };
    if (!stats.isFile() && !stats.isDirectory())
        return { real, stats, unsafe: { path, target: viaLink ? target : undefined, reason: 'special', what: describeType(stats) } };
    return { real, stats };
}
/**
 * Every directory and regular file under `root` (a real path), following links that stay inside
 * `boundary` (a real path). Links to directories are walked under the link's name, as the JVM
 * sees them; a link back to a directory that contains it is a loop.
 *
 * readdir and lstat are synchronous here: on this project's CI machine kind, async calls cost a
 * thread-pool round trip each (about 130 µs when the machine is busy: 17 s for a tree of 66,000
 * directories), synchronous ones a few µs. Walking is a phase of its own, so blocking the event
 * loop for it delays nothing.
 */
async function walkTree(root, boundary) {
    const entries = [];
    const unsafe = [];
    const walk = async (absDir, relDir, ancestors) => {
        const dirents = (0,external_node_fs_.readdirSync)(absDir, { withFileTypes: true });
        for (const d of dirents) {
            const path = (0,external_node_path_.join)(absDir, d.name);
            const name = relDir + d.name;
            if (d.name.includes('\\')) {
                unsafe.push({ path, name, reason: 'backslash' });
                continue;
            }
            let real = path;
            let st;
            if (d.isSymbolicLink()) {
                const r = await resolveWithin(path, boundary);
                if (r.unsafe) {
                    unsafe.push({ ...r.unsafe, name });
                    continue;
                }
                if ('missing' in r)
                    throw r.missing;
                real = r.real;
                st = r.stats;
            }
            else {
                st = (0,external_node_fs_.lstatSync)(path);
            }
            if (st.isDirectory()) {
                const id = `${st.dev}:${st.ino}`;
                if (ancestors.has(id)) {
                    unsafe.push({ path, name, target: real, reason: 'loop' });
                    continue;
                }
                entries.push({ kind: 'dir', name: `${name}/` });
                ancestors.add(id);
                await walk(real, `${name}/`, ancestors);
                ancestors.delete(id);
            }
            else if (st.isFile()) {
                entries.push({ kind: 'file', name, path: real, size: st.size, executable: (st.mode & 0o111) !== 0 });
            }
            else {
                unsafe.push({ path, name, target: real === path ? undefined : real, reason: 'special', what: describeType(st) });
            }
        }
    };
    const rootStats = (0,external_node_fs_.lstatSync)(root);
    await walk(root, '', new Set([`${rootStats.dev}:${rootStats.ino}`]));
    return { entries, unsafe };
}
/** A regular file could not be opened safely: it is not one (any more), or it became a link. */
class NotARegularFileError extends Error {
    path;
    what;
    name = 'NotARegularFileError';
    constructor(path, what) {
        super(`${path} is ${what}, not a regular file`);
        this.path = path;
        this.what = what;
    }
}
/**
 * Opens a regular file for reading without following a final symbolic link (unless `followLink`:
 * for a path already checked, such as a classpath jar) and without blocking on a FIFO or device;
 * anything but a regular file is closed again and refused.
 */
async function openRegularFile(path, options = {}) {
    let handle;
    try {
        handle = await (0,promises_.open)(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | (options.followLink ? 0 : external_node_fs_.constants.O_NOFOLLOW));
    }
    catch (err) {
        if (err.code === 'ELOOP')
            throw new NotARegularFileError(path, 'a symbolic link');
        throw err;
    }
    const stats = await handle.stat();
    if (!stats.isFile()) {
        await handle.close();
        throw new NotARegularFileError(path, describeType(stats));
    }
    return { handle, stats };
}
/** openRegularFile, synchronously: a file descriptor to read and close. */
function openRegularFileSync(path, options = {}) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | (options.followLink ? 0 : external_node_fs_.constants.O_NOFOLLOW));
    }
    catch (err) {
        if (err.code === 'ELOOP')
            throw new NotARegularFileError(path, 'a symbolic link');
        throw err;
    }
    const stats = (0,external_node_fs_.fstatSync)(fd);
    if (!stats.isFile()) {
        (0,external_node_fs_.closeSync)(fd);
        throw new NotARegularFileError(path, describeType(stats));
    }
    return { fd, stats };
}
/** Reads at most `maxBytes` of a regular file (opened as openRegularFile does); `truncated` when it is longer. */
async function readRegularFile(path, maxBytes, options = {}) {
    const { handle, stats } = await openRegularFile(path, options);
    try {
        const want = Math.min(stats.size, maxBytes);
        const data = Buffer.alloc(want);
        let got = 0;
        while (got < want) {
            const { bytesRead } = await handle.read(data, got, want - got, got);
            if (bytesRead === 0)
                break;
            got += bytesRead;
        }
        return { data: data.subarray(0, got), truncated: stats.size > maxBytes };
    }
    finally {
        await handle.close();
    }
}
/**
 * One sentence about an unsafe path. `show` prints a path (relative to the repository, say);
 * `boundary` names where links may point ("the repository").
 */
function describeUnsafe(u, show, boundary) {
    const target = u.target === undefined ? '' : (0,external_node_path_.isAbsolute)(u.target) ? show(u.target) : u.target;
    const it = u.name ?? show(u.path);
    switch (u.reason) {
        case 'outside':
            return `${it} is a symbolic link to ${target}, which is outside ${boundary}; push never packs files from outside the project. Replace the link with the file itself, or remove it.`;
        case 'system':
            return `${it}${u.target ? ` is a symbolic link to ${target}, which is` : ' is'} under /proc, /sys or /dev; push never reads system files (they can hold the step's environment and credentials). Remove it.`;
        case 'special':
            return `${it}${u.target ? ` (a symbolic link to ${target})` : ''} is ${u.what ?? 'not a regular file'}; push packs only regular files and directories. Remove it from the classpath.`;
        case 'dangling':
            return `the symbolic link ${it} points to nothing (${u.code ?? 'ENOENT'}). Remove the link or restore its target.`;
        case 'loop':
            return `${it} leads back to a directory that contains it (a symbolic-link loop). Remove the link.`;
        case 'backslash':
            return `the name ${it} contains a backslash, which zip readers take as a separator. Rename it.`;
    }
}

;// CONCATENATED MODULE: ./src/aws/s3-object-store.ts








const MiB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MiB;
const MAX_PARTS = 10_000;
/** Parts in flight per multipart upload; each is buffered, so memory is about queueSize × partSize. */
const QUEUE_SIZE = 4;
/** Attempts when S3 answers 409 ConditionalRequestConflict (another writer of the same key). */
const s3_object_store_CONFLICT_ATTEMPTS = 3;
/**
 * Content-addressed objects in one S3 bucket. Keys carry the SHA-256, so an existing object is
 * never rewritten: writes are conditional (If-None-Match: *), and a 412 (the key exists) is checked
 * with a HeadObject before it is taken for the same bytes.
 */
class S3ObjectStore {
    client;
    bucket;
    /** Requests sent: HeadObject, PutObject (single-part), multipart uploads (one per object). */
    requests = { head: 0, put: 0, multipart: 0 };
    /** Body bytes of uploads S3 answered (stored, or refused with 412 because they already existed). */
    bytesSent = 0;
    /** Keys found holding other content than their name says: the next put replaces them (no If-None-Match). */
    wrongContent = new Set();
    threshold;
    partSize;
    constructor(client, bucket, opts = {}) {
        this.client = client;
        this.bucket = bucket;
        this.threshold = opts.multipartThresholdBytes ?? 16 * MiB;
        this.partSize = opts.partSizeBytes ?? 8 * MiB;
        if (this.partSize < MIN_PART_SIZE)
            throw new Error(`partSizeBytes must be at least ${MIN_PART_SIZE} (S3's minimum part size), got ${this.partSize}`);
    }
    async exists(key, expected) {
        this.requests.head += 1;
        try {
            const head = await this.client.send(new client_s3_dist_cjs.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
            // A content key names its bytes: an object of another size or recorded SHA-256 under it is
            // not that content (a partial or foreign write). Report it missing; put() then replaces it.
            const recorded = head.Metadata?.sha256;
            if (expected && (head.ContentLength !== expected.size || (recorded !== undefined && recorded !== expected.sha256))) {
                this.wrongContent.add(key);
                return false;
            }
            return true;
        }
        catch (err) {
            if (isNotFound(err))
                return false;
            // Without s3:ListBucket a missing key answers 403. Treat it as missing: the conditional put
            // that follows either stores it or gets 412 (it existed), and a real permission problem
            // then fails the put with a clear error.
            if (isForbidden(err))
                return false;
            throw new Error(`Could not check s3://${this.bucket}/${key}: ${describeError(err)}. ` +
                `Check that the credentials allow s3:GetObject on the bucket and that the configured region is the bucket's region.`, { cause: err });
        }
    }
    /**
     * A create-only write (If-None-Match: *), with no HeadObject before it: a first push costs one
     * round trip per object. When S3 answers 412 (the key exists) the object is checked with one
     * HeadObject: the right size and recorded SHA-256 → 'present'; anything else (a partial or
     * foreign write) is replaced by an unconditional write of the right bytes.
     */
    // biome-ignore lint/suspicious/noConfusingVoidType: the port's type (src/core/content/sync.ts)
    async put(object) {
        try {
            if (await this.write(object))
                return;
            if (await this.exists(object.key, object))
                return 'present';
            // exists() marked the key as holding wrong content: this write is unconditional.
            if (!(await this.write(object)))
                throw new Error(`S3 refused to replace the wrong content under ${object.key} (412)`);
        }
        catch (err) {
            if (err instanceof ContentChangedError)
                throw err;
            const where = `Could not upload ${describeSource(object)} to s3://${this.bucket}/${object.key}`;
            // Errors without an HTTP status did not come from S3 (a read failure, a network error).
            const status = httpStatus(err);
            const advice = status === undefined
                ? ''
                : status >= 500
                    ? " S3 failed on its side, even after the SDK's retries; that is usually transient."
                    : err.name === 'NoSuchBucket'
                        ? " Check the bucket name and that the configured region is the bucket's."
                        : " Check that the credentials allow s3:PutObject on the bucket (and kms:GenerateDataKey if it is encrypted with a KMS key) and that the configured region is the bucket's.";
            throw new Error(`${where}: ${describeError(err)}.${advice}`, { cause: err });
        }
    }
    /** If-None-Match for a write: create-only, unless the key holds wrong content that must be replaced. */
    createOnly(key) {
        return this.wrongContent.has(key) ? undefined : '*';
    }
    /** True when S3 stored it; false when a create-only write found the key taken (412). */
    write(object) {
        return object.size <= this.threshold ? this.putSingle(object) : this.putMultipart(object);
    }
    async putSingle(object) {
        // A Buffer, not a stream: stream bodies can go out aws-chunked, which some S3-compatible
        // servers store with the chunk framing (docs/test-environment.md).
        const data = 'data' in object.body
            ? object.body.data
            : await readRegularFile(object.body.path, this.threshold + 1, { followLink: true }).then((r) => r.data);
        verifyContent(object, data.length, sha256Hex(data));
        for (let attempt = 1;; attempt += 1) {
            this.requests.put += 1;
            try {
                await this.client.send(new client_s3_dist_cjs.PutObjectCommand({
                    Bucket: this.bucket,
                    Key: object.key,
                    Body: data,
                    ContentLength: data.length,
                    ContentType: contentTypeOf(object.key),
                    // S3 recomputes the SHA-256 and rejects the upload (BadDigest) if the bytes differ.
                    ChecksumSHA256: Buffer.from(object.sha256, 'hex').toString('base64'),
                    IfNoneMatch: this.createOnly(object.key),
                    Metadata: { sha256: object.sha256 },
                }));
                this.bytesSent += data.length;
                return true;
            }
            catch (err) {
                if (isPreconditionFailed(err)) {
                    this.bytesSent += data.length;
                    return false;
                }
                if (isConditionalConflict(err) && attempt < s3_object_store_CONFLICT_ATTEMPTS)
                    continue;
                throw err;
            }
        }
    }
    async putMultipart(object) {
        this.requests.multipart += 1;
        // Multipart objects get no whole-object SHA-256 from S3 (only per-part ones, which the SDK
        // computes from what it sends), so the content is checked here before the upload completes:
        // the verifying stream fails at its end, before the last part goes out.
        let body;
        if ('data' in object.body) {
            verifyContent(object, object.body.data.length, sha256Hex(object.body.data));
            body = object.body.data;
        }
        else {
            // Opened as every classpath file is (safe-tree.ts): a file swapped for a FIFO is refused, not waited on.
            const { fd } = openRegularFileSync(object.body.path, { followLink: true });
            body = (0,external_node_stream_.pipeline)((0,external_node_fs_.createReadStream)('', { fd, highWaterMark: MiB }), verifyingStream(object), () => { });
        }
        // Loaded here, not with the module: only an object over the threshold needs it, and a warm push
        // (nothing to upload, or a small source zip) need not compile it (the build gives it a chunk of its own).
        const { Upload } = await __webpack_require__.e(/* import() */ 358).then(__webpack_require__.t.bind(__webpack_require__, 2358, 19));
        const upload = new Upload({
            client: this.client,
            queueSize: QUEUE_SIZE,
            partSize: Math.max(this.partSize, Math.ceil(object.size / MAX_PARTS)),
            leavePartsOnError: false,
            params: {
                Bucket: this.bucket,
                Key: object.key,
                Body: body,
                ContentLength: object.size,
                ContentType: contentTypeOf(object.key),
                ChecksumAlgorithm: 'SHA256',
                // Upload passes this to CompleteMultipartUpload, which honours it like PutObject.
                IfNoneMatch: this.createOnly(object.key),
                Metadata: { sha256: object.sha256 },
            },
        });
        let created = true;
        try {
            await upload.done();
        }
        catch (err) {
            if (err instanceof ContentChangedError)
                throw err;
            if (!isPreconditionFailed(err))
                throw err;
            created = false;
        }
        this.bytesSent += object.size;
        return created;
    }
}
/** The bytes to upload are not the ones that were hashed: a file changed during the push. */
class ContentChangedError extends Error {
    name = 'ContentChangedError';
}
function verifyContent(object, size, sha256) {
    if (size === object.size && sha256 === object.sha256)
        return;
    throw new ContentChangedError(`${describeSource(object)} changed after it was hashed (now ${size} bytes, sha256 ${sha256}; ` +
        `hashed: ${object.size} bytes, ${object.sha256}). Make sure nothing writes to the classpath during the push, then run it again.`);
}
/** Passes bytes through and fails at the end if they are not the object's content. */
function verifyingStream(object) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
        },
        flush(callback) {
            try {
                verifyContent(object, size, hash.digest('hex'));
                callback();
            }
            catch (err) {
                callback(err);
            }
        },
    });
}
const describeSource = (object) => object.source ?? ('path' in object.body ? object.body.path : `in-memory object (${object.size} bytes)`);
function contentTypeOf(key) {
    if (key.endsWith('.jar'))
        return 'application/java-archive';
    if (key.endsWith('.zip'))
        return 'application/zip';
    return 'application/octet-stream';
}

;// CONCATENATED MODULE: ./src/aws/s3-object-index.ts



/**
 * The object index (src/core/content/object-index.ts) as one plain S3 object: read with GetObject,
 * replaced with PutObject (unconditional: the last push to finish wins, which is safe because every
 * version lists only objects that exist).
 */
class S3ObjectIndex {
    client;
    bucket;
    /** Requests sent, for the tests' and the benchmark's request counts. */
    requests = { get: 0, put: 0 };
    constructor(client, bucket) {
        this.client = client;
        this.bucket = bucket;
    }
    async read(key, maxBytes) {
        this.requests.get += 1;
        try {
            const out = await this.client.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: this.bucket, Key: key }));
            if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
                // Not read: the body is dropped with its connection.
                out.Body?.destroy?.();
                return { tooLarge: out.ContentLength };
            }
            const data = Buffer.from(await out.Body.transformToByteArray());
            return data.length > maxBytes ? { tooLarge: data.length } : { data };
        }
        catch (err) {
            // 403: without s3:ListBucket a missing key answers 403; either way there is nothing to trust.
            if (isNotFound(err) || isForbidden(err))
                return null;
            throw new Error(`GetObject s3://${this.bucket}/${key}: ${describeError(err)}`, { cause: err });
        }
    }
    async write(key, data) {
        this.requests.put += 1;
        try {
            await this.client.send(new client_s3_dist_cjs.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length, ContentType: 'application/json' }));
        }
        catch (err) {
            throw new Error(`PutObject s3://${this.bucket}/${key}: ${describeError(err)}`, { cause: err });
        }
    }
}

;// CONCATENATED MODULE: ./src/core/edn/nodes.ts
/** The EDN node tree: every value remembers where its first character is, so callers can point at it. */
/** `ns/name` or `name` (no leading colon for keywords). */
const qualifiedName = (node) => node.namespace === null ? node.name : `${node.namespace}/${node.name}`;

;// CONCATENATED MODULE: ./src/core/edn/equality.ts

/**
 * A string that is equal for two nodes exactly when Clojure's `=` holds for their values
 * (close enough for duplicate-key detection): 1 and 1N are equal, [1] and (1) are equal,
 * maps and sets ignore order.
 */
function equalityKey(node) {
    switch (node.kind) {
        case 'nil':
            return 'nil';
        case 'boolean':
            return String(node.value);
        case 'string':
            return `s${JSON.stringify(node.value)}`;
        case 'char':
            return `c${JSON.stringify(node.value)}`;
        case 'integer':
            return `i${node.value}`;
        case 'float':
            return `${node.decimal ? 'M' : 'd'}${node.value}`;
        case 'ratio': {
            const g = gcd(node.numerator, node.denominator);
            const [n, d] = [node.numerator / g, node.denominator / g];
            // A ratio that reduces to a whole number is read as an integer by Clojure.
            return d === 1n ? `i${n}` : `r${n}/${d}`;
        }
        case 'keyword':
            return `:${qualifiedName(node)}`;
        case 'symbol':
            return `'${qualifiedName(node)}`;
        case 'list':
        case 'vector':
            return `[${node.items.map(equalityKey).join(' ')}]`;
        case 'set':
            return `#{${node.items.map(equalityKey).sort().join(' ')}}`;
        case 'map':
            return `{${node.entries
                .map((e) => `${equalityKey(e.key)} ${equalityKey(e.value)}`)
                .sort()
                .join(',')}}`;
        case 'tagged':
            return `#${node.tag} ${equalityKey(node.value)}`;
    }
}
function gcd(a, b) {
    let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
    while (y !== 0n)
        [x, y] = [y, x % y];
    return x === 0n ? 1n : x;
}

;// CONCATENATED MODULE: ./src/core/edn/errors.ts
/** Malformed EDN, located at the offending character (1-based). `message` carries no location. */
class EdnSyntaxError extends Error {
    line;
    column;
    constructor(message, at) {
        super(message);
        this.name = 'EdnSyntaxError';
        this.line = at.line;
        this.column = at.column;
    }
}

;// CONCATENATED MODULE: ./src/core/edn/print.ts

const CHAR_NAMES = {
    '\n': 'newline',
    ' ': 'space',
    '\t': 'tab',
    '\r': 'return',
    '\b': 'backspace',
    '\f': 'formfeed',
};
/** `text` cut to about `max` characters, for quoting outside names in messages: a name can be megabytes long. */
function clip(text, max = 100) {
    if (text.length <= max)
        return text;
    return `${[...text.slice(0, max)].slice(0, max - 1).join('')}…`;
}
/** Compact EDN text for a node, cut to about `max` characters: for quoting values in messages. */
function printEdn(node, max = 60) {
    const text = print(node);
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
function print(node) {
    switch (node.kind) {
        case 'nil':
            return 'nil';
        case 'boolean':
            return String(node.value);
        case 'string':
            return JSON.stringify(node.value); // JSON's escapes are all valid EDN escapes
        case 'char':
            return `\\${CHAR_NAMES[node.value] ?? node.value}`;
        case 'integer':
            return `${node.value}${node.big ? 'N' : ''}`;
        case 'float':
            if (Number.isNaN(node.value))
                return '##NaN';
            if (!Number.isFinite(node.value))
                return node.value > 0 ? '##Inf' : '##-Inf';
            return `${Number.isInteger(node.value) ? node.value.toFixed(1) : node.value}${node.decimal ? 'M' : ''}`;
        case 'ratio':
            return `${node.numerator}/${node.denominator}`;
        case 'keyword':
            return `:${qualifiedName(node)}`;
        case 'symbol':
            return qualifiedName(node);
        case 'list':
            return `(${node.items.map(print).join(' ')})`;
        case 'vector':
            return `[${node.items.map(print).join(' ')}]`;
        case 'set':
            return `#{${node.items.map(print).join(' ')}}`;
        case 'map':
            return `{${node.entries.map((e) => `${print(e.key)} ${print(e.value)}`).join(', ')}}`;
        case 'tagged':
            return `#${node.tag} ${print(node.value)}`;
    }
}

;// CONCATENATED MODULE: ./src/core/edn/reader.ts
/**
 * A small EDN reader that records the line and column of every value.
 *
 * Hand-written because no EDN reader on npm gives source positions (edn-data returns plain values
 * and silently half-parses bad input; jsedn rejects `#_` and tags), and validation errors in
 * ion-config.edn must point at the offending value. Follows clojure.edn: `#_` discards, comments,
 * commas, tagged literals, namespaced maps `#:ns{…}`, and rejects duplicate map keys and set elements.
 */







/** Reads a document holding exactly one EDN value. Throws EdnSyntaxError, located, on malformed input. */
function readEdn(text) {
    const r = new Reader(text);
    r.skipIgnorable();
    if (r.atEnd())
        throw new EdnSyntaxError('no value: the document is empty or everything in it is commented out', r.here());
    const value = r.readForm();
    r.skipIgnorable();
    if (!r.atEnd()) {
        if (isCloser(r.peek()))
            r.unmatchedCloser();
        throw new EdnSyntaxError('extra value after the first one: an EDN document holds exactly one value (wrap several in a vector or map)', r.here());
    }
    return value;
}
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v', ',']);
// Characters that end a token (clojure's terminating macro characters, plus whitespace).
const TERMINATORS = new Set(['"', ';', '(', ')', '[', ']', '{', '}', '\\', '^', '`', '~', '@']);
const CLOSERS = { '(': ')', '[': ']', '{': '}' };
const MAX_DEPTH = 1000;
const isCloser = (c) => c === ')' || c === ']' || c === '}';
const endsToken = (c) => c === '' || WHITESPACE.has(c) || TERMINATORS.has(c);
const STRING_ESCAPES = { t: '\t', r: '\r', n: '\n', b: '\b', f: '\f', '\\': '\\', '"': '"' };
const NAMED_CHARS = {
    newline: '\n',
    space: ' ',
    tab: '\t',
    return: '\r',
    backspace: '\b',
    formfeed: '\f',
};
const INTEGER = /^([-+]?)(0|[1-9][0-9]*)(N?)$/;
const FLOAT = /^[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?(M?)$/;
const RATIO = /^([-+]?[0-9]+)\/([0-9]+)$/;
// clojure.instant's grammar: any prefix of an RFC 3339 timestamp, with optional offset.
const INST = /^\d{4}(?:-\d\d(?:-\d\d(?:T\d\d(?::\d\d(?::\d\d(?:\.\d+)?)?)?)?)?)?(?:Z|[-+]\d\d:\d\d)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
class Reader {
    text;
    pos = 0;
    line = 1;
    column = 1;
    depth = 0;
    constructor(text) {
        this.text = text;
        if (text.charCodeAt(0) === 0xfeff)
            this.pos = 1; // a BOM is not part of the document
    }
    atEnd() {
        return this.pos >= this.text.length;
    }
    /** The next UTF-16 unit, or '' at the end. */
    peek(offset = 0) {
        return this.text.charAt(this.pos + offset);
    }
    here() {
        return { line: this.line, column: this.column };
    }
    next() {
        const c = this.text.charAt(this.pos);
        this.pos++;
        if (c === '\n') {
            this.line++;
            this.column = 1;
        }
        else if (!(isLowSurrogate(c) && isHighSurrogate(this.text.charAt(this.pos - 2)))) {
            this.column++; // the second half of a surrogate pair is the same character
        }
        return c;
    }
    /** Skips whitespace, commas, `;` comments and `#_` discarded forms. */
    skipIgnorable() {
        for (;;) {
            const c = this.peek();
            if (WHITESPACE.has(c))
                this.next();
            else if (c === ';')
                while (!this.atEnd() && this.peek() !== '\n')
                    this.next();
            else if (c === '#' && this.peek(1) === '_') {
                const at = this.here();
                if (++this.depth > MAX_DEPTH)
                    throw new EdnSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
                this.next();
                this.next();
                this.skipIgnorable(); // handles `#_ #_ a b`: the inner discard eats a, this one eats b
                if (this.atEnd() || isCloser(this.peek()))
                    throw new EdnSyntaxError('#_ must be followed by a value to discard', at);
                this.readForm();
                this.depth--;
            }
            else
                return;
        }
    }
    unmatchedCloser(expected) {
        const c = this.peek();
        const message = expected
            ? `unmatched '${c}': the '${expected.prefix}${expected.open}' at line ${expected.at.line}, column ${expected.at.column} must be closed with '${CLOSERS[expected.open]}' first`
            : `unmatched '${c}': nothing is open here; remove it or add the opening bracket`;
        throw new EdnSyntaxError(message, this.here());
    }
    /** Reads one value; the caller has skipped ignorable text and checked there is a value here. */
    readForm() {
        const at = this.here();
        // Bounded so that hostile nesting is a located error, not a stack overflow.
        if (++this.depth > MAX_DEPTH)
            throw new EdnSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
        const node = this.readFormAt(at);
        this.depth--;
        return node;
    }
    readFormAt(at) {
        const c = this.peek();
        switch (c) {
            case '(':
            case '[':
            case '{':
                return this.readCollection(at);
            case ')':
            case ']':
            case '}':
                return this.unmatchedCloser();
            case '"':
                return { kind: 'string', value: this.readString(), ...at };
            case '\\':
                return this.readChar(at);
            case '#':
                return this.readDispatch(at);
            case "'":
                throw new EdnSyntaxError("quote (') is not EDN: write the symbol without it, e.g. my.ns/f", at);
            case '^':
            case '`':
            case '~':
            case '@':
                throw new EdnSyntaxError(`unexpected '${c}': reader macros are not EDN`, at);
            default:
                return this.readAtom(at);
        }
    }
    /** Lists, vectors, maps, and sets (prefix '#'). */
    readCollection(at, prefix = '') {
        const open = this.next();
        const items = this.readItems(open, at, prefix);
        if (open === '(')
            return { kind: 'list', items, ...at };
        if (open === '[')
            return { kind: 'vector', items, ...at };
        if (prefix === '#')
            return { kind: 'set', items: uniqueItems(items), ...at };
        return buildMap(items, at);
    }
    /** Reads values up to the closer of `open`, which has been consumed. */
    readItems(open, at, prefix = '') {
        const close = CLOSERS[open];
        const items = [];
        for (;;) {
            this.skipIgnorable();
            if (this.atEnd()) {
                throw new EdnSyntaxError(`'${prefix}${open}' is never closed: the input ends first; add the matching '${close}'`, at);
            }
            const c = this.peek();
            if (c === close)
                break;
            if (isCloser(c))
                this.unmatchedCloser({ open, prefix, at });
            items.push(this.readForm());
        }
        this.next();
        return items;
    }
    readString() {
        const start = this.here();
        this.next();
        let value = '';
        for (;;) {
            if (this.atEnd())
                throw new EdnSyntaxError("unterminated string: no closing '\"' before the end of the input", start);
            const c = this.next();
            if (c === '"')
                return value;
            if (c !== '\\') {
                value += c;
                continue;
            }
            const escapeAt = { line: this.line, column: this.column - 1 };
            if (this.atEnd())
                throw new EdnSyntaxError("unterminated string: no closing '\"' before the end of the input", start);
            const e = this.next();
            const simple = STRING_ESCAPES[e];
            if (simple !== undefined)
                value += simple;
            else if (e === 'u') {
                const hex = this.text.slice(this.pos, this.pos + 4);
                if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
                    throw new EdnSyntaxError(`invalid unicode escape in string: write \\u followed by four hex digits, e.g. \\u00e9`, escapeAt);
                }
                for (let i = 0; i < 4; i++)
                    this.next();
                value += String.fromCharCode(parseInt(hex, 16));
            }
            else {
                throw new EdnSyntaxError(`unsupported escape \\${e} in string: use \\n, \\t, \\r, \\b, \\f, \\\\, \\" or \\uXXXX`, escapeAt);
            }
        }
    }
    readChar(at) {
        this.next();
        const first = this.peek();
        if (first === '' || WHITESPACE.has(first)) {
            throw new EdnSyntaxError('a backslash must be followed by a character: write \\a, or \\space, \\newline, \\tab', at);
        }
        let token = this.next();
        if (isHighSurrogate(token) && isLowSurrogate(this.peek()))
            token += this.next();
        while (!endsToken(this.peek()))
            token += this.next();
        const value = charValue(token);
        if (value === undefined) {
            throw new EdnSyntaxError(`unsupported character literal \\${clip(token)}: use a single character (\\a), \\newline, \\space, \\tab, \\return, \\backspace, \\formfeed or \\uXXXX`, at);
        }
        return { kind: 'char', value, ...at };
    }
    /** `#` forms: sets, tagged values, namespaced maps, `##Inf`. (`#_` is handled by skipIgnorable.) */
    readDispatch(at) {
        this.next();
        const c = this.peek();
        if (c === '{')
            return this.readCollection(at, '#');
        if (c === ':')
            return this.readNamespacedMap(at);
        if (c === '#') {
            this.next();
            const token = this.readToken();
            const value = { Inf: Infinity, '-Inf': -Infinity, NaN: NaN }[token];
            if (value === undefined)
                throw new EdnSyntaxError(`unknown symbolic value ##${clip(token)}: use ##Inf, ##-Inf or ##NaN`, at);
            return { kind: 'float', value, decimal: false, ...at };
        }
        if (/\p{L}/u.test(c)) {
            const tag = this.readToken();
            checkSymbol(tag, at, 'tag');
            splitName(tag, `#${tag}`, at, 'tag');
            this.skipIgnorable();
            if (this.atEnd() || isCloser(this.peek()))
                throw new EdnSyntaxError(`tag #${clip(tag)} must be followed by a value`, at);
            const value = this.readForm();
            checkBuiltinTag(tag, value);
            return { kind: 'tagged', tag, value, ...at };
        }
        const what = c === ''
            ? "'#' at the end of the input"
            : c === '"'
                ? 'a regular expression #"…"'
                : c === '?'
                    ? 'a reader conditional #?'
                    : c === '('
                        ? 'an anonymous function #(…)'
                        : c === "'"
                            ? "a var quote #'"
                            : `'#${c}'`;
        throw new EdnSyntaxError(`${what} is not EDN: after '#' comes {, _, :ns{ or a tag such as #inst`, at);
    }
    /** `#:ns{:a 1}` → `{:ns/a 1}`; `:_/a` keys lose their namespace. */
    readNamespacedMap(at) {
        this.next();
        if (this.peek() === ':')
            throw new EdnSyntaxError('auto-resolved namespaced maps (#::{…}) are not EDN: name the namespace, as in #:my.ns{…}', at);
        const ns = this.readToken();
        if (ns === '' || ns.includes('/') || /^[0-9]/.test(ns)) {
            throw new EdnSyntaxError(`invalid namespace '${clip(ns)}' for a namespaced map: write #:my.ns{…}`, at);
        }
        while (WHITESPACE.has(this.peek()))
            this.next();
        if (this.peek() !== '{')
            throw new EdnSyntaxError(`namespaced map #:${clip(ns)} must be followed by a map {…}`, at);
        const open = this.next();
        const items = this.readItems(open, at, `#:${clip(ns)}`).map((item, i) => (i % 2 === 0 ? qualifyKey(item, ns) : item));
        return buildMap(items, at);
    }
    readToken() {
        let token = '';
        while (!endsToken(this.peek()))
            token += this.next();
        return token;
    }
    /** nil, booleans, numbers, keywords, symbols. */
    readAtom(at) {
        const token = this.readToken();
        if (token === '')
            throw new EdnSyntaxError(`unexpected '${this.peek()}'`, at);
        if (/^[-+]?[0-9]/.test(token))
            return readNumber(token, at);
        if (token === 'nil')
            return { kind: 'nil', ...at };
        if (token === 'true' || token === 'false')
            return { kind: 'boolean', value: token === 'true', ...at };
        if (token.startsWith(':')) {
            const body = token.slice(1);
            if (body.startsWith(':')) {
                throw new EdnSyntaxError(`auto-resolved keyword ${clip(token)} is not EDN: write the namespace out, as in :my.ns/${clip(body.slice(1))}`, at);
            }
            if (body === '' || body === '/')
                throw new EdnSyntaxError(`invalid keyword '${clip(token)}': a keyword needs a name, as in :name or :ns/name`, at);
            return { kind: 'keyword', ...splitName(body, token, at, 'keyword'), ...at };
        }
        checkSymbol(token, at, 'symbol');
        if (token === '/')
            return { kind: 'symbol', namespace: null, name: '/', ...at };
        return { kind: 'symbol', ...splitName(token, token, at, 'symbol'), ...at };
    }
}
function readNumber(token, at) {
    const int = INTEGER.exec(token);
    if (int)
        return { kind: 'integer', value: BigInt(`${int[1]}${int[2]}`), big: int[3] === 'N', ...at };
    const float = FLOAT.exec(token);
    if (float && /[.eEM]/.test(token)) {
        return { kind: 'float', value: Number(token.replace(/M$/, '')), decimal: float[1] === 'M', ...at };
    }
    const ratio = RATIO.exec(token);
    if (ratio) {
        const denominator = BigInt(ratio[2] ?? '');
        if (denominator === 0n)
            throw new EdnSyntaxError(`invalid ratio ${clip(token)}: the denominator is zero`, at);
        return { kind: 'ratio', numerator: BigInt(ratio[1] ?? ''), denominator, ...at };
    }
    const hint = /^[-+]?0[0-9]+N?$/.test(token) ? ' (only 0 itself may start with 0)' : '';
    throw new EdnSyntaxError(`invalid number '${clip(token)}'${hint}`, at);
}
/** clojure's symbol rules: '/' alone, or ns/name with '/' once, neither part empty, no trailing ':'. */
function checkSymbol(token, at, what) {
    if (token === '/')
        return;
    if (/^[.][0-9]/.test(token))
        throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': a number needs a leading digit, as in 0${clip(token)}`, at);
    if (token.endsWith(':') || token.includes('::'))
        throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': it cannot end with ':' or contain '::'`, at);
}
function splitName(body, token, at, what) {
    if (body.endsWith(':') || body.includes('::'))
        throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': it cannot end with ':' or contain '::'`, at);
    if (body.length > 2 && body.endsWith('//'))
        return { namespace: body.slice(0, -2), name: '/' }; // clojure.core//
    const slash = body.indexOf('/');
    if (slash === -1)
        return { namespace: null, name: body };
    const namespace = body.slice(0, slash);
    const name = body.slice(slash + 1);
    if (namespace === '' || name === '' || name.includes('/') || (what === 'symbol' && /^[0-9]/.test(name))) {
        throw new EdnSyntaxError(`invalid ${what} '${clip(token)}': write namespace/name with '/' once, as in my.ns/f`, at);
    }
    return { namespace, name };
}
function charValue(token) {
    if ([...token].length === 1)
        return token;
    const named = NAMED_CHARS[token];
    if (named !== undefined)
        return named;
    if (/^u[0-9a-fA-F]{4}$/.test(token)) {
        const code = parseInt(token.slice(1), 16);
        return code >= 0xd800 && code <= 0xdfff ? undefined : String.fromCharCode(code);
    }
    if (/^o[0-7]{1,3}$/.test(token)) {
        const code = parseInt(token.slice(1), 8);
        return code <= 0o377 ? String.fromCharCode(code) : undefined;
    }
    return undefined;
}
function checkBuiltinTag(tag, value) {
    if (tag === 'inst' && !(value.kind === 'string' && INST.test(value.value) && !Number.isNaN(Date.parse(value.value)))) {
        throw new EdnSyntaxError('#inst needs an RFC 3339 timestamp string, e.g. #inst "2024-01-31T12:00:00Z"', value);
    }
    if (tag === 'uuid' && !(value.kind === 'string' && UUID.test(value.value))) {
        throw new EdnSyntaxError('#uuid needs a UUID string, e.g. #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"', value);
    }
}
function qualifyKey(key, ns) {
    if (key.kind !== 'keyword' && key.kind !== 'symbol')
        return key;
    if (key.namespace === null)
        return { ...key, namespace: ns };
    if (key.namespace === '_')
        return { ...key, namespace: null };
    return key;
}
function buildMap(items, at) {
    if (items.length % 2 !== 0) {
        const last = items[items.length - 1];
        const where = last ? ` (the last key, at line ${last.line}, column ${last.column}, has no value)` : '';
        throw new EdnSyntaxError(`map has an odd number of forms${where}: every key needs a value`, at);
    }
    const entries = [];
    for (let i = 0; i < items.length; i += 2)
        entries.push({ key: items[i], value: items[i + 1] });
    uniqueItems(entries.map((e) => e.key), 'key in map');
    return { kind: 'map', entries, ...at };
}
/** Throws at the second occurrence of an equal value. */
function uniqueItems(items, what = 'element in set') {
    const seen = new Map();
    for (const item of items) {
        const key = equalityKey(item);
        const first = seen.get(key);
        if (first) {
            throw new EdnSyntaxError(`duplicate ${what}: ${printEdn(item)} is already at line ${first.line}, column ${first.column}; remove one`, item);
        }
        seen.set(key, item);
    }
    return items;
}
const isHighSurrogate = (c) => c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdbff;
const isLowSurrogate = (c) => c.length === 1 && c.charCodeAt(0) >= 0xdc00 && c.charCodeAt(0) <= 0xdfff;

;// CONCATENATED MODULE: ./src/core/ion-config/namespaces.ts

/**
 * Clojure's mapping between namespaces and classpath resources: `my-app.core` is loaded from
 * `my_app/core.clj` (or `.cljc`, or AOT-compiled `my_app/core__init.class`).
 */
/** `my-app.core` → `my_app/core` (clojure.core/root-resource, without the leading slash). */
const namespaceToPath = (ns) => ns.replace(/-/g, '_').replace(/\./g, '/');
/** `my_app/core` → `my-app.core`. Lossy: `my_app.core` also lives in `my_app/core.clj`. */
const pathToNamespace = (path) => path.replace(/_/g, '-').replace(/\//g, '.');
/** The name under which `ns` appears in an index built with pathToNamespace. */
const indexedName = (ns) => pathToNamespace(namespaceToPath(ns));
const SOURCE = /^(.+)(?:\.cljc?|__init\.class)$/;
/** The namespace a classpath-relative resource path defines, if it is Clojure source or an AOT init class. */
function namespaceOfResource(path) {
    if (path.startsWith('META-INF/'))
        return undefined; // project.clj copies and the like, never loaded by require
    const m = SOURCE.exec(path);
    return m?.[1] ? pathToNamespace(m[1]) : undefined;
}
/** More than any config names; bounds the files read for a hostile one. */
const MAX_NAMED = 256;
/**
 * The namespaces of every qualified symbol in an ion-config text (wherever it is: checking its
 * place is validation's job), in order of appearance; none when the text is not EDN.
 */
function namespacesNamedIn(text) {
    let root;
    try {
        root = readEdn(text);
    }
    catch (e) {
        if (e instanceof EdnSyntaxError)
            return [];
        throw e;
    }
    const found = new Set();
    const stack = [root];
    while (stack.length > 0 && found.size < MAX_NAMED) {
        const node = stack.pop();
        if (node.kind === 'symbol' && node.namespace !== null)
            found.add(node.namespace);
        else if (node.kind === 'list' || node.kind === 'vector' || node.kind === 'set')
            stack.push(...[...node.items].reverse());
        else if (node.kind === 'map')
            stack.push(...node.entries.flatMap((e) => [e.value, e.key]).reverse());
        else if (node.kind === 'tagged')
            stack.push(node.value);
    }
    return [...found];
}

;// CONCATENATED MODULE: ./src/core/classpath/dependency-conflicts.ts

const IGNORED_FILES = new Set(['module-info', 'package-info', 'data_readers']);
const ignored = (path) => {
    const slash = path.lastIndexOf('/');
    return IGNORED_FILES.has(slash < 0 ? path : path.slice(slash + 1));
};
/**
 * What a file name provides: a namespace's resource path (`a/b`), a class's (`a/B`), or nothing.
 * Cheap on the names that provide nothing, which are most: this runs on every name of every jar.
 */
function provides(name) {
    let stem;
    let isClass = false;
    if (name.endsWith('.class')) {
        if (name.endsWith('__init.class'))
            stem = name.slice(0, -'__init.class'.length);
        else {
            stem = name.slice(0, -'.class'.length);
            isClass = true;
        }
    }
    else if (name.endsWith('.clj'))
        stem = name.slice(0, -'.clj'.length);
    else if (name.endsWith('.cljc'))
        stem = name.slice(0, -'.cljc'.length);
    else
        return undefined;
    if (stem === '' || name.startsWith('META-INF/') || ignored(stem))
        return undefined;
    return isClass ? { class: stem } : { namespace: stem };
}
function record(providers, path, index) {
    const seen = providers.get(path);
    if (seen === undefined)
        providers.set(path, index);
    else if (typeof seen === 'number') {
        if (seen !== index)
            providers.set(path, [seen, index]);
    }
    else if (seen[seen.length - 1] !== index)
        seen.push(index);
}
/** Conflict groups, one per set of entries that provide the same things, in classpath order of their first entry. */
function findDependencyConflicts(listings) {
    // Most names come from one entry: keep a number, and make a list only on the second provider.
    const namespaces = new Map();
    const classes = new Map();
    listings.forEach((listing, index) => {
        for (const name of listing.names) {
            const p = provides(name);
            if (p === undefined)
                continue;
            if ('class' in p)
                record(classes, p.class, index);
            else
                record(namespaces, p.namespace, index);
        }
    });
    const groups = new Map();
    const groupOf = (at) => {
        const id = at.join(',');
        const found = groups.get(id);
        if (found)
            return found;
        const group = { at, namespaces: [], classes: [] };
        groups.set(id, group);
        return group;
    };
    for (const [path, seen] of namespaces)
        if (typeof seen !== 'number')
            groupOf(seen).namespaces.push(path);
    for (const [path, seen] of classes)
        if (typeof seen !== 'number')
            groupOf(seen).classes.push(path);
    const result = [];
    for (const { at, namespaces, classes } of groups.values()) {
        const nsPaths = new Set(namespaces);
        const own = nsPaths.size === 0 ? classes : classes.filter((c) => !belongsToNamespace(c, nsPaths));
        result.push({
            entries: at.map((i) => listings[i].origin),
            at,
            winner: listings[at[0]].origin,
            namespaces: namespaces.map(pathToNamespace).sort(),
            classes: own.map((c) => c.replace(/\//g, '.')).sort(),
        });
    }
    return result.sort((a, b) => compareIndexes(a.at, b.at));
}
/** `a/b$fn__1` and `a/b/Rec` belong to namespace path `a/b`. */
function belongsToNamespace(classPath, nsPaths) {
    for (let i = classPath.length; i > 0; i--) {
        const c = classPath[i];
        if ((c === '$' || c === '/') && nsPaths.has(classPath.slice(0, i)))
            return true;
    }
    return false;
}
function compareIndexes(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++)
        if (a[i] !== b[i])
            return a[i] - b[i];
    return a.length - b.length;
}
/** How many namespaces and classes the groups hold. */
const conflictCount = (groups) => groups.reduce((n, g) => n + g.namespaces.length + g.classes.length, 0);
/**
 * The `dependency-conflicts` output: one item per namespace, then per class, at most `max` items
 * (a job's outputs share 1 MB; two versions of one large library alone are thousands of classes).
 */
function conflictItems(groups, max = 1000) {
    const items = [];
    for (const g of groups)
        for (const ns of g.namespaces)
            items.push({ namespace: ns, entries: g.entries, winner: g.winner });
    for (const g of groups)
        for (const cls of g.classes)
            items.push({ class: cls, entries: g.entries, winner: g.winner });
    return items.slice(0, max);
}
/** Namespaces first, then classes: a few names, then how many more. */
function conflictNames(group, shown = 3) {
    const names = [...group.namespaces, ...group.classes];
    const listed = names.slice(0, shown).join(', ');
    return names.length > shown ? `${listed} and ${names.length - shown} more` : listed;
}
const counted = (n, one, many) => `${n} ${n === 1 ? one : many}`;
/** What one group means, in a sentence that says what to do. Holds origins and names: print it inert. */
function conflictMessage(group) {
    const what = [
        group.namespaces.length ? counted(group.namespaces.length, 'namespace', 'namespaces') : '',
        group.classes.length ? counted(group.classes.length, 'class', 'classes') : '',
    ]
        .filter(Boolean)
        .join(' and ');
    const shadowed = group.entries.slice(1);
    return (`Dependency conflict: ${what} (${conflictNames(group)}) provided by ${group.entries.join(', ')}. ` +
        `The first on the classpath wins: ${group.winner}; the copies in ${shadowed.join(', ')} are never loaded. ` +
        'If that is not what you want, exclude one (:exclusions in deps.edn) or depend on one version only.');
}
/**
 * Conflict groups as warnings, at most `max` (GitHub shows 10 warnings per step), then one saying
 * how many more; `locate` places a group's warning (null: the closing one).
 */
function conflictWarnings(groups, locate, max = 5) {
    const warnings = groups.slice(0, max).map((g) => ({ severity: 'warning', message: conflictMessage(g), ...locate(g) }));
    if (groups.length > max) {
        const more = groups.slice(max);
        warnings.push({
            severity: 'warning',
            message: `…and ${more.length} more dependency conflicts (${conflictCount(more)} namespaces and classes): every one is in the log and the job summary.`,
            ...locate(null),
        });
    }
    return warnings;
}

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
;// CONCATENATED MODULE: ./src/core/content/sync.ts

const PROGRESS_INTERVAL_MS = 500;
/** Failed objects named in an error message; the rest are counted. */
const NAMED_FAILURES = 5;
/**
 * Makes the store hold every object: the ones `known` lists are taken as they are; of the others it
 * checks which exist, then uploads the missing ones (or, without checkFirst, puts each at once).
 * Objects are deduplicated by key first (the same jar can appear twice on a classpath).
 */
async function syncObjects(store, objects, opts = {}) {
    const concurrency = opts.concurrency ?? 16;
    if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new Error(`syncObjects: concurrency must be a positive integer, got ${concurrency}`);
    const listed = [];
    const unique = [];
    for (const o of dedupeByKey(objects)) {
        const k = opts.known?.get(o.key);
        (k && k.size === o.size && k.sha256 === o.sha256 ? listed : unique).push(o);
    }
    const report = throttle(opts.onProgress);
    if (opts.checkFirst === false && !opts.dryRun) {
        const { uploaded, reused } = await putAll(store, unique, concurrency, report);
        return { uploaded, reused: [...listed, ...reused] };
    }
    const checkTotal = { total: unique.length, bytesTotal: sumSizes(unique) };
    const checked = { done: 0, bytesDone: 0 };
    const present = await runLimited(unique, concurrency, (o) => store.exists(o.key, o), (o) => {
        checked.done += 1;
        checked.bytesDone += o.size;
        report({ phase: 'check', ...checked, ...checkTotal }, checked.done === unique.length);
    });
    if (present.failures.length > 0) {
        throw failureError(`Could not check whether ${describeCount(present.failures.length, unique.length)} exist in the store`, present.failures, present.attempted);
    }
    if (unique.length === 0)
        report({ phase: 'check', done: 0, bytesDone: 0, ...checkTotal }, true);
    const missing = [];
    const reused = [...listed];
    unique.forEach((o, i) => {
        (present.results[i] ? reused : missing).push(o);
    });
    if (opts.dryRun || missing.length === 0)
        return { uploaded: missing, reused };
    const put = await putAll(store, missing, concurrency, report);
    return { uploaded: put.uploaded, reused: [...reused, ...put.reused] };
}
/** The upload phase: `put` of every object, at most `concurrency` at once; objects the store already had are `reused`. */
async function putAll(store, objects, concurrency, report) {
    if (objects.length === 0)
        return { uploaded: [], reused: [] };
    const uploadTotal = { total: objects.length, bytesTotal: sumSizes(objects) };
    const sent = { done: 0, bytesDone: 0 };
    const uploads = await runLimited(objects, concurrency, (o) => store.put(o), (o) => {
        sent.done += 1;
        sent.bytesDone += o.size;
        report({ phase: 'upload', ...sent, ...uploadTotal }, sent.done === objects.length);
    });
    if (uploads.failures.length > 0) {
        throw failureError(`Could not upload ${describeCount(uploads.failures.length, objects.length)}`, uploads.failures, uploads.attempted);
    }
    const uploaded = [];
    const reused = [];
    objects.forEach((o, i) => {
        (uploads.results[i] === 'present' ? reused : uploaded).push(o);
    });
    return { uploaded, reused };
}
function dedupeByKey(objects) {
    const byKey = new Map();
    for (const o of objects) {
        const seen = byKey.get(o.key);
        if (!seen)
            byKey.set(o.key, o);
        else if (seen.sha256 !== o.sha256 || seen.size !== o.size) {
            // Keys are derived from the content, so this is a bug in whoever built the objects.
            throw new Error(`internal: two objects share the key ${o.key} but differ (sha256 ${seen.sha256} vs ${o.sha256}, ${seen.size} vs ${o.size} bytes)`);
        }
    }
    return [...byKey.values()];
}
/**
 * Runs `task` for every item with at most `concurrency` at once. After the first failure no new
 * task starts; the ones in flight are awaited, so nothing is still writing when the caller throws.
 */
async function runLimited(items, concurrency, task, onDone) {
    const limit = (0,p_limit/* default */.A)(concurrency);
    const results = new Array(items.length);
    const failures = [];
    let attempted = 0;
    await Promise.all(items.map((object, i) => limit(async () => {
        if (failures.length > 0)
            return;
        attempted += 1;
        try {
            results[i] = await task(object);
        }
        catch (error) {
            failures.push({ object, error });
            return;
        }
        onDone(object);
    })));
    return { results, failures, attempted };
}
/** Some objects could not be checked or uploaded; the message names them and what to do. */
class SyncFailedError extends Error {
    name = 'SyncFailedError';
}
function failureError(headline, failures, attempted) {
    const named = failures.slice(0, NAMED_FAILURES).map((f) => `  ${f.object.key}: ${messageOf(f.error)}`);
    const more = failures.length > NAMED_FAILURES ? [`  …and ${failures.length - NAMED_FAILURES} more`] : [];
    return new SyncFailedError([
        `${headline} (stopped after the first failure; ${attempted} attempted):`,
        ...named,
        ...more,
        'Objects already in the store are kept and reused: fix the cause above and run push again.',
    ].join('\n'), { cause: failures[0]?.error });
}
const describeCount = (n, of) => `${n} of ${of} object${of === 1 ? '' : 's'}`;
const messageOf = (err) => (err instanceof Error ? err.message : String(err));
const sumSizes = (objects) => objects.reduce((n, o) => n + o.size, 0);
function throttle(onProgress) {
    let last = 0;
    return (p, final) => {
        if (!onProgress)
            return;
        const now = Date.now();
        if (!final && now - last < PROGRESS_INTERVAL_MS)
            return;
        last = now;
        try {
            onProgress(p);
        }
        catch {
            // Cosmetic: a failing progress printer must not fail the sync.
        }
    };
}

;// CONCATENATED MODULE: ./src/core/content/jar-cache-file.ts
/**
 * The jar facts cache between pushes: one NDJSON file, read at the start of a push and replaced
 * atomically at its end (written to a private temporary name, then renamed: two pushes finishing
 * at once each leave a whole file, the last one wins). Failing to read or write it never fails a
 * push: without it every jar is read and hashed, as before the cache.
 */





/** A larger file is ignored when read and trimmed when written (200 jars' entry names take about 1 MB). */
const JAR_CACHE_MAX_BYTES = 16 * 1024 * 1024;
const FILE_NAME = 'jar-facts.ndjson';
/**
 * Where the cache lives: `$RUNNER_TOOL_CACHE/ion-actions` (kept between jobs on a self-hosted
 * runner), else `$XDG_CACHE_HOME/ion-actions`, else `~/.cache/ion-actions`.
 */
function jarCacheDir(env, home) {
    if (env.RUNNER_TOOL_CACHE)
        return (0,external_node_path_.join)(env.RUNNER_TOOL_CACHE, 'ion-actions');
    if (env.XDG_CACHE_HOME)
        return (0,external_node_path_.join)(env.XDG_CACHE_HOME, 'ion-actions');
    return (0,external_node_path_.join)(home, '.cache', 'ion-actions');
}
/** Adds the file's facts to the cache; a missing, oversized, non-regular or foreign file adds nothing. */
async function loadJarCache(dir, cache = processJarFacts()) {
    try {
        const { data, truncated } = await readRegularFile((0,external_node_path_.join)(dir, FILE_NAME), JAR_CACHE_MAX_BYTES);
        if (!truncated)
            cache.load(data.toString('utf8'));
    }
    catch {
        // No cache yet, or an unreadable one: every jar is read afresh.
    }
}
/** Writes the cache when it learnt something; returns why it could not (or undefined). */
function saveJarCache(dir, cache = processJarFacts(), maxBytes = JAR_CACHE_MAX_BYTES) {
    if (!cache.dirty)
        return undefined;
    const file = (0,external_node_path_.join)(dir, FILE_NAME);
    const temp = `${file}.${process.pid}.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.tmp`;
    try {
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        // flag 'wx': never writes through a file (or link) someone placed at the temporary name.
        (0,external_node_fs_.writeFileSync)(temp, cache.serialize(maxBytes), { flag: 'wx', mode: 0o600 });
        (0,external_node_fs_.renameSync)(temp, file);
        return undefined;
    }
    catch (err) {
        (0,external_node_fs_.rmSync)(temp, { force: true });
        return err instanceof Error ? err.message : String(err);
    }
}

// EXTERNAL MODULE: ./src/core/problems.ts
var core_problems = __webpack_require__(8155);
;// CONCATENATED MODULE: ./src/core/revision/revision-diff.ts
/** `group/artifact version` (maven) or `lib sha [path]` (git) → name and version. */
function libraryOf(entry) {
    const origin = entry.origin;
    if (entry.kind === 'git') {
        // The lib and its SHA never hold spaces; a path inside the checkout after them may.
        const [name = origin, version = ''] = origin.split(' ');
        return { name, version };
    }
    // Maven: the version is the last directory name of the jar's path; anything before it is the name.
    const at = origin.lastIndexOf(' ');
    return at <= 0 ? { name: origin, version: '' } : { name: origin.slice(0, at), version: origin.slice(at + 1) };
}
const isLibrary = (e) => e.kind === 'maven' || e.kind === 'git';
function libraries(manifest) {
    const libs = new Map();
    for (const e of manifest.classpath.filter(isLibrary)) {
        const { name, version } = libraryOf(e);
        const seen = libs.get(name);
        // The same lib twice (a classifier jar, two paths of a git dep): the first sets the version.
        if (seen)
            seen.content += ` ${e.sha256}`;
        else
            libs.set(name, { version, content: e.sha256 });
    }
    return libs;
}
function paths(manifest) {
    const out = new Map();
    for (const e of manifest.classpath.filter((x) => !isLibrary(x)))
        out.set(e.origin, `${out.get(e.origin) ?? ''} ${e.sha256}`);
    return out;
}
const lambdaFields = (l) => JSON.stringify([l.fn, l.description, l.timeoutSecs, l.concurrencyLimit, l.integration]);
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Keys only in `next`, only in `running`, and in both with a different value; each sorted. */
function compare(running, next, differs) {
    const added = [...next.keys()].filter((k) => !running.has(k)).sort(byText);
    const removed = [...running.keys()].filter((k) => !next.has(k)).sort(byText);
    const changed = [...next.keys()].filter((k) => running.has(k) && differs(running.get(k), next.get(k))).sort(byText);
    return { added, removed, changed };
}
function diffManifests(running, next) {
    const runningLibs = libraries(running);
    const nextLibs = libraries(next);
    const libs = compare(runningLibs, nextLibs, (a, b) => a.version !== b.version || a.content !== b.content);
    const projectPaths = compare(paths(running), paths(next), (a, b) => a !== b);
    const lambdas = compare(new Map((running.lambdas ?? []).map((l) => [l.name, lambdaFields(l)])), new Map((next.lambdas ?? []).map((l) => [l.name, lambdaFields(l)])), (a, b) => a !== b);
    const libraryDiff = {
        added: libs.added.map((name) => ({ name, version: nextLibs.get(name).version })),
        removed: libs.removed.map((name) => ({ name, version: runningLibs.get(name).version })),
        changed: libs.changed.map((name) => ({ name, from: runningLibs.get(name).version, to: nextLibs.get(name).version })),
    };
    const counts = [libs, projectPaths, lambdas].reduce((n, d) => n + d.added.length + d.removed.length + d.changed.length, 0);
    return { same: counts === 0, libraries: libraryDiff, projectPaths, lambdas };
}
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
/** Names when there are a few, else a count. */
const named = (names) => (names.length <= 3 ? names.join(', ') : `${names.length} project paths`);
/**
 * The diff in one short line for the log: `2 libraries changed, 1 added; src changed; lambdas +echo`.
 * Holds names from the manifests: pass it through inert() before printing.
 */
function diffOneLine(diff) {
    if (diff.same)
        return 'no change in libraries, project paths or lambdas';
    const parts = [];
    const { libraries: l, projectPaths: p, lambdas: f } = diff;
    const libCounts = [
        [l.changed.length, 'changed'],
        [l.added.length, 'added'],
        [l.removed.length, 'removed'],
    ];
    const libText = libCounts
        .filter(([n]) => n > 0)
        .map(([n, what], i) => (i === 0 ? `${plural(n, 'library', 'libraries')} ${what}` : `${n} ${what}`));
    if (libText.length)
        parts.push(libText.join(', '));
    const pathText = [
        [p.changed, 'changed'],
        [p.added, 'added'],
        [p.removed, 'removed'],
    ]
        .filter(([names]) => names.length > 0)
        .map(([names, what]) => `${named(names)} ${what}`);
    if (pathText.length)
        parts.push(pathText.join(', '));
    const lambdaText = [...f.added.map((n) => `+${n}`), ...f.removed.map((n) => `-${n}`), ...f.changed.map((n) => `~${n}`)];
    if (lambdaText.length) {
        parts.push(lambdaText.length <= 4
            ? `lambdas ${lambdaText.join(' ')}`
            : `lambdas ${f.added.length} added, ${f.removed.length} removed, ${f.changed.length} changed`);
    }
    return parts.join('; ');
}

;// CONCATENATED MODULE: ./src/core/classpath/deps-coordinates.ts




/** deps.edn is read for warning locations only; a larger one is not searched. */
const DEPS_EDN_MAX = 1024 * 1024;
/** Pure: the coordinates in a deps.edn text; none when it is not EDN. */
function depsCoordinates(text, projectDir) {
    const found = { libs: new Map(), localRoots: new Map() };
    let root;
    try {
        root = readEdn(text);
    }
    catch {
        return found; // tools.deps has read deps.edn already and reports its own errors
    }
    if (root.kind !== 'map')
        return found;
    const deps = root.entries.find(({ key }) => key.kind === 'keyword' && key.namespace === null && key.name === 'deps')?.value;
    if (deps?.kind !== 'map')
        return found;
    for (const { key, value } of deps.entries) {
        if (key.kind !== 'symbol')
            continue;
        const lib = key.namespace === null ? `${key.name}/${key.name}` : `${key.namespace}/${key.name}`;
        if (!found.libs.has(lib))
            found.libs.set(lib, key);
        if (value.kind !== 'map')
            continue;
        const local = value.entries.find((e) => e.key.kind === 'keyword' && e.key.namespace === 'local' && e.key.name === 'root')?.value;
        if (local?.kind === 'string')
            found.localRoots.set((0,external_node_path_.resolve)(projectDir, local.value), key);
    }
    return found;
}
/** Reads deps.edn for locations; an unreadable one gives none. */
async function readDepsCoordinates(projectDir) {
    try {
        const { data, truncated } = await readRegularFile((0,external_node_path_.join)(projectDir, 'deps.edn'), DEPS_EDN_MAX);
        if (!truncated)
            return depsCoordinates(data.toString('utf8'), projectDir);
    }
    catch {
        // Locations are a courtesy.
    }
    return { libs: new Map(), localRoots: new Map() };
}
/** Where deps.edn names the dependency an entry comes from, when it is a top-level dep there. */
function coordinateOf(coordinates, entry) {
    if (entry.kind === 'maven' || entry.kind === 'git')
        return coordinates.libs.get(libraryOf(entry).name);
    for (const [dir, at] of coordinates.localRoots) {
        if (entry.path === dir || entry.path.startsWith(`${dir}/`))
            return at;
    }
    return undefined;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/core/classpath/resolve-classpath.ts


const INSTALL_HINT = 'Put the Clojure CLI on PATH before this step, e.g. `uses: DeLaGuardo/setup-clojure@13` with `cli: latest`, ' +
    'or pass a ready classpath in the `classpath` input.';
/** Runs `clojure -Spath [-A<aliases>]` in the project directory and returns the classpath string. */
async function resolveClasspath(projectDir, aliases, run = runCommand) {
    const args = ['-Spath', ...(aliases ? [`-A${aliases}`] : [])];
    const shown = `clojure ${args.join(' ')}`;
    let result;
    try {
        result = await run('clojure', args, projectDir);
    }
    catch (err) {
        if (err.code === 'ENOENT') {
            throw new core_problems/* UserError */.y(`The \`clojure\` command was not found on PATH. ${INSTALL_HINT}`);
        }
        throw err;
    }
    // Debian's `clojure` package installs a plain launcher that treats -Spath as a script file name.
    if (/FileNotFoundException/.test(result.stderr + result.stdout) && /-Spath/.test(result.stderr + result.stdout)) {
        throw new core_problems/* UserError */.y(`The \`clojure\` on PATH is not the Clojure CLI (it ran "-Spath" as a script, as Debian's plain launcher does). ${INSTALL_HINT}`);
    }
    if (result.exitCode !== 0) {
        const detail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
        throw new core_problems/* UserError */.y(`\`${shown}\` failed (exit ${result.exitCode}) in ${projectDir}; fix deps.edn or the aliases:\n${detail}`);
    }
    // tools.deps may print download progress before the classpath; the classpath is the last line.
    const lines = result.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const classpath = lines[lines.length - 1];
    if (!classpath)
        throw new core_problems/* UserError */.y(`\`${shown}\` printed no classpath in ${projectDir}.`);
    return classpath;
}
const runCommand = (command, args, cwd) => new Promise((resolve, reject) => {
    (0,external_node_child_process_.execFile)(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err && typeof err.code === 'string')
            return reject(err); // spawn failure, e.g. ENOENT
        resolve({ exitCode: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
});

// EXTERNAL MODULE: ./node_modules/yazl/index.js
var yazl = __webpack_require__(3044);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/core/content/zip-writer.ts
/*
 * A zip writer that streams: one entry at a time, into a sink, in order. It writes the bytes yazl
 * writes for the options deterministic-zip.ts uses (forceDosTimestamp, no comments, zip64 only when
 * sizes or the entry count demand it): the field values below mirror yazl 3's index.js, and
 * test/unit/deterministic-zip.test.ts checks the output against yazl's on the same trees.
 *
 * Why not yazl itself for directories: its addBuffer starts a deflate stream the moment an entry
 * is added, so a tree of 100,000 small files held 100,000 zlib states at once (16 GB and still
 * growing); its stream entries deflate one at a time but change the format (a data descriptor
 * after every entry), which would change every directory's bytes and so its object key.
 */


const deflateRawAsync = (0,external_node_util_.promisify)(external_node_zlib_.deflateRaw);
const VERSION_NEEDED_UTF8 = 20;
const VERSION_NEEDED_ZIP64 = 45;
const VERSION_MADE_BY = (3 << 8) | 63; // 3 = unix, 63 = spec 6.3 (as yazl)
const FILE_NAME_IS_UTF8 = 1 << 11;
const UNKNOWN_CRC32_AND_SIZES = 1 << 3;
const DEFLATE = 8;
const STORE = 0;
const ZIP64_LIMIT = 0xfffffffe;
const COMPRESSION_LEVEL = 6; // zlib's default, yazl's default
class StreamingZipWriter {
    sink;
    written = [];
    cursor = 0;
    time;
    date;
    constructor(sink, mtime) {
        this.sink = sink;
        const dos = dosDateTime(mtime);
        this.time = dos.time;
        this.date = dos.date;
    }
    /** Bytes written so far. */
    get size() {
        return this.cursor;
    }
    async addDirectory(name, mode) {
        await this.entry(name, mode, STORE, 0, { crc32: 0, compressed: [], uncompressedSize: 0 });
    }
    /**
     * A file whose bytes are in memory, deflated whole and synchronously (the sink must be
     * synchronous too): sizes in the local header, as yazl's addBuffer writes them.
     */
    addBufferSync(name, data, mode) {
        // An output chunk near the input's size: zlib's default 16 KiB chunk per small file was garbage
        // the collector reclaimed too late (100,000 files: 640 MiB of RSS). The bytes do not depend on it.
        const compressed = (0,external_node_zlib_.deflateRawSync)(data, { level: COMPRESSION_LEVEL, chunkSize: Math.min(16 * 1024, Math.max(64, data.length + 64)) });
        const nameBytes = Buffer.from(name, 'utf8');
        if (nameBytes.length > 0xffff)
            throw new Error(`the name ${name} is too long for a zip`);
        const entry = {
            name,
            method: DEFLATE,
            flags: FILE_NAME_IS_UTF8,
            crc32: (0,external_node_zlib_.crc32)(data),
            compressedSize: compressed.length,
            uncompressedSize: data.length,
            offset: this.cursor,
            externalAttributes: (mode << 16) >>> 0,
        };
        this.emitSync(localHeader(nameBytes, entry.flags, DEFLATE, this.time, this.date, entry.crc32, entry.compressedSize, entry.uncompressedSize));
        this.emitSync(compressed);
        this.written.push(entry);
    }
    /** A file whose bytes are in memory: deflated whole, sizes in the local header (yazl's addBuffer). */
    async addBuffer(name, data, mode) {
        const compressed = await deflateRawAsync(data, { level: COMPRESSION_LEVEL });
        await this.entry(name, mode, DEFLATE, 0, { crc32: (0,external_node_zlib_.crc32)(data), compressed: [compressed], uncompressedSize: data.length });
    }
    /**
     * A file streamed through deflate, sizes in a data descriptor after it (yazl's addReadStream).
     * Fails if the stream does not give exactly `size` bytes.
     */
    async addStream(name, stream, size, mode) {
        const nameBytes = Buffer.from(name, 'utf8');
        const offset = this.cursor;
        const flags = FILE_NAME_IS_UTF8 | UNKNOWN_CRC32_AND_SIZES;
        await this.emit(localHeader(nameBytes, flags, DEFLATE, this.time, this.date, 0, 0, 0));
        let crc = 0;
        let uncompressedSize = 0;
        let compressedSize = 0;
        const deflater = (0,external_node_zlib_.createDeflateRaw)({ level: COMPRESSION_LEVEL });
        const feeding = (async () => {
            try {
                for await (const chunk of stream) {
                    const b = chunk;
                    crc = (0,external_node_zlib_.crc32)(b, crc);
                    uncompressedSize += b.length;
                    if (!deflater.write(b))
                        await new Promise((r) => deflater.once('drain', r));
                }
                deflater.end();
            }
            catch (err) {
                deflater.destroy(err);
            }
        })();
        for await (const out of deflater) {
            compressedSize += out.length;
            await this.emit(out);
        }
        await feeding;
        if (uncompressedSize !== size)
            throw new Error(`${name} changed size while it was zipped (${size} bytes, then ${uncompressedSize})`);
        const entry = {
            name,
            method: DEFLATE,
            flags,
            crc32: crc,
            compressedSize,
            uncompressedSize,
            offset,
            externalAttributes: (mode << 16) >>> 0,
        };
        await this.emit(dataDescriptor(entry));
        this.written.push(entry);
    }
    /** Writes the central directory and the end records; the writer is done. */
    async finish() {
        const start = this.cursor;
        for (const e of this.written)
            await this.emit(centralRecord(e, this.time, this.date));
        const cdSize = this.cursor - start;
        await this.emit(endRecords(this.written.length, cdSize, start, this.cursor));
    }
    async entry(name, mode, method, extraFlags, data) {
        const nameBytes = Buffer.from(name, 'utf8');
        if (nameBytes.length > 0xffff)
            throw new Error(`the name ${name} is too long for a zip`);
        const compressedSize = data.compressed.reduce((n, b) => n + b.length, 0);
        const flags = FILE_NAME_IS_UTF8 | extraFlags;
        const entry = {
            name,
            method,
            flags,
            crc32: data.crc32,
            compressedSize,
            uncompressedSize: data.uncompressedSize,
            offset: this.cursor,
            externalAttributes: (mode << 16) >>> 0,
        };
        await this.emit(localHeader(nameBytes, flags, method, this.time, this.date, data.crc32, compressedSize, data.uncompressedSize));
        for (const b of data.compressed)
            await this.emit(b);
        this.written.push(entry);
    }
    emitSync(chunk) {
        if (chunk.length === 0)
            return;
        this.cursor += chunk.length;
        const done = this.sink.write(chunk);
        if (done !== undefined)
            throw new Error('internal: addBufferSync needs a synchronous sink');
    }
    async emit(chunk) {
        if (chunk.length === 0)
            return;
        this.cursor += chunk.length;
        await this.sink.write(chunk);
    }
}
const useZip64 = (e) => e.uncompressedSize > ZIP64_LIMIT || e.compressedSize > ZIP64_LIMIT || e.offset > ZIP64_LIMIT;
function localHeader(name, flags, method, time, date, crc, compressedSize, uncompressedSize) {
    const b = Buffer.alloc(30);
    b.writeUInt32LE(0x04034b50, 0);
    b.writeUInt16LE(VERSION_NEEDED_UTF8, 4);
    b.writeUInt16LE(flags, 6);
    b.writeUInt16LE(method, 8);
    b.writeUInt16LE(time, 10);
    b.writeUInt16LE(date, 12);
    b.writeUInt32LE(crc, 14);
    // Sizes over 4 GiB are only ever written in a data descriptor (streamed entries), as yazl does.
    b.writeUInt32LE(compressedSize, 18);
    b.writeUInt32LE(uncompressedSize, 22);
    b.writeUInt16LE(name.length, 26);
    b.writeUInt16LE(0, 28);
    return Buffer.concat([b, name]);
}
function dataDescriptor(e) {
    if (!useZip64(e)) {
        const b = Buffer.alloc(16);
        b.writeUInt32LE(0x08074b50, 0);
        b.writeUInt32LE(e.crc32, 4);
        b.writeUInt32LE(e.compressedSize, 8);
        b.writeUInt32LE(e.uncompressedSize, 12);
        return b;
    }
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(e.crc32, 4);
    b.writeBigUInt64LE(BigInt(e.compressedSize), 8);
    b.writeBigUInt64LE(BigInt(e.uncompressedSize), 16);
    return b;
}
function centralRecord(e, time, date) {
    const zip64 = useZip64(e);
    let extra = Buffer.alloc(0);
    if (zip64) {
        extra = Buffer.alloc(28);
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(24, 2);
        extra.writeBigUInt64LE(BigInt(e.uncompressedSize), 4);
        extra.writeBigUInt64LE(BigInt(e.compressedSize), 12);
        extra.writeBigUInt64LE(BigInt(e.offset), 20);
    }
    const name = Buffer.from(e.name, 'utf8');
    const b = Buffer.alloc(46);
    b.writeUInt32LE(0x02014b50, 0);
    b.writeUInt16LE(VERSION_MADE_BY, 4);
    b.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED_UTF8, 6);
    b.writeUInt16LE(e.flags, 8);
    b.writeUInt16LE(e.method, 10);
    b.writeUInt16LE(time, 12);
    b.writeUInt16LE(date, 14);
    b.writeUInt32LE(e.crc32, 16);
    b.writeUInt32LE(zip64 ? 0xffffffff : e.compressedSize, 20);
    b.writeUInt32LE(zip64 ? 0xffffffff : e.uncompressedSize, 24);
    b.writeUInt16LE(name.length, 28);
    b.writeUInt16LE(extra.length, 30);
    b.writeUInt16LE(0, 32); // comment length
    b.writeUInt16LE(0, 34); // disk number start
    b.writeUInt16LE(0, 36); // internal attributes
    b.writeUInt32LE(e.externalAttributes, 38);
    b.writeUInt32LE(zip64 ? 0xffffffff : e.offset, 42);
    return Buffer.concat([b, name, extra]);
}
function endRecords(count, cdSize, cdOffset, cursor) {
    const zip64 = count >= 0xffff || cdSize >= 0xffffffff || cdOffset >= 0xffffffff;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(0, 4);
    eocd.writeUInt16LE(0, 6);
    eocd.writeUInt16LE(Math.min(count, 0xffff), 8);
    eocd.writeUInt16LE(Math.min(count, 0xffff), 10);
    eocd.writeUInt32LE(Math.min(cdSize, 0xffffffff), 12);
    eocd.writeUInt32LE(Math.min(cdOffset, 0xffffffff), 16);
    eocd.writeUInt16LE(0, 20); // comment length
    if (!zip64)
        return eocd;
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(BigInt(56 - 12), 4);
    record.writeUInt16LE(VERSION_MADE_BY, 12);
    record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    record.writeUInt32LE(0, 16);
    record.writeUInt32LE(0, 20);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeUInt32LE(0, 4);
    // yazl writes its cursor here: where the zip64 record starts, right after the central directory.
    locator.writeBigUInt64LE(BigInt(cursor), 8);
    locator.writeUInt32LE(1, 16);
    return Buffer.concat([record, locator, eocd]);
}
/** DOS date and time fields from local time, as yazl computes them (its typings omit the helper). */
function dosDateTime(d) {
    const min = new Date(1980, 0, 1);
    const max = new Date(2107, 11, 31, 23, 59, 58);
    const t = d < min ? min : d > max ? max : d;
    const date = (((t.getFullYear() - 1980) & 0x7f) << 9) | ((t.getMonth() + 1) << 5) | t.getDate();
    const time = (t.getHours() << 11) | (t.getMinutes() << 5) | Math.floor(t.getSeconds() / 2);
    return { date, time };
}

;// CONCATENATED MODULE: ./src/core/content/deterministic-zip.ts







/*
 * Zips whose bytes depend only on content, so a classpath directory can be content-addressed:
 * the same tree gives the same SHA-256 on any machine, whatever the mtimes, creation order,
 * umask or time zone.
 *
 * - Entries are sorted by the UTF-8 bytes of their names ('/' separators).
 * - Every entry carries the same DOS timestamp, 1980-01-01 00:00:00. yazl converts dates to DOS
 *   fields in local time, so the date is built in local time too (the fields are then the same in
 *   every zone), and `forceDosTimestamp` drops the Info-ZIP "UT" extra field, which would
 *   otherwise carry a zone-dependent Unix time. No comments, no zip64 unless sizes demand it.
 * - Modes: 0o100644, or 0o100755 when any execute bit is set on the source; directories 0o40755.
 * - Directories get explicit entries (like `jar` makes): class loaders resolve a directory
 *   resource (`io/resource "public"`) in a jar only through such an entry, and empty directories
 *   survive a round trip.
 * - Symbolic links that stay inside the boundary (safe-tree.ts: the repository for the project's
 *   own directories, the directory itself otherwise) are followed and stored as what they point
 *   to: a directory on the classpath is read by the JVM through the links, so the zip holds what
 *   the app would have seen. A link out of the boundary, a dangling link, a link loop, a FIFO, a
 *   socket or a device is an error rather than a silent omission, and nothing is read from it.
 * - Flat memory: entries are read and deflated one at a time, in order, and written to a sink
 *   (a file, hashed on the way), so a tree of 100,000 files needs no more memory than one of 10.
 *   Files up to 64 MiB are deflated whole (sizes in the local header); larger ones are streamed
 *   (sizes in a data descriptor after the data). This is the layout yazl gave, byte for byte
 *   (zip-writer.ts), so directories zipped before this writer keep their keys.
 * - Deflate at zlib's default level. The compressed bytes come from the zlib bundled with Node;
 *   a different zlib could compress differently, which would only cost a re-upload.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o40755;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** Larger files are streamed into the zip instead of being read whole (and get a data descriptor). */
const BUFFER_MAX = 64 * 1024 * 1024;
/** Output is written to the file in pieces of about this size. */
const WRITE_CHUNK = 1024 * 1024;
/**
 * Zips every file under `dir` (recursively, hidden files included) into a deterministic zip, in
 * memory. Names are relative to `dir`. For large trees use zipDirectoryToFile.
 */
async function zipDirectory(dir, options = {}) {
    const chunks = [];
    await writeDirectoryZip(dir, options, { write: (c) => void chunks.push(c) });
    return Buffer.concat(chunks);
}
/**
 * Zips `dir` as zipDirectory does into `file` (created, or truncated), hashing it on the way:
 * memory stays flat whatever the tree. Returns the SHA-256 (hex) and size of what was written.
 */
async function zipDirectoryToFile(dir, file, options = {}) {
    const fd = (0,external_node_fs_.openSync)(file, 'w', 0o600);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let pending = [];
    let pendingBytes = 0;
    let size = 0;
    const flush = () => {
        if (pendingBytes === 0)
            return;
        const data = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        for (let off = 0; off < data.length;)
            off += (0,external_node_fs_.writeSync)(fd, data, off);
    };
    try {
        await writeDirectoryZip(dir, options, {
            write: (c) => {
                hash.update(c);
                size += c.length;
                pending.push(c);
                pendingBytes += c.length;
                if (pendingBytes >= WRITE_CHUNK)
                    flush();
            },
        });
        flush();
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
    return { sha256: hash.digest('hex'), size };
}
async function writeDirectoryZip(dir, options, sink) {
    const show = options.show ?? ((p) => p);
    const fail = (what, cause) => new core_problems/* UserError */.y(`Cannot zip ${show(dir)}: ${what}`, [], cause === undefined ? undefined : { cause });
    let root;
    try {
        root = await (0,promises_.realpath)(dir);
        if (!(await (0,promises_.lstat)(root)).isDirectory())
            throw fail('it is not a directory.');
    }
    catch (err) {
        if (err instanceof core_problems/* UserError */.y)
            throw err;
        throw fail(`${err.message}. Check that the classpath directory exists.`, err);
    }
    const boundary = options.boundary ?? root;
    const { entries, unsafe } = await walkTree(root, boundary);
    if (unsafe.length > 0) {
        const first = unsafe[0];
        const more = unsafe.length > 1 ? ` (and ${unsafe.length - 1} more such path${unsafe.length > 2 ? 's' : ''})` : '';
        throw fail(describeUnsafe(first, show, options.boundaryName ?? 'the directory') + more);
    }
    const sorted = entries
        .map((e) => ({ e, nameBytes: Buffer.from(e.name, 'utf8') }))
        .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes))
        .map(({ e }) => e);
    const zip = new StreamingZipWriter(sink, FIXED_MTIME);
    for (const e of sorted) {
        if (e.kind === 'dir') {
            await zip.addDirectory(e.name, DIR_MODE);
            continue;
        }
        try {
            const content = readFileContent(e.path);
            const mode = content.executable ? EXEC_MODE : FILE_MODE;
            if (content.data !== undefined) {
                zip.addBufferSync(e.name, content.data, mode);
                continue;
            }
            // Streamed from the descriptor that was checked; the size makes the writer fail if the file changes length.
            const stream = (0,external_node_fs_.createReadStream)('', { fd: content.fd, highWaterMark: 1024 * 1024 });
            await zip.addStream(e.name, stream, content.size, mode);
        }
        catch (err) {
            throw fail(`${e.name}: ${err.message}`, err);
        }
    }
    await zip.finish();
}
/**
 * Reads one file by the rule of safe-tree.ts (no final link followed, never blocks on a FIFO, only
 * a regular file). Synchronous, like the walk and the hashing: a thread-pool round trip per small
 * file (open, stat, read, close, deflate) cost more than the work itself on a busy 2-core machine.
 */
function readFileContent(path) {
    const { fd, stats } = openRegularFileSync(path);
    const executable = (stats.mode & 0o111) !== 0;
    if (stats.size > BUFFER_MAX)
        return { fd, size: stats.size, executable };
    try {
        const data = Buffer.allocUnsafe(stats.size);
        let got = 0;
        while (got < data.length) {
            const n = (0,external_node_fs_.readSync)(fd, data, got, data.length - got, got);
            if (n === 0)
                break;
            got += n;
        }
        // A file that grew since fstat is read to its size at that moment, as a snapshot would be.
        return { data: data.subarray(0, got), size: got, executable };
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Zips the given files deterministically (sorted, fixed timestamps and modes); no directory entries. */
async function zipFiles(files) {
    const seen = new Set();
    const sorted = files
        .map((f) => {
        checkEntryName(f.name);
        if (seen.has(f.name))
            throw new core_problems/* UserError */.y(`Cannot zip: the name ${f.name} is given twice.`);
        seen.add(f.name);
        return { ...f, nameBytes: Buffer.from(f.name, 'utf8') };
    })
        .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));
    const zip = new yazl/* ZipFile */.u();
    for (const f of sorted) {
        const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
        zip.addBuffer(data, f.name, {
            mtime: FIXED_MTIME,
            mode: fileMode(f.mode),
            forceDosTimestamp: true,
            compress: true,
            forceZip64Format: false,
        });
    }
    return finish(zip);
}
function checkEntryName(name) {
    const bad = name === '' ||
        name.startsWith('/') ||
        name.endsWith('/') ||
        name.includes('\\') ||
        name.split('/').some((part) => part === '' || part === '.' || part === '..');
    if (bad)
        throw new core_problems/* UserError */.y(`Cannot zip: ${JSON.stringify(name)} is not a relative file path with '/' separators.`);
}
function fileMode(mode) {
    if (mode === undefined)
        return FILE_MODE;
    return (mode & S_IFMT) === 0 ? S_IFREG | (mode & 0o7777) : mode;
}
function finish(zip) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        zip.on('error', reject);
        zip.outputStream.on('error', reject);
        zip.outputStream.on('data', (chunk) => chunks.push(chunk));
        zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
        zip.end({ forceZip64Format: false, comment: '' });
    });
}

;// CONCATENATED MODULE: ./src/core/layout.ts
const objectKey = (prefix, sha256, packaging) => `${joinPrefix(prefix)}objects/${sha256}.${packaging === 'jar' ? 'jar' : 'zip'}`;
const bundleKey = (prefix, appName, rev) => `${joinPrefix(prefix)}${appName}/revisions/${rev}.zip`;
/** bundleKey's inverse: `…/revisions/<rev>.zip` → `<rev>`; any other key is its own name (deployed by something else). */
const revOfBundleKey = (key) => /(?:^|\/)revisions\/([^/]+)\.zip$/.exec(key)?.[1] ?? key;
const joinPrefix = (prefix) => {
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    return trimmed === '' ? '' : `${trimmed}/`;
};

;// CONCATENATED MODULE: ./src/core/content/object-index.ts

/**
 * The object index: one small JSON document per application in the bucket, listing content keys
 * (with size and SHA-256) that a push which COMPLETED found or stored, so the next push asks S3
 * nothing about them (docs/s3-layout.md, "The object index"). Only ever a hint to skip requests:
 * a missing, garbled, oversize or foreign index is ignored (every object is checked or created as
 * if there were none), never half-trusted.
 *
 * What makes it safe: objects are immutable and never deleted by push, and an index only ever
 * lists objects that existed when a push that wrote it completed. Two pushes that rewrite it at
 * once may drop each other's additions (the last write wins); every version still lists only
 * objects that exist, so the loss costs requests, never correctness.
 */
const OBJECT_INDEX_FORMAT = 'ion-actions/object-index';
const OBJECT_INDEX_VERSION = 1;
/** Keys kept: this push's first, then earlier ones, newest push first. ~120 bytes each in JSON. */
const OBJECT_INDEX_MAX_ENTRIES = 10_000;
/** An index larger than this is not read (10,000 entries take about 1.3 MB). */
const OBJECT_INDEX_MAX_BYTES = 4 * 1024 * 1024;
/** Where the index of one application lives (beside its revision bundles, which the workflow role may write). */
const objectIndexKey = (prefix, appName) => bundleKey(prefix, appName, 'object-index').replace(/\.zip$/, '.json');
/** Reads and validates the index; never throws (a read failure is a reason to ignore it). */
async function loadObjectIndex(store, key, prefix, appName) {
    let stored;
    try {
        stored = await store.read(key, OBJECT_INDEX_MAX_BYTES);
    }
    catch (err) {
        return { ignored: `it could not be read (${err instanceof Error ? err.message : String(err)})` };
    }
    if (stored === null)
        return { none: true };
    if ('tooLarge' in stored)
        return { ignored: `it holds ${stored.tooLarge} bytes, over the ${OBJECT_INDEX_MAX_BYTES}-byte limit` };
    const parsed = parseObjectIndex(stored.data, prefix, appName);
    if ('problem' in parsed)
        return { ignored: parsed.problem };
    return { entries: new Map(parsed.objects.map((o) => [o.key, o])) };
}
/**
 * The index document's objects, or what is wrong with it. Every entry must be a content key under
 * this prefix whose name carries its own SHA-256; one bad entry rejects the whole document (an
 * index that lies about one key is not trusted about the others).
 */
function parseObjectIndex(data, prefix, appName) {
    let doc;
    try {
        doc = JSON.parse(data.toString('utf8'));
    }
    catch {
        return { problem: 'it is not JSON' };
    }
    if (!isRecord(doc) || doc.format !== OBJECT_INDEX_FORMAT)
        return { problem: `it is not an ${OBJECT_INDEX_FORMAT} document` };
    if (doc.version !== OBJECT_INDEX_VERSION)
        return { problem: `its version is not ${OBJECT_INDEX_VERSION}` };
    if (doc.appName !== appName)
        return { problem: 'it belongs to another application' };
    if (!Array.isArray(doc.objects))
        return { problem: 'it has no objects list' };
    if (doc.objects.length > OBJECT_INDEX_MAX_ENTRIES)
        return { problem: `it lists more than ${OBJECT_INDEX_MAX_ENTRIES} objects` };
    const pattern = contentKeyPattern(prefix);
    const objects = [];
    for (const [i, o] of doc.objects.entries()) {
        if (!isRecord(o) || typeof o.key !== 'string' || typeof o.sha256 !== 'string' || !isSize(o.size))
            return { problem: `object ${i} is not {key, sha256, size}` };
        const m = pattern.exec(o.key);
        if (!m)
            return { problem: `object ${i} is not a content key under this prefix` };
        if (m[1] !== o.sha256)
            return { problem: `object ${i}'s SHA-256 is not the one its key names` };
        objects.push({ key: o.key, sha256: o.sha256, size: o.size });
    }
    return { objects };
}
/**
 * The next index: what this push verified first, then the previous index's objects (newest push
 * first) up to `max`. Null when that is what the previous index already says (nothing to write).
 */
function mergeObjectIndex(verified, previous, max = OBJECT_INDEX_MAX_ENTRIES) {
    const merged = new Map();
    for (const o of verified)
        if (merged.size < max)
            merged.set(o.key, { key: o.key, sha256: o.sha256, size: o.size });
    if (previous && [...merged.keys()].every((k) => previous.has(k)))
        return null;
    for (const o of previous?.values() ?? [])
        if (merged.size < max && !merged.has(o.key))
            merged.set(o.key, o);
    return [...merged.values()];
}
function serializeObjectIndex(appName, objects) {
    const lines = objects.map((o) => JSON.stringify({ key: o.key, sha256: o.sha256, size: o.size }));
    // One object per line: readable with `aws s3 cp … -`, and diffable.
    return Buffer.from(`{"format":${JSON.stringify(OBJECT_INDEX_FORMAT)},"version":${OBJECT_INDEX_VERSION},"appName":${JSON.stringify(appName)},"objects":[\n${lines.join(',\n')}\n]}\n`);
}
/** `<prefix>/objects/<sha256>.jar|zip`, the SHA-256 captured (objectKey() is the one spelling of the layout). */
function contentKeyPattern(prefix) {
    const dir = objectKey(prefix, '', 'jar').slice(0, -'.jar'.length);
    return new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([0-9a-f]{64})\\.(?:jar|zip)$`);
}
const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSize = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/core/bundle/instance-hooks.ts




/**
 * The instance hooks live as plain files in infra/hooks/ (shell scripts are easier to read, lint and
 * test as files). The runner checks out the whole action repository, so they are found by walking up
 * from this module, whether it runs from src/ (tests) or from the dist/ bundle.
 */
function findHooksDir(from = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url))) {
    for (let dir = from;; dir = (0,external_node_path_.dirname)(dir)) {
        const candidate = (0,external_node_path_.join)(dir, 'infra', 'hooks');
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(candidate, 'appspec.yml')))
            return candidate;
        if ((0,external_node_path_.dirname)(dir) === dir)
            throw new Error(`infra/hooks/appspec.yml not found above ${from}: the action's files are incomplete; reinstall the action`);
    }
}
/**
 * appspec.yml at the bundle root; every other file (recursively, e.g. hooks/lib/) under hooks/.
 * Scripts keep their execute bit. Sorted for determinism; `__pycache__` and hidden files are left out.
 */
async function loadInstanceHooks(hooksDir = findHooksDir()) {
    const files = [];
    const walk = async (rel) => {
        for (const name of (await (0,promises_.readdir)((0,external_node_path_.join)(hooksDir, rel))).sort()) {
            // Byproducts of running the hooks in tests (python's __pycache__, editor files) are not hooks,
            // and would make the same revision's bundle differ from machine to machine.
            if (name === '__pycache__' || name.startsWith('.'))
                continue;
            const relPath = rel ? `${rel}/${name}` : name;
            const st = await (0,promises_.stat)((0,external_node_path_.join)(hooksDir, relPath));
            if (st.isDirectory())
                await walk(relPath);
            else if (relPath === 'appspec.yml')
                files.push({ name: relPath, data: await (0,promises_.readFile)((0,external_node_path_.join)(hooksDir, relPath)) });
            else
                files.push({ name: `hooks/${relPath}`, data: await (0,promises_.readFile)((0,external_node_path_.join)(hooksDir, relPath)), mode: st.mode & 0o111 ? 0o755 : 0o644 });
        }
    };
    await walk('');
    return files;
}

// EXTERNAL MODULE: ./src/core/git/read-git-state.ts
var read_git_state = __webpack_require__(5603);
;// CONCATENATED MODULE: ./src/core/manifest/build-manifest.ts

/** Pure: no timestamps or machine-specific paths, so the same code gives the same manifest bytes. */
function buildManifest(input) {
    return {
        format: MANIFEST_FORMAT,
        version: MANIFEST_VERSION,
        appName: input.appName,
        rev: input.rev,
        bucket: input.bucket,
        commit: input.commit,
        reproducible: input.reproducible,
        aliases: aliasNames(input.aliases),
        classpath: input.classpath,
        lambdas: input.ionConfig.lambdas,
        ionConfig: input.ionConfig.json,
    };
}
const serializeManifest = (manifest) => `${JSON.stringify(manifest, null, 2)}\n`;
/** ":prod:my/ion" → ["prod", "my/ion"]. */
const aliasNames = (aliases) => aliases.split(':').filter((a) => a !== '');

;// CONCATENATED MODULE: ./src/core/revision/decide-revision.ts

/** Letters, digits, '.', '_' and '-': safe in S3 keys, CodeDeploy descriptions and Step Functions names. */
const UNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
function unameProblem(uname) {
    // deploy reads `rev: previous` as "the revision the group ran before"; a revision by that name could never be deployed.
    if (uname === 'previous')
        return 'uname "previous" is reserved (deploy\'s `rev: previous` means the revision a group ran before): choose another name';
    if (UNAME.test(uname))
        return null;
    return `uname "${uname}" is not a valid revision name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`;
}
/** Why this code cannot be reproduced from its commit alone (empty when it can). */
function unreproducibleReasons(git, entries) {
    const reasons = [];
    if (git === null)
        reasons.push({ message: 'the project is not in a git repository' });
    else if (git.commit === null)
        reasons.push({ message: 'the git repository has no commit yet' });
    for (const line of git?.dirty ?? []) {
        // porcelain v1: two status letters, a space, the path (renames: "old -> new").
        const path = line.slice(3).split(' -> ').pop().replace(/^"|"$/g, '');
        reasons.push({ message: `uncommitted change (${line.slice(0, 2).trim()}): ${path}`, file: (0,external_node_path_.join)(git.root, path) });
    }
    for (const entry of entries) {
        if (entry.kind === 'local')
            reasons.push({ message: `local dependency outside the repository: ${entry.path}` });
    }
    return reasons;
}
/**
 * The revision is the commit SHA only when the code is reproducible from it; otherwise the user
 * must name it (uname), knowingly.
 */
function decideRevision(uname, git, entries) {
    const reasons = unreproducibleReasons(git, entries);
    const commit = git?.commit ?? null;
    if (uname !== '')
        return { ok: true, rev: uname, reproducible: reasons.length === 0, commit };
    if (reasons.length > 0 || commit === null)
        return { ok: false, reasons };
    return { ok: true, rev: commit, reproducible: true, commit };
}

;// CONCATENATED MODULE: ./src/core/revision/revision-identity.ts
/**
 * A revision name means one thing forever: once a bundle is stored under it, push never replaces
 * it with other content. These pure functions say how a stored revision differs from the one being
 * pushed, from the two manifests, so the refusal can say what changed and what to do.
 */
/** Shows aliases as the input takes them: `:prod:ion`, or `none`. */
const showAliases = (aliases) => (aliases.length ? aliases.map((a) => `:${a}`).join('') : 'none');
/** Classpath entries shown by origin in a difference; the rest are counted. */
const ORIGINS_SHOWN = 3;
/**
 * What makes the stored revision's manifest differ from ours, one phrase each; empty when they
 * describe the same revision (then only the bundle's other files, the instance hooks, differ).
 * A field the stored manifest lacks (written by an older push) is not compared.
 */
function revisionDifferences(stored, ours) {
    const out = [];
    if (stored.format !== ours.format || stored.version !== ours.version)
        out.push(`its manifest is ${stored.format} version ${stored.version}`);
    if (stored.aliases !== undefined && ours.aliases !== undefined && !sameJson(stored.aliases, ours.aliases)) {
        out.push(`pushed earlier with aliases ${showAliases(stored.aliases)}, now with ${showAliases(ours.aliases)}`);
    }
    if (stored.commit !== ours.commit)
        out.push(`pushed earlier from commit ${stored.commit ?? 'none'}, now from ${ours.commit ?? 'none'}`);
    if (stored.appName !== ours.appName || stored.bucket !== ours.bucket)
        out.push('its application or bucket differs');
    const classpath = classpathDifference(stored.classpath ?? [], ours.classpath);
    if (classpath)
        out.push(classpath);
    if (!sameJson(stored.ionConfig, ours.ionConfig) || !sameJson(stored.lambdas, ours.lambdas))
        out.push('datomic/ion-config.edn differs');
    if (out.length === 0 && stored.reproducible !== ours.reproducible)
        out.push(`pushed earlier as ${stored.reproducible ? 'reproducible' : 'unreproducible'}`);
    return out;
}
function classpathDifference(stored, ours) {
    const storedKeys = new Set(stored.map((e) => e.key));
    const oursKeys = new Set(ours.map((e) => e.key));
    const added = ours.filter((e) => !storedKeys.has(e.key));
    const removed = stored.filter((e) => !oursKeys.has(e.key));
    if (added.length === 0 && removed.length === 0) {
        return sameJson(stored.map((e) => e.key), ours.map((e) => e.key))
            ? null
            : 'the classpath order differs';
    }
    const parts = [];
    if (added.length)
        parts.push(`${count(added.length, 'classpath entry', 'classpath entries')} new or changed (${origins(added)})`);
    if (removed.length)
        parts.push(`${count(removed.length, 'entry', 'entries')} of the stored one gone (${origins(removed)})`);
    return parts.join(', ');
}
const origins = (entries) => entries
    .slice(0, ORIGINS_SHOWN)
    .map((e) => e.origin)
    .join(', ') + (entries.length > ORIGINS_SHOWN ? `, …${entries.length - ORIGINS_SHOWN} more` : '');
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
/** Canonical comparison of plain JSON data (key order ignored). */
function sameJson(a, b) {
    return canonical(a) === canonical(b);
}
function canonical(v) {
    if (Array.isArray(v))
        return `[${v.map(canonical).join(',')}]`;
    if (v && typeof v === 'object') {
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
            .join(',')}}`;
    }
    return JSON.stringify(v) ?? 'undefined';
}
/**
 * The refusal: which revision, where, what differs, and what to do. `differences` empty with
 * `unreadable` set means the stored object is not a bundle push can read.
 */
function revisionConflictMessage(args) {
    const what = args.unreadable
        ? `an object push cannot read as a revision bundle (${args.unreadable})`
        : `other content (${args.differences.join('; ')})`;
    return (`Revision ${args.rev} already exists at ${args.location} with ${what}. A revision name means one thing forever, so push does not replace it: ` +
        'push this code under a new name with `uname` (e.g. the revision name and a suffix), or push it the way the stored revision was pushed.');
}

;// CONCATENATED MODULE: ./src/core/classpath/classify-entry.ts

const isInside = (parent, child) => {
    const rel = (0,external_node_path_.relative)(parent, child);
    return rel !== '' && !rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel);
};
/**
 * Classifies one classpath entry. Order matters: a Maven repository or gitlibs folder inside the
 * repository (as some CI caches are) still counts as Maven/git, because those are reproducible.
 */
function classifyEntry(raw, isDirectory, ctx) {
    const path = (0,external_node_path_.resolve)(ctx.projectDir, raw);
    const packaging = isDirectory ? 'dir' : 'jar';
    if (!isDirectory && isInside(ctx.mavenRepo, path)) {
        return { raw, path, kind: 'maven', packaging, origin: mavenOrigin((0,external_node_path_.relative)(ctx.mavenRepo, path)) };
    }
    if (isInside(ctx.gitlibs, path)) {
        return { raw, path, kind: 'git', packaging, origin: gitOrigin((0,external_node_path_.relative)(ctx.gitlibs, path)) };
    }
    if (ctx.repoRoot !== null && (isInside(ctx.repoRoot, path) || path === ctx.repoRoot)) {
        return { raw, path, kind: 'project', packaging, origin: (0,external_node_path_.relative)(ctx.repoRoot, path).split(external_node_path_.sep).join('/') || '.' };
    }
    return { raw, path, kind: 'local', packaging, origin: path };
}
/** `org/clojure/clojure/1.11.1/clojure-1.11.1.jar` → `org.clojure/clojure 1.11.1`. */
function mavenOrigin(rel) {
    const parts = rel.split(external_node_path_.sep);
    if (parts.length < 4)
        return rel;
    const version = parts[parts.length - 2];
    const artifact = parts[parts.length - 3];
    const group = parts.slice(0, parts.length - 3).join('.');
    return `${group}/${artifact} ${version}`;
}
/** `libs/io.github.x/lib/<sha>/src` → `io.github.x/lib <sha> src`. */
function gitOrigin(rel) {
    const parts = rel.split(external_node_path_.sep);
    if (parts[0] === 'libs' && parts.length >= 4) {
        const [, ns, name, sha, ...rest] = parts;
        return `${ns}/${name} ${sha}${rest.length ? ` ${rest.join('/')}` : ''}`;
    }
    return rel.split(external_node_path_.sep).join('/');
}
/**
 * Where an entry's symbolic links may lead (before resolving links): the repository for the
 * project's own entries, the Maven repository for Maven jars, the checkout for a git dep, and the
 * entry itself for anything else (a directory or jar outside the repository).
 */
function entryBoundary(entry, ctx) {
    switch (entry.kind) {
        case 'project':
            return { path: ctx.repoRoot ?? entry.path, name: 'the repository' };
        case 'maven':
            return { path: ctx.mavenRepo, name: 'the local Maven repository' };
        case 'git': {
            // libs/<lib ns>/<lib name>/<sha>: the checkout this entry belongs to.
            const parts = (0,external_node_path_.relative)(ctx.gitlibs, entry.path).split(external_node_path_.sep);
            const checkout = parts[0] === 'libs' && parts.length >= 4 ? (0,external_node_path_.join)(ctx.gitlibs, ...parts.slice(0, 4)) : entry.path;
            return { path: checkout, name: `the git dependency's checkout` };
        }
        case 'local':
            return { path: entry.path, name: entry.packaging === 'dir' ? 'that directory' : 'that jar' };
    }
}

;// CONCATENATED MODULE: ./src/core/push/classpath-entries.ts






/** deps.edn is read for warning locations only; a larger one is not searched. */
const classpath_entries_DEPS_EDN_MAX = 1024 * 1024;
/**
 * The classpath string as classified entries, in classpath order. Missing entries become warnings
 * (located on deps.edn's `:paths` string where it names them). Every entry and every path in a
 * classpath directory is checked by the rule of safe-tree.ts before anything reads it: a link
 * that leaves the project, anything under /proc, /sys or /dev, a FIFO, socket or device is a
 * UserError listing them all, with paths relative to the repository.
 */
async function classifyClasspath(classpath, ctx, warnings) {
    const raws = [
        ...new Set(classpath
            .split(external_node_path_.delimiter)
            .map((s) => s.trim())
            .filter((s) => s !== '')),
    ];
    const show = showRelativeTo(ctx.repoRoot ?? ctx.projectDir);
    const located = await depsEdnLocator(ctx.projectDir);
    const entries = [];
    const errors = [];
    const realBoundaries = new Map(); // 200 jars share one Maven repository
    const realBoundary = (p) => realBoundaries.get(p) ??
        realBoundaries
            .set(p, (0,promises_.realpath)(p).catch(() => p))
            .get(p);
    for (const raw of raws) {
        const path = (0,external_node_path_.resolve)(ctx.projectDir, raw);
        const st = await (0,promises_.stat)(path).catch(() => null);
        // The JVM ignores classpath entries that do not exist (e.g. an empty `resources`), so do we.
        if (!st) {
            warnings.push({
                severity: 'warning',
                message: `classpath entry ${(0,external_node_path_.isAbsolute)(raw) ? show(raw) : raw} does not exist; skipped`,
                ...located(raw),
            });
            continue;
        }
        const entry = classifyEntry(raw, st.isDirectory(), ctx);
        const bound = entryBoundary(entry, ctx);
        const boundary = { path: await realBoundary(bound.path), name: bound.name };
        const unsafe = await checkEntry(entry, boundary.path);
        for (const u of unsafe.self)
            errors.push({ severity: 'error', message: `classpath entry ${describeUnsafe(u, show, boundary.name)}`, ...located(raw) });
        for (const u of unsafe.tree) {
            const inRepo = ctx.repoRoot !== null && isWithin(ctx.repoRoot, u.path);
            errors.push({ severity: 'error', message: describeUnsafe(u, show, boundary.name), ...(inRepo ? { file: u.path } : {}) });
        }
        entries.push({ ...entry, boundary });
    }
    if (errors.length > 0) {
        throw new core_problems/* UserError */.y(`push refused ${errors.length} path${errors.length === 1 ? '' : 's'} on the classpath (listed above); nothing was read from them and nothing was uploaded.`, errors);
    }
    return entries;
}
/** What is unsafe about an entry: the entry itself, or (for a directory) any path under it. */
async function checkEntry(entry, boundary) {
    const r = await resolveWithin(entry.path, boundary);
    if (r.unsafe)
        return { self: [{ ...r.unsafe, name: undefined }], tree: [] };
    if ('missing' in r)
        return { self: [], tree: [] };
    if (entry.packaging === 'jar' && !r.stats.isFile())
        return { self: [{ path: entry.path, reason: 'special', what: 'not a regular file' }], tree: [] };
    if (entry.packaging === 'jar')
        return { self: [], tree: [] };
    // Dangling links, loops and odd names are left to packing, which names them in its own words.
    const { unsafe } = await walkTree(r.real, boundary);
    const tree = unsafe
        .filter((u) => u.reason === 'outside' || u.reason === 'system' || u.reason === 'special')
        .map((u) => ({ ...u, name: undefined }));
    return { self: [], tree };
}
const showRelativeTo = (base) => (absolute) => isWithin(base, absolute) ? (0,external_node_path_.relative)(base, absolute) || '.' : absolute;
/**
 * Finds where deps.edn names a classpath entry: the string in a `:paths` or `:extra-paths` vector
 * (or a `:local/root`) equal to it. Unreadable or unparsable deps.edn: no locations.
 */
async function depsEdnLocator(projectDir) {
    const file = (0,external_node_path_.join)(projectDir, 'deps.edn');
    const positions = new Map();
    try {
        const { data, truncated } = await readRegularFile(file, classpath_entries_DEPS_EDN_MAX);
        if (!truncated)
            collectPaths(readEdn(data.toString('utf8')), positions);
    }
    catch {
        // Locations are a courtesy: tools.deps has read deps.edn already and reports its own errors.
    }
    return (raw) => {
        const at = positions.get(raw) ?? positions.get((0,external_node_path_.resolve)(projectDir, raw));
        return at ? { file, line: at.line, column: at.column } : {};
    };
}
function collectPaths(node, out) {
    if (node.kind === 'map') {
        for (const { key, value } of node.entries) {
            const isPaths = key.kind === 'keyword' && key.namespace === null && (key.name === 'paths' || key.name === 'extra-paths');
            if (isPaths && value.kind === 'vector') {
                for (const item of value.items)
                    if (item.kind === 'string' && !out.has(item.value))
                        out.set(item.value, item);
            }
            collectPaths(value, out);
        }
    }
    else if (node.kind === 'vector' || node.kind === 'list' || node.kind === 'set') {
        for (const item of node.items)
            collectPaths(item, out);
    }
    else if (node.kind === 'tagged') {
        collectPaths(node.value, out);
    }
}

;// CONCATENATED MODULE: ./src/core/format-bytes.ts
/** 1536 → "1.5 KiB": binary units, one decimal. */
function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(1)} ${units[i]}`;
}

;// CONCATENATED MODULE: ./src/core/push/pack-entries.ts








/**
 * Jars are hashed as they are; directories become deterministic zips in a temporary directory,
 * hashed as they are written, so no directory is ever held in memory (the objects' bodies are
 * those files). The two run as separate phases so the log can report the hashing rate on its own
 * (bench/push.ts reads it).
 *
 * The zips stay until disposePacked() or, at the latest, until the process exits: they are the
 * bodies of the uploads that follow.
 */
async function packEntries(entries, prefix, log, options = {}) {
    const limit = (0,p_limit/* default */.A)(4);
    let scratch;
    const scratchDir = () => (scratch ??= makeScratchDir(options.tempDir ?? (0,external_node_os_.tmpdir)()));
    let zips = 0;
    const packOne = async (e) => {
        let content;
        let body;
        if (e.packaging === 'jar') {
            // A jar hashed by an earlier push (same identity: see jar-cache.ts) is not read again.
            content = sha256JarSync(e.path);
            body = { path: e.path };
        }
        else {
            const file = (0,external_node_path_.join)(scratchDir(), `${zips++}.zip`);
            content = await zipDirectoryToFile(e.path, file, {
                boundary: e.boundary?.path,
                boundaryName: e.boundary?.name,
                show: () => e.origin,
            });
            body = { path: file };
        }
        const key = objectKey(prefix, content.sha256, e.packaging);
        return {
            entry: { key, sha256: content.sha256, size: content.size, kind: e.kind, packaging: e.packaging, origin: e.origin },
            object: { key, sha256: content.sha256, size: content.size, body, source: e.packaging === 'dir' ? `the zip of ${e.origin}` : e.path },
            path: e.path,
        };
    };
    const phase = async (kind) => {
        const started = Date.now();
        const done = await Promise.all(entries.filter((e) => e.packaging === kind).map((e) => limit(() => packOne(e))));
        const bytes = done.reduce((n, p) => n + p.entry.size, 0);
        const what = kind === 'jar' ? `Hashed ${done.length} jars` : `Zipped and hashed ${done.length} directories`;
        log(`${what} (${formatBytes(bytes)}) in ${Date.now() - started} ms`);
        return done;
    };
    try {
        const byPath = new Map([...(await phase('dir')), ...(await phase('jar'))].map((p) => [p.path, p]));
        const packed = entries.map((e) => byPath.get(e.path));
        if (scratch)
            scratchDirs.set(packed, scratch);
        return packed;
    }
    catch (err) {
        if (scratch)
            removeScratch(scratch);
        throw err;
    }
}
/** Removes the temporary zips of packEntries' result (after the upload, whether it succeeded or not). */
function disposePacked(packed) {
    const dir = scratchDirs.get(packed);
    if (dir)
        removeScratch(dir);
}
const scratchDirs = new WeakMap();
const liveScratch = new Set();
let exitHook = false;
function makeScratchDir(parent) {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(parent, 'ion-push-'));
    if (!exitHook)
        process.once('exit', removeAllScratch);
    exitHook = true;
    liveScratch.add(dir);
    return dir;
}
function removeScratch(dir) {
    (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    liveScratch.delete(dir);
}
// A safety net for callers that never dispose (or fail in between): nothing is left in the temp directory.
function removeAllScratch() {
    for (const dir of liveScratch)
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    liveScratch.clear();
}

;// CONCATENATED MODULE: ./src/core/ion-config/jar-entries.ts



// Central directories are read in chunks of this size (about 12,000 entries).
const CHUNK = 1024 * 1024;
/**
 * Serves yauzl's small reads from one larger chunk, from a FileHandle its caller opens and closes.
 * yauzl reads each central directory record with its own read call: ~17,000 records in 200 jars
 * took 1.3 s that way, a few reads per jar instead.
 */
class ChunkedReader extends yauzl.RandomAccessReader {
    handle;
    size;
    chunkSize;
    chunk;
    constructor(handle, size, chunkSize = CHUNK) {
        super();
        this.handle = handle;
        this.size = size;
        this.chunkSize = chunkSize;
    }
    read(buffer, offset, length, position, callback) {
        this.slice(position, length).then((data) => callback(null, data.copy(buffer, offset)), (e) => callback(e));
    }
    async slice(position, length) {
        let c = this.chunk;
        if (!c || position < c.start || position + length > c.start + c.data.length) {
            const data = Buffer.alloc(Math.max(0, Math.min(Math.max(length, this.chunkSize), this.size - position)));
            const { bytesRead } = await this.handle.read(data, 0, data.length, position);
            c = this.chunk = { start: position, data: data.subarray(0, bytesRead) };
        }
        return c.data.subarray(position - c.start, position - c.start + length);
    }
    // Entry contents (ns-declarations.ts inflates a few source files).
    _readStreamForRange(start, end) {
        return this.handle.createReadStream({ start, end: end - 1, autoClose: false });
    }
}
/** Reads of the same identity in flight, so two readers at once share one read. */
const inFlight = new Map();
/**
 * Entry names (directories end in '/'); throws when the file is missing, not a regular file (a
 * FIFO or /dev/zero is refused at once, never read) or not a zip.
 *
 * Each jar is read once per identity (path, device, inode, size, mtime, ctime from the fstat of
 * the opened file; see jar-cache.ts): the namespace index and the dependency-conflicts listing
 * both ask, and a cache loaded from a previous push may already know. A changed file has a new
 * identity and is read again.
 */
async function jarEntryNames(path, options = {}) {
    const facts = options.facts ?? processJarFacts();
    const { handle, stats } = await openRegularFile(path, { followLink: true });
    const id = identityOf(path, stats);
    let names;
    try {
        names = facts.get(id)?.entries;
        if (names === undefined) {
            const key = JSON.stringify(id);
            let reading = inFlight.get(key);
            if (!reading) {
                reading = (options.read ?? readCentralDirectory)(handle, stats.size);
                inFlight.set(key, reading);
                reading.then((read) => facts.remember(id, { entries: read }), () => { });
                void reading.finally(() => inFlight.delete(key)).catch(() => { });
            }
            names = await reading;
        }
    }
    finally {
        await handle.close();
    }
    // A copy: callers own their list, the cache keeps its own.
    return [...names];
}
async function readCentralDirectory(handle, size) {
    // decodeStrings: false also skips yauzl's file name checks, which reject a whole jar for one odd entry.
    const zip = await yauzl.fromRandomAccessReaderPromise(new ChunkedReader(handle, size), size, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
    });
    try {
        return await new Promise((resolve, reject) => {
            const names = [];
            zip.on('entry', (entry) => {
                names.push(entry.fileName.toString('utf8'));
                zip.readEntry();
            });
            zip.on('end', () => resolve(names));
            zip.on('error', reject);
            zip.readEntry();
        });
    }
    finally {
        zip.close();
    }
}

;// CONCATENATED MODULE: ./src/core/ion-config/classpath-resources.ts
/** Finding things on a classpath without a JVM: the ion-config resource, and every Clojure namespace. */







const ION_CONFIG_RESOURCE = 'datomic/ion-config.edn';
/** ion-config.edn is small; a larger file is refused rather than read whole. */
const ION_CONFIG_MAX_BYTES = 1024 * 1024;
/**
 * First directory root (in classpath order) containing datomic/ion-config.edn. The file is read
 * by the rule of safe-tree.ts: a link out of the root's boundary, a FIFO or a device is a
 * UserError naming it, and nothing is read from it (its bytes could end up in an error message).
 */
async function findIonConfig(roots) {
    for (const root of roots) {
        if (!root.isDirectory)
            continue;
        const file = (0,external_node_path_.join)(root.path, ION_CONFIG_RESOURCE);
        const realRoot = await (0,promises_.realpath)(root.path).catch(() => undefined);
        if (realRoot === undefined)
            continue;
        const r = await resolveWithin(file, root.boundary ?? realRoot);
        if (r.unsafe && r.unsafe.reason !== 'dangling') {
            const message = `Cannot read ${describeUnsafe(r.unsafe, (p) => p, root.boundary ? 'the directory its links may lead into' : 'its classpath directory')}`;
            throw new core_problems/* UserError */.y(message, [{ severity: 'error', message, file }]);
        }
        if ('missing' in r)
            continue;
        if (r.stats.isDirectory())
            continue;
        const { data, truncated } = await readRegularFile(r.real, ION_CONFIG_MAX_BYTES);
        if (truncated) {
            const message = `${file} is larger than 1 MiB, which no ion-config needs: check that it is the right file.`;
            throw new core_problems/* UserError */.y(message, [{ severity: 'error', message, file }]);
        }
        return { file, text: data.toString('utf8') };
    }
    return undefined;
}
// Each jar read is a few reads of the zip's tail; the bound keeps open files few.
const JAR_CONCURRENCY = 32;
/**
 * Every Clojure namespace available: from .clj/.cljc files (and AOT `__init.class` files) under
 * directories, recursively, and in jars' central directories, un-munged (`_` → `-`, `/` → `.`).
 * A missing or corrupt jar is skipped (reported to `onSkipped`), not fatal.
 */
async function indexNamespaces(roots, options = {}) {
    const limit = (0,p_limit/* default */.A)(JAR_CONCURRENCY);
    const lists = await Promise.all(roots.map((root) => root.isDirectory
        ? directoryResources(root.path, root.boundary)
        : limit(() => jarEntryNames(root.path).catch((e) => {
            // A missing jar is as absent as on the JVM; a corrupt one should not stop the push.
            options.onSkipped?.(root.path, e instanceof Error ? e.message : String(e));
            return [];
        }))));
    options.onListings?.(lists);
    const namespaces = new Set();
    for (const list of lists) {
        for (const resource of list) {
            const ns = namespaceOfResource(resource);
            if (ns !== undefined)
                namespaces.add(ns);
        }
    }
    return namespaces;
}
/**
 * Resource paths ('a/b.clj') of the regular files under `dir`, walked by the rule of safe-tree.ts
 * (what it refuses is skipped here: classifying the classpath reports it). A missing directory has
 * none, as on the JVM.
 */
async function directoryResources(dir, boundary) {
    const real = await (0,promises_.realpath)(dir).catch(() => undefined);
    if (real === undefined)
        return [];
    const walked = await walkTree(real, boundary ?? real).catch(() => undefined);
    return (walked?.entries ?? []).filter((e) => e.kind === 'file').map((e) => e.name);
}

;// CONCATENATED MODULE: ./src/core/ion-config/ns-form.ts
/**
 * The namespace a Clojure source file declares with its `ns` form, read from the file's text.
 *
 * Clojure source is not EDN (quotes, regexes, `#(…)`, reader conditionals), so this is a small
 * scanner that skips whole forms without understanding them, rather than the EDN reader. It looks
 * at top-level forms in order: comments, `#_` discards, and other forms (`(set! …)`) are passed
 * over; the first `(ns name …)` or `(clojure.core/ns name …)` gives the name, after any metadata
 * (`^:no-doc`, `^{:doc "x"}`, `#^{…}`). In .cljc files a top-level reader conditional `#?(…)` is
 * read with the branch the JVM takes (`:clj`, else `:default`). Whenever the text cannot be read
 * with confidence (cut off, unbalanced, an `in-ns`, an odd name) the answer is null: no guess.
 */
/** Top-level forms looked at before giving up: the ns form comes first in practice. */
const MAX_TOP_LEVEL_FORMS = 64;
/** Bounded so that hostile nesting ends the scan instead of the stack. */
const ns_form_MAX_DEPTH = 512;
class Unreadable extends Error {
}
const ns_form_WHITESPACE = /[\s,]/;
// Clojure's terminating macro characters: a symbol ends before any of these (or whitespace).
const TERMINATING = new Set(['"', ';', '@', '^', '`', '~', '(', ')', '[', ']', '{', '}', '\\']);
const CLOSER = { '(': ')', '[': ']', '{': '}' };
// A namespace name: a symbol without '/', not starting with a digit or reader character.
const NAMESPACE = /^[^\s\d:#'"/\\^`~@()[\]{};,][^\s/\\^`~@()[\]{};,"]*$/;
/** The name `text` declares in its `ns` form, or null when that cannot be told with confidence. */
function declaredNamespace(text, dialect) {
    try {
        return new Scanner(text, dialect).declared();
    }
    catch (e) {
        if (e instanceof Unreadable)
            return null;
        throw e;
    }
}
class Scanner {
    text;
    dialect;
    pos = 0;
    constructor(text, dialect) {
        this.text = text;
        this.dialect = dialect;
        if (text.charCodeAt(0) === 0xfeff)
            this.pos = 1;
    }
    declared() {
        for (let forms = 0; forms < MAX_TOP_LEVEL_FORMS; forms++) {
            this.skipIgnorable(0);
            if (this.atEnd())
                return null;
            const found = this.topLevelForm();
            if (found !== undefined)
                return found;
        }
        return null;
    }
    /** The ns name if the form here is an ns form (null if it cannot be read); undefined after skipping another form. */
    topLevelForm() {
        if (this.startsWith('#?@'))
            throw new Unreadable(); // splicing is not allowed at top level
        if (!this.startsWith('#?')) {
            const found = this.nsFormHere();
            if (found === undefined)
                this.skipForm(0);
            return found;
        }
        if (this.dialect !== 'cljc')
            throw new Unreadable(); // Clojure refuses #? outside .cljc
        const branch = this.readerConditionalBranch();
        if (branch === null)
            return undefined; // nothing for the JVM here
        const after = this.pos;
        this.pos = branch;
        const found = this.nsFormHere();
        this.pos = after;
        return found;
    }
    /** The name when an ns form starts here; undefined, with `pos` unchanged, when another form does. */
    nsFormHere() {
        if (this.peek() !== '(')
            return undefined;
        const start = this.pos;
        this.pos++;
        this.skipIgnorable(1);
        const head = this.atEnd() || TERMINATING.has(this.peek()) ? '' : this.token();
        if (head === 'ns' || head === 'clojure.core/ns')
            return this.nsName();
        if (head === 'in-ns')
            throw new Unreadable(); // a namespace made at run time: not told by its text
        this.pos = start;
        return undefined;
    }
    /** After `(ns`: skips metadata and discards, then reads the name. */
    nsName() {
        for (;;) {
            this.skipIgnorable(1);
            if (this.peek() === '^') {
                this.pos++;
                this.skipForm(1);
            }
            else if (this.startsWith('#^')) {
                this.pos += 2;
                this.skipForm(1);
            }
            else
                break;
        }
        if (this.atEnd() || TERMINATING.has(this.peek()) || this.peek() === '#')
            return null;
        const name = this.token();
        // At the end of the text the name may be cut off (only the file's head is read): no guess.
        return NAMESPACE.test(name) && !this.atEnd() ? name : null;
    }
    /**
     * At `#?(`: the position of the form the JVM reads (the first `:clj` or `:default` branch), or
     * null when no branch applies. Leaves `pos` after the whole conditional.
     */
    readerConditionalBranch() {
        this.pos += 2;
        this.skipIgnorable(1);
        if (this.peek() !== '(')
            throw new Unreadable();
        this.pos++;
        let chosen = null;
        for (;;) {
            this.skipIgnorable(1);
            if (this.atEnd())
                throw new Unreadable();
            if (this.peek() === ')') {
                this.pos++;
                return chosen;
            }
            if (this.peek() !== ':')
                throw new Unreadable();
            const feature = this.token();
            this.skipIgnorable(1);
            if (this.atEnd() || this.peek() === ')')
                throw new Unreadable();
            if (chosen === null && (feature === ':clj' || feature === ':default'))
                chosen = this.pos;
            this.skipForm(1);
        }
    }
    atEnd() {
        return this.pos >= this.text.length;
    }
    peek(offset = 0) {
        return this.text.charAt(this.pos + offset);
    }
    startsWith(s) {
        return this.text.startsWith(s, this.pos);
    }
    /** Whitespace, commas, `;` and `#!` comments, and `#_` discarded forms. */
    skipIgnorable(depth) {
        for (;;) {
            const c = this.peek();
            if (c !== '' && ns_form_WHITESPACE.test(c))
                this.pos++;
            else if (c === ';' || this.startsWith('#!'))
                this.skipLine();
            else if (this.startsWith('#_')) {
                this.pos += 2;
                this.skipForm(depth + 1);
            }
            else
                return;
        }
    }
    skipLine() {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.text.length : end + 1;
    }
    /** A symbol, keyword or number: up to whitespace or a terminating character. */
    token() {
        const start = this.pos;
        while (!this.atEnd() && !ns_form_WHITESPACE.test(this.peek()) && !TERMINATING.has(this.peek()))
            this.pos++;
        return this.text.slice(start, this.pos);
    }
    /** Skips one form of any Clojure syntax, without interpreting it; throws Unreadable when it cannot. */
    skipForm(depth) {
        if (depth > ns_form_MAX_DEPTH)
            throw new Unreadable();
        this.skipIgnorable(depth);
        const c = this.peek();
        if (c === '' || c === ')' || c === ']' || c === '}')
            throw new Unreadable();
        if (c === '(' || c === '[' || c === '{')
            this.skipCollection(depth);
        else if (c === '"')
            this.skipString();
        else if (c === '\\')
            this.skipChar();
        else if (c === "'" || c === '`' || c === '@')
            this.skipPrefixed(1, 1, depth);
        else if (c === '~')
            this.skipPrefixed(this.peek(1) === '@' ? 2 : 1, 1, depth);
        else if (c === '^')
            this.skipPrefixed(1, 2, depth); // the metadata, then what it is attached to
        else if (c === '#')
            this.skipDispatch(depth);
        else if (this.token() === '')
            throw new Unreadable();
    }
    /** Skips a prefix of `length` characters and the `forms` forms after it. */
    skipPrefixed(length, forms, depth) {
        this.pos += length;
        for (let i = 0; i < forms; i++)
            this.skipForm(depth + 1);
    }
    skipDispatch(depth) {
        const d = this.peek(1);
        if (d === '{' || d === '(') {
            this.pos++;
            this.skipCollection(depth);
        }
        else if (d === '"') {
            this.pos++;
            this.skipString();
        }
        else if (d === "'" || d === '=')
            this.skipPrefixed(2, 1, depth);
        else if (d === '^')
            this.skipPrefixed(2, 2, depth);
        else if (d === '?')
            this.skipPrefixed(this.peek(2) === '@' ? 3 : 2, 1, depth);
        else if (d === ':') {
            // #:ns{…} and #::{…}: a prefix token, then the map.
            this.pos += this.peek(2) === ':' ? 3 : 2;
            this.token();
            this.skipIgnorable(depth);
            if (this.peek() !== '{')
                throw new Unreadable();
            this.skipCollection(depth);
        }
        else if (d === '#') {
            this.pos += 2;
            if (this.token() === '')
                throw new Unreadable();
        }
        else if (d === '' || ns_form_WHITESPACE.test(d) || TERMINATING.has(d))
            throw new Unreadable();
        else {
            // A tagged literal: #inst "…", #my/tag {…}.
            this.pos++;
            this.token();
            this.skipForm(depth + 1);
        }
    }
    skipCollection(depth) {
        const close = CLOSER[this.peek()];
        this.pos++;
        for (;;) {
            this.skipIgnorable(depth + 1);
            const c = this.peek();
            if (c === '')
                throw new Unreadable();
            if (c === close) {
                this.pos++;
                return;
            }
            this.skipForm(depth + 1);
        }
    }
    /** A string or regex body from its opening quote: a backslash escapes the next character. */
    skipString() {
        this.pos++;
        for (;;) {
            const c = this.peek();
            if (c === '')
                throw new Unreadable();
            this.pos += c === '\\' ? 2 : 1;
            if (c === '"')
                return;
        }
    }
    /** `\a`, `\(`, `\newline`, `\u00e9`: the backslash, one character, then token characters. */
    skipChar() {
        this.pos++;
        if (this.atEnd())
            throw new Unreadable();
        this.pos++;
        this.token();
    }
}

;// CONCATENATED MODULE: ./src/core/ion-config/ns-declarations.ts
/**
 * What the files behind ion-config's namespaces declare. The namespace index is built from file
 * paths, and that mapping is lossy (`my_lib.core` and `my-lib.core` both live in my_lib/core.clj),
 * so a symbol can pass the index while `resolve` finds nothing on the cluster. Reading the `ns`
 * form of the one file Clojure would load settles it.
 */







/** Roots looked at together: bounds the open files while keeping a scan of 200 jars short. */
const ns_declarations_BATCH = 16;
/** Only the head of a file is read: the ns form comes first, and a huge or endless file must not cost more. */
const SOURCE_HEAD_BYTES = 64 * 1024;
// Never follow a symlink as the last component, and never block on a FIFO or device: open does not
// wait with O_NONBLOCK, and fstat then tells a regular file from anything else.
const OPEN_FLAGS = external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | external_node_fs_.constants.O_NOFOLLOW;
/**
 * For each namespace, keyed by its resource path without extension (`my_lib/core`, see
 * namespaceToPath), the file Clojure's `load` would read and what it declares. As in clojure.lang.RT,
 * the first `.clj` on the classpath wins, else the first `.cljc`. Namespaces whose file is in no
 * root (AOT-only, or absent) are left out; so are files that cannot be opened as regular files.
 * Jars are opened only while a namespace is still unresolved after the roots before them.
 */
async function readNsDeclarations(roots, namespaces) {
    const bases = new Set([...namespaces].map(namespaceToPath));
    // The first root holding each resource; `.clj` beats `.cljc` wherever they are.
    const hits = new Map();
    const wanted = () => [...bases].flatMap((base) => (hits.has(`${base}.clj`) ? [] : [`${base}.clj`, ...(hits.has(`${base}.cljc`) ? [] : [`${base}.cljc`])]));
    // Roots are looked at a batch at a time, in parallel within a batch and applied in classpath order;
    // directories and jars are never in one batch, so a namespace found in a directory opens no jar,
    // and one in the 150th jar costs a few batches.
    for (const batch of batches(roots)) {
        const resources = wanted();
        if (resources.length === 0)
            break;
        const found = await Promise.all(batch.map((root) => (root.isDirectory ? inDirectory(root.path, resources) : inJar(root.path, resources))));
        batch.forEach((root, i) => {
            for (const resource of found[i] ?? [])
                if (!hits.has(resource))
                    hits.set(resource, { root, resource });
        });
    }
    const result = new Map();
    await Promise.all([...bases].map(async (base) => {
        const hit = hits.get(`${base}.clj`) ?? hits.get(`${base}.cljc`);
        if (!hit)
            return;
        const head = hit.root.isDirectory ? await directoryFileHead(hit.root, hit.resource) : await jarEntryHead(hit.root.path, hit.resource);
        if (head === undefined)
            return;
        const dialect = hit.resource.endsWith('.cljc') ? 'cljc' : 'clj';
        result.set(base, {
            source: hit.root.isDirectory ? `${hit.root.label}/${hit.resource}` : `${hit.root.label}!/${hit.resource}`,
            declares: declaredNamespace(head, dialect),
        });
    }));
    return result;
}
/** Consecutive roots grouped, directories apart from jars, at most BATCH in a group. */
function batches(roots) {
    const result = [];
    for (const root of roots) {
        const last = result[result.length - 1];
        const first = last?.[0];
        if (last && first && first.isDirectory === root.isDirectory && last.length < ns_declarations_BATCH)
            last.push(root);
        else
            result.push([root]);
    }
    return result;
}
/** The resources that are regular files under `dir` (symlinks to regular files count, as on the JVM). */
async function inDirectory(dir, resources) {
    const found = [];
    // One at a time: a config may name a few hundred namespaces, and each look is one open and fstat.
    for (const resource of resources) {
        const file = (0,external_node_path_.join)(dir, resource);
        const rel = (0,external_node_path_.relative)(dir, file);
        if (rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
            continue; // namespaceToPath leaves no '..'; this keeps it so
        const handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK).catch(() => undefined);
        if (!handle)
            continue;
        try {
            if ((await handle.stat()).isFile())
                found.push(resource);
        }
        finally {
            await handle.close();
        }
    }
    return found;
}
/**
 * The head of a source file in a directory root, read at its real path, and only when that stays
 * within the root's boundary: a link out of the project is not read (classifying the classpath
 * reports it), so nothing from outside reaches a message.
 */
async function directoryFileHead(root, resource) {
    const [real, limit] = await Promise.all([
        (0,promises_.realpath)((0,external_node_path_.join)(root.path, resource)).catch(() => undefined),
        (0,promises_.realpath)(root.boundary ?? root.path).catch(() => undefined),
    ]);
    if (real === undefined || limit === undefined)
        return undefined;
    const rel = (0,external_node_path_.relative)(limit, real);
    if (rel === '' || rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
        return undefined;
    return fileHead(real);
}
/** The first SOURCE_HEAD_BYTES of a regular file, decoded; undefined when it is anything else or unreadable. */
async function fileHead(file) {
    const handle = await (0,promises_.open)(file, OPEN_FLAGS).catch(() => undefined);
    if (!handle)
        return undefined;
    try {
        if (!(await handle.stat()).isFile())
            return undefined;
        const buffer = Buffer.alloc(SOURCE_HEAD_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return buffer.subarray(0, bytesRead).toString('utf8');
    }
    catch {
        return undefined;
    }
    finally {
        await handle.close();
    }
}
/** Which of `resources` the jar holds; none when it is not a readable regular zip file. */
async function inJar(jar, resources) {
    const wanted = new Set(resources);
    const found = [];
    await withJar(jar, async (zip) => {
        await eachEntry(zip, (entry) => {
            if (wanted.delete(entry.fileName))
                found.push(entry.fileName);
            return wanted.size > 0;
        });
    });
    return found;
}
/** The first SOURCE_HEAD_BYTES of one jar entry, decoded; undefined when it cannot be read. */
async function jarEntryHead(jar, resource) {
    let head;
    await withJar(jar, async (zip) => {
        let target;
        await eachEntry(zip, (entry) => {
            if (entry.fileName === resource)
                target = entry;
            return target === undefined;
        });
        if (target)
            head = await streamHead(await zip.openReadStreamPromise(target));
    });
    return head;
}
/**
 * Runs `use` on the jar opened as a zip, then closes it. A jar that is missing, not a regular file
 * (a FIFO would block a plain open), or not a zip is passed over: indexing reports unreadable jars.
 * Symlinked jars are followed, as Maven layouts (Debian's) use them.
 */
async function withJar(jar, use) {
    const handle = await (0,promises_.open)(jar, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK).catch(() => undefined);
    if (!handle)
        return;
    try {
        const { size } = await handle.stat().then((s) => (s.isFile() ? s : { size: -1 }));
        if (size < 0)
            return;
        // Through a reader of our own: yauzl's fromFd closes the descriptor itself, behind the handle's back.
        const zip = await yauzl.fromRandomAccessReaderPromise(new ChunkedReader(handle, size, ns_declarations_CHUNK), size, {
            lazyEntries: true,
            autoClose: false,
        });
        try {
            await use(zip);
        }
        finally {
            zip.close();
        }
    }
    catch {
        // unreadable: as if absent
    }
    finally {
        await handle.close();
    }
}
// Central directory records are small; reading them through a chunk keeps it to a few reads per jar.
const ns_declarations_CHUNK = 256 * 1024;
/** Reads central directory entries in order while `visit` returns true. */
function eachEntry(zip, visit) {
    return new Promise((resolve, reject) => {
        const onEntry = (entry) => {
            if (visit(entry))
                zip.readEntry();
            else
                finish();
        };
        const finish = () => {
            zip.off('entry', onEntry);
            resolve();
        };
        zip.on('entry', onEntry);
        zip.once('end', finish);
        zip.once('error', reject);
        zip.readEntry();
    });
}
async function streamHead(stream) {
    const chunks = [];
    let length = 0;
    try {
        for await (const chunk of stream) {
            chunks.push(chunk);
            length += chunk.length;
            if (length >= SOURCE_HEAD_BYTES)
                break;
        }
    }
    finally {
        stream.destroy();
    }
    return Buffer.concat(chunks).subarray(0, SOURCE_HEAD_BYTES).toString('utf8');
}

;// CONCATENATED MODULE: ./src/core/ion-config/checker.ts



/**
 * Collects located problems while checking values of one file. Each check reports what was
 * expected and what was found, and returns the value, or null after reporting an error, so that
 * callers carry on and every problem is found in one pass.
 */
class Checker {
    file;
    namespaces;
    declarations;
    problems = [];
    constructor(file, namespaces, declarations = new Map()) {
        this.file = file;
        this.namespaces = namespaces;
        this.declarations = declarations;
    }
    error(at, message) {
        this.problems.push({ severity: 'error', message, file: this.file, line: at.line, column: at.column });
    }
    warning(at, message) {
        this.problems.push({ severity: 'warning', message, file: this.file, line: at.line, column: at.column });
    }
    /** Reports `what must be <expected>; found <node>`. */
    wrongType(node, what, expected) {
        this.error(node, `${what} must be ${expected}; found ${describe(node)}`);
        return null;
    }
    map(node, what, expected) {
        return node.kind === 'map' ? node : this.wrongType(node, what, expected);
    }
    /**
     * The entries of a map with keyword keys, by key name (`app-name`). Non-keyword keys are errors,
     * unknown keys warnings: Datomic ignores them, but they are usually typos.
     */
    keywordEntries(map, what, known) {
        const entries = new Map();
        const knownList = known.map((k) => `:${k}`).join(', ');
        for (const entry of map.entries) {
            const { key } = entry;
            if (key.kind !== 'keyword') {
                const hint = (key.kind === 'string' || key.kind === 'symbol') && known.includes(plainText(key)) ? ` (write :${plainText(key)})` : '';
                this.error(key, `keys of ${what} are keywords such as :${known[0]}; found ${describe(key)}${hint}`);
                continue;
            }
            const name = qualifiedName(key);
            if (!known.includes(name)) {
                const guess = closest(name, known);
                this.warning(key, `unknown key :${clip(name)} in ${what}; known keys are ${knownList}${guess ? ` (did you mean :${guess}?)` : ''}`);
                continue;
            }
            entries.set(name, entry);
        }
        return entries;
    }
    string(node, what) {
        return node.kind === 'string' ? node.value : this.wrongType(node, what, 'a string');
    }
    /** An integer within [min, max]; `expected` describes the range for the message. */
    integer(node, what, min, max, expected) {
        if (node.kind !== 'integer' || node.value < BigInt(min) || node.value > BigInt(max))
            return this.wrongType(node, what, expected);
        return Number(node.value);
    }
    /** `ns/name` of a namespace-qualified symbol whose namespace is on the classpath (when known). */
    qualifiedSymbol(node, what) {
        if (node.kind !== 'symbol') {
            const text = node.kind === 'string' ? node.value : node.kind === 'keyword' ? qualifiedName(node) : '';
            const hint = /^[^\s/:]+\/[^\s/:]+$/.test(text)
                ? ` (write ${clip(text)} without ${node.kind === 'string' ? 'the quotes' : "the ':'"})`
                : '';
            this.error(node, `${what} must be a namespace-qualified symbol such as my.ns/f; found ${describe(node)}${hint}`);
            return null;
        }
        const name = qualifiedName(node);
        if (node.namespace === null) {
            this.error(node, `symbol ${clip(name)} (${what}) is not namespace-qualified; use my.ns/${clip(name)}, naming the namespace that defines it`);
            return null;
        }
        if (this.namespaces && !this.namespaces.has(indexedName(node.namespace))) {
            const path = namespaceToPath(node.namespace);
            this.error(node, `namespace ${clip(node.namespace)} (for ${clip(name)}) is not on the classpath: no ${clip(path)}.clj or ${clip(path)}.cljc in any classpath directory or jar; ` +
                'fix the symbol, or add the source path or dependency that defines it to deps.edn');
            return null;
        }
        const declared = this.declarations.get(namespaceToPath(node.namespace));
        if (declared?.declares != null && declared.declares !== node.namespace) {
            this.error(node, declarationMismatch(node.namespace, node.name, declared));
            return null;
        }
        return name;
    }
    /** A vector, list or set of qualified symbols (`:allow`, `:xforms`). */
    symbols(node, what) {
        if (node.kind !== 'vector' && node.kind !== 'list' && node.kind !== 'set') {
            this.wrongType(node, what, 'a vector of namespace-qualified symbols, like [my.ns/f]');
            return [];
        }
        return node.items.flatMap((item) => this.qualifiedSymbol(item, `${what} entry`) ?? []);
    }
}
/** The symbol names a namespace that its defining file does not declare: `resolve` finds nothing. */
function declarationMismatch(fullNamespace, fullName, declared) {
    const [namespace, name] = [clip(fullNamespace), clip(fullName)];
    const says = `${declared.source} declares (ns ${declared.declares})`;
    // Only '_' and '-' differ: the same file, spelled the way Clojure does not look it up.
    const fix = declared.declares !== null && namespaceToPath(declared.declares) === namespaceToPath(fullNamespace)
        ? `write ${declared.declares}/${name}`
        : `fix the ns form of ${declared.source}, or name the namespace it declares`;
    return `namespace ${namespace} (for ${namespace}/${name}) is not the one its file declares: ${says}, so ${namespace}/${name} does not resolve on the cluster; ${fix}`;
}
/** "string \"60\"", "vector [1 2]", "nil": what was found, for messages. */
function describe(node) {
    const text = printEdn(node, 40);
    switch (node.kind) {
        case 'nil':
            return 'nil';
        case 'tagged':
            return `tagged value ${text}`;
        default:
            return `${node.kind === 'char' ? 'character' : node.kind} ${text}`;
    }
}
function plainText(node) {
    if (node.kind === 'string')
        return node.value;
    if (node.kind === 'symbol' || node.kind === 'keyword')
        return qualifiedName(node);
    return '';
}
/** The candidate within edit distance 2 of `word`, if any: for "did you mean" hints. */
function closest(word, candidates) {
    let best;
    for (const c of candidates) {
        const d = editDistance(word, c);
        if (d <= 2 && (!best || d < best.d))
            best = { c, d };
    }
    return best?.c;
}
function editDistance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
        }
        prev = row;
    }
    return prev[b.length] ?? 0;
}

;// CONCATENATED MODULE: ./src/core/ion-config/http-direct.ts
const KNOWN = [
    'handler-fn',
    'pending-ops-queue-length',
    'processing-concurrency',
    'pending-ops-exceeded-message',
    'pending-ops-exceeded-code',
];
const POSITIVE = 'a positive integer';
const MAX = Number.MAX_SAFE_INTEGER;
/**
 * `:http-direct`; optional fields are present only when the config gives them. The result is
 * meaningful only when the checker reported no errors.
 */
function checkHttpDirect(c, node) {
    const map = c.map(node, ':http-direct', 'a map like {:handler-fn my.ns/handler}');
    if (!map)
        return null;
    const entries = c.keywordEntries(map, ':http-direct', KNOWN);
    const value = (key) => entries.get(key)?.value;
    const what = (key) => `:${key} of :http-direct`;
    const handlerNode = value('handler-fn');
    if (!handlerNode)
        c.error(map, ':http-direct has no :handler-fn; add :handler-fn my.ns/handler, the function that handles HTTP requests');
    const handlerFn = handlerNode ? c.qualifiedSymbol(handlerNode, what('handler-fn')) : null;
    const queue = value('pending-ops-queue-length');
    const concurrency = value('processing-concurrency');
    const message = value('pending-ops-exceeded-message');
    const code = value('pending-ops-exceeded-code');
    const pendingOpsQueueLength = queue && c.integer(queue, what('pending-ops-queue-length'), 1, MAX, POSITIVE);
    const processingConcurrency = concurrency && c.integer(concurrency, what('processing-concurrency'), 1, MAX, POSITIVE);
    const pendingOpsExceededMessage = message && c.string(message, what('pending-ops-exceeded-message'));
    const pendingOpsExceededCode = code && c.integer(code, what('pending-ops-exceeded-code'), 100, 599, 'an HTTP status code, an integer from 100 to 599');
    if (handlerFn === null)
        return null;
    return {
        handlerFn,
        ...(pendingOpsQueueLength != null && { pendingOpsQueueLength }),
        ...(processingConcurrency != null && { processingConcurrency }),
        ...(pendingOpsExceededMessage != null && { pendingOpsExceededMessage }),
        ...(pendingOpsExceededCode != null && { pendingOpsExceededCode }),
    };
}

;// CONCATENATED MODULE: ./src/core/ion-config/json.ts


/**
 * EDN as JSON: keywords and symbols become strings without ':' (`app-name`, `my.ns/f`), maps objects
 * (non-string keys as their JSON text), vectors/lists/sets arrays, chars strings, tagged values
 * `{ tag, value }`. Integers beyond 2^53 and ±Inf/NaN become their EDN text, which JSON cannot hold exactly.
 */
function ednToJson(node) {
    switch (node.kind) {
        case 'nil':
            return null;
        case 'boolean':
        case 'string':
        case 'char':
            return node.value;
        case 'integer':
            return Number.isSafeInteger(Number(node.value)) ? Number(node.value) : printEdn(node, Infinity);
        case 'float':
            return Number.isFinite(node.value) ? node.value : printEdn(node);
        case 'ratio':
            return Number(node.numerator) / Number(node.denominator);
        case 'keyword':
        case 'symbol':
            return qualifiedName(node);
        case 'list':
        case 'vector':
        case 'set':
            return node.items.map(ednToJson);
        case 'map':
            return Object.fromEntries(node.entries.map((e) => {
                const key = ednToJson(e.key);
                return [typeof key === 'string' ? key : JSON.stringify(key), ednToJson(e.value)];
            }));
        case 'tagged':
            return { tag: node.tag, value: ednToJson(node.value) };
    }
}

;// CONCATENATED MODULE: ./src/core/ion-config/names.ts
/** Naming rules of the AWS resources that ion-config names end up in. */

/** The Lambda function that proxies ion lambda `lambda` in deployment group `group`. */
const lambdaFunctionName = (group, lambda) => `${group}_${lambda}`;
const LAMBDA_FUNCTION_NAME_MAX = 64;
const APP_NAME_MAX = 100;
/** Why `name` cannot be a CodeDeploy application name, or null when it can. */
function appNameProblem(fullName) {
    const name = clip(fullName);
    if (fullName.length === 0)
        return ':app-name is empty; set it to the CodeDeploy application name, e.g. "my-app"';
    if (fullName.length > APP_NAME_MAX) {
        return `:app-name is ${fullName.length} characters long; a CodeDeploy application name has at most ${APP_NAME_MAX}`;
    }
    const bad = firstBadChar(fullName, /[A-Za-z0-9._-]/);
    if (bad)
        return `:app-name "${name}" contains ${bad}; use only letters, digits, '.', '_' and '-'`;
    return null;
}
/**
 * Why lambda `name` cannot become part of `<group>_<name>` Lambda function names, or null.
 * `_` is refused because it is the separator: `shop` + `canary_checkout` and `shop_canary` +
 * `checkout` would both be `shop_canary_checkout`, two groups' proxies fighting over one function.
 */
function lambdaNameProblem(fullName, groups) {
    const name = clip(fullName);
    if (fullName.includes('_')) {
        return (`lambda name :${name} contains '_', the separator of its Lambda function name "<group>_${name}": ` +
            `two groups could then get the same function (shop + canary_checkout and shop_canary + checkout are both shop_canary_checkout); use '-' instead, as in :${name.replace(/_/g, '-')}`);
    }
    const bad = firstBadChar(fullName, /[A-Za-z0-9-]/);
    if (bad)
        return `lambda name :${name} contains ${bad}, which a Lambda function name cannot; use only letters, digits and '-'`;
    if (groups === undefined || groups.length === 0) {
        // The group is not known yet: leave room for at least a one-character group and the '_'.
        const max = LAMBDA_FUNCTION_NAME_MAX - 2;
        if (fullName.length > max) {
            return `lambda name :${name} is ${fullName.length} characters long; at most ${max} leaves room for the "<group>_" prefix of its Lambda function name (${LAMBDA_FUNCTION_NAME_MAX} characters at most)`;
        }
        return null;
    }
    const tooLong = groups.map((g) => lambdaFunctionName(g, fullName)).filter((f) => f.length > LAMBDA_FUNCTION_NAME_MAX);
    if (tooLong.length > 0) {
        const examples = tooLong.map((f) => `${clip(f, 100)} (${f.length})`).join(', ');
        return `lambda name :${name} makes Lambda function names longer than ${LAMBDA_FUNCTION_NAME_MAX} characters: ${examples}; shorten the lambda name or the deployment group name`;
    }
    // CodeDeploy allows group names that a Lambda function name does not (a '.', for one).
    for (const group of groups) {
        const badInGroup = firstBadChar(group, /[A-Za-z0-9_-]/);
        if (badInGroup) {
            return `Lambda function name ${clip(lambdaFunctionName(group, name), 100)} of lambda :${name} contains ${badInGroup} (from deployment group "${clip(group)}"), which a Lambda function name cannot; rename the deployment group with only letters, digits, '_' and '-'`;
        }
    }
    return null;
}
function firstBadChar(s, allowed) {
    const chars = [...s];
    const i = chars.findIndex((c) => !allowed.test(c));
    if (i === -1)
        return null;
    const c = chars[i];
    const shown = c === ' ' ? 'a space' : /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? `'${c}'` : JSON.stringify(c);
    return `${shown} at position ${i + 1}`;
}

;// CONCATENATED MODULE: ./src/core/ion-config/lambdas.ts



const lambdas_KNOWN = ['fn', 'description', 'timeout-secs', 'concurrency-limit', 'integration'];
// Datomic's defaults for keys a lambda leaves out.
const DEFAULT_TIMEOUT_SECS = 60;
const DEFAULT_CONCURRENCY_LIMIT = 20;
const MAX_TIMEOUT_SECS = 900; // AWS Lambda's limit
// AWS Lambda's limit on a function's Description, which the proxy gets from :description. Counted in
// UTF-16 units (Java's String length, the stricter count), so no description AWS refuses passes.
const lambdas_MAX_DESCRIPTION = 256;
/** `:lambdas`: a map of keyword → lambda map. Returns the lambdas in map order, defaults applied. */
function checkLambdas(c, node, groups) {
    const lambdas = c.map(node, ':lambdas', 'a map of lambda names to lambdas, like {:get-items {:fn my.ns/get-items}}');
    if (!lambdas)
        return [];
    const result = [];
    for (const { key, value } of lambdas.entries) {
        const name = lambdaName(c, key, groups);
        const lambda = checkLambda(c, value, name ?? printKey(key));
        if (name !== null && lambda)
            result.push({ name, ...lambda });
    }
    return result;
}
function lambdaName(c, key, groups) {
    if (key.kind !== 'keyword') {
        c.wrongType(key, 'a lambda name', 'a keyword such as :get-items');
        return null;
    }
    if (key.namespace !== null) {
        c.error(key, `lambda name :${clip(qualifiedName(key))} has a namespace; use a simple keyword such as :${clip(key.name)}`);
        return null;
    }
    const problem = lambdaNameProblem(key.name, groups);
    if (problem) {
        c.error(key, problem);
        return null;
    }
    return key.name;
}
function checkLambda(c, node, name) {
    const what = `lambda :${clip(name)}`;
    const map = c.map(node, what, 'a map like {:fn my.ns/handler}');
    if (!map)
        return null;
    const entries = c.keywordEntries(map, what, lambdas_KNOWN);
    const value = (key) => entries.get(key)?.value;
    const fnNode = value('fn');
    if (!fnNode)
        c.error(map, `${what} has no :fn; add :fn my.ns/handler, the function the Lambda invokes`);
    const fn = fnNode ? c.qualifiedSymbol(fnNode, `:fn of ${what}`) : null;
    const descriptionNode = value('description');
    let description = descriptionNode ? c.string(descriptionNode, `:description of ${what}`) : '';
    if (descriptionNode && description !== null && description.length > lambdas_MAX_DESCRIPTION) {
        c.error(descriptionNode, `:description of ${what} is ${description.length} characters long; AWS Lambda takes at most ${lambdas_MAX_DESCRIPTION} for its proxy function's description: shorten it`);
        description = null;
    }
    const timeoutNode = value('timeout-secs');
    const timeoutSecs = timeoutNode
        ? c.integer(timeoutNode, `:timeout-secs of ${what}`, 1, MAX_TIMEOUT_SECS, `an integer from 1 to ${MAX_TIMEOUT_SECS}`)
        : DEFAULT_TIMEOUT_SECS;
    const limitNode = value('concurrency-limit');
    const concurrencyLimit = limitNode ? concurrency(c, limitNode, what) : DEFAULT_CONCURRENCY_LIMIT;
    const integrationNode = value('integration');
    let integration = null;
    if (integrationNode) {
        if (integrationNode.kind === 'keyword' && qualifiedName(integrationNode) === 'api-gateway/proxy')
            integration = 'api-gateway/proxy';
        else
            c.wrongType(integrationNode, `:integration of ${what}`, ':api-gateway/proxy (the only integration there is); remove the key for none');
    }
    if (fn === null || description === null || timeoutSecs === null || concurrencyLimit === undefined)
        return null;
    return { fn, description, timeoutSecs, concurrencyLimit, integration };
}
/** A positive integer, or null for `:none`; undefined after reporting an error. */
function concurrency(c, node, what) {
    if (node.kind === 'keyword' && qualifiedName(node) === 'none')
        return null;
    const n = c.integer(node, `:concurrency-limit of ${what}`, 1, Number.MAX_SAFE_INTEGER, 'a positive integer or :none');
    return n ?? undefined;
}
function printKey(key) {
    return key.kind === 'keyword' ? qualifiedName(key) : key.kind === 'string' ? key.value : '?';
}

;// CONCATENATED MODULE: ./src/core/ion-config/validate.ts








// The top-level keys of datomic/ion-config.edn in the Datomic Ions reference.
const validate_KNOWN = ['app-name', 'allow', 'xforms', 'lambdas', 'http-direct'];
/**
 * Checks the text of datomic/ion-config.edn against the Ions rules, reporting every problem at
 * once, each located in `file`. `config` is null when any problem is an error.
 */
function validateIonConfig(text, file, ctx) {
    let root;
    try {
        root = readEdn(text);
    }
    catch (e) {
        if (!(e instanceof EdnSyntaxError))
            throw e;
        return {
            config: null,
            problems: [{ severity: 'error', message: `${e.message}; fix the EDN syntax`, file, line: e.line, column: e.column }],
        };
    }
    const c = new Checker(file, ctx.namespaces, ctx.declarations);
    const config = checkConfig(c, root, ctx);
    // Document order reads best in logs and annotations (Array.prototype.sort is stable).
    const problems = [...c.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { config: config && !(0,core_problems/* hasErrors */.C)(problems) ? config : null, problems };
}
function checkConfig(c, root, ctx) {
    if (root.kind !== 'map') {
        c.error(root, `ion-config must be a map, like {:app-name "my-app" :lambdas {…}}; found ${describe(root)}`);
        return null;
    }
    const entries = c.keywordEntries(root, 'ion-config', validate_KNOWN);
    const value = (key) => entries.get(key)?.value;
    const appNameNode = value('app-name');
    let appName = null;
    if (!appNameNode)
        c.error(root, 'ion-config has no :app-name; add :app-name "my-app", the CodeDeploy application name');
    else
        appName = c.string(appNameNode, ':app-name');
    const nameProblem = appName === null ? null : appNameProblem(appName);
    if (appNameNode && nameProblem)
        c.error(appNameNode, nameProblem);
    const allowNode = value('allow');
    const xformsNode = value('xforms');
    const lambdasNode = value('lambdas');
    const httpDirectNode = value('http-direct');
    const allow = allowNode ? c.symbols(allowNode, ':allow') : [];
    const xforms = xformsNode ? c.symbols(xformsNode, ':xforms') : [];
    const lambdas = lambdasNode ? checkLambdas(c, lambdasNode, ctx.groups) : [];
    const httpDirect = httpDirectNode ? checkHttpDirect(c, httpDirectNode) : null;
    if (appName === null)
        return null;
    return { appName, allow, xforms, lambdas, httpDirect, json: ednToJson(root) };
}

;// CONCATENATED MODULE: ./src/core/push/validate-project.ts






/**
 * Reads ion-config, the classpath's namespaces, and the ns forms of the files ion-config's
 * namespaces come from. `projectDir` (the directory holding deps.edn), when given, lets a missing
 * ion-config be explained: a datomic/ion-config.edn that exists in a directory left off the classpath.
 */
async function readProjectResources(entries, projectDir) {
    const problems = [];
    // The boundary lets links in a project directory lead anywhere in the repository, and no further.
    const roots = entries.map((e) => ({
        path: e.path,
        isDirectory: e.packaging === 'dir',
        ...(e.boundary && { boundary: e.boundary.path }),
    }));
    const found = await findIonConfig(roots);
    if (!found) {
        const elsewhere = projectDir === undefined ? undefined : await ionConfigOffClasspath(projectDir, entries);
        problems.push({ severity: 'error', message: elsewhere ? offClasspathMessage(elsewhere) : NO_ION_CONFIG });
        return { ionConfig: null, namespaces: new Set(), declarations: new Map(), problems, listings: entries.map(() => []) };
    }
    let listings = [];
    const namespaces = await indexNamespaces(roots, {
        onListings: (names) => {
            listings = names;
        },
        onSkipped: (path, reason) => problems.push({ severity: 'warning', message: `could not read ${path} (${reason}); its namespaces are not checked` }),
    });
    const named = namespacesNamedIn(found.text).filter((ns) => namespaces.has(indexedName(ns)));
    const declarations = await readNsDeclarations(entries.map(sourceRoot), named);
    return { ionConfig: found, namespaces, declarations, problems, listings };
}
const NO_ION_CONFIG = 'No datomic/ion-config.edn in any classpath directory: create resources/datomic/ion-config.edn with at least {:app-name "my-app"} and make sure "resources" is in :paths.';
/** `src` for a directory (as the classpath names it), the file name for a jar. */
const sourceRoot = (e) => ({
    path: e.path,
    isDirectory: e.packaging === 'dir',
    label: e.packaging === 'dir' ? e.raw.replace(/[/\\]+$/, '') || '.' : (0,external_node_path_.basename)(e.path),
    ...(e.boundary && { boundary: e.boundary.path }),
});
/**
 * Pure: validates datomic/ion-config.edn against the classpath's namespaces and, when known, the
 * application's deployment groups (for the Lambda proxy names). Every problem at once.
 */
function validateProject(resources, groups) {
    if (!resources.ionConfig)
        return { config: null, file: null, problems: [...resources.problems] };
    const { file, text } = resources.ionConfig;
    const { config, problems } = validateIonConfig(text, file, {
        namespaces: resources.namespaces,
        declarations: resources.declarations,
        groups: groups ?? undefined,
    });
    return { config, file, problems: [...resources.problems, ...problems] };
}
// Where projects keep resources besides `resources/`; looked at one and two levels down, nothing deeper.
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'target', 'dist', 'out', 'classes']);
const MAX_DIRECTORIES_LOOKED_AT = 500;
/**
 * A datomic/ion-config.edn (a regular file) under `projectDir` whose directory is not on the
 * classpath: `resources` first, then other directories one and two levels down, sorted, hidden and
 * build directories skipped. Relative to projectDir, '/'-separated: { dir: 'resources', file: 'resources/datomic/ion-config.edn' }.
 */
async function ionConfigOffClasspath(projectDir, entries) {
    const onClasspath = new Set(entries.filter((e) => e.packaging === 'dir').map((e) => e.path));
    const candidates = ['resources'];
    const children = await subdirectories(projectDir, '');
    candidates.push(...children.filter((d) => d !== 'resources'));
    for (const child of children.slice(0, MAX_DIRECTORIES_LOOKED_AT))
        candidates.push(...(await subdirectories(projectDir, child)));
    for (const dir of candidates.slice(0, MAX_DIRECTORIES_LOOKED_AT)) {
        const abs = (0,external_node_path_.join)(projectDir, dir);
        if (onClasspath.has(abs))
            continue;
        // fileHead opens without following a final symlink or blocking on a FIFO, and only regular files.
        if ((await fileHead((0,external_node_path_.join)(abs, ION_CONFIG_RESOURCE))) !== undefined) {
            const rel = (0,external_node_path_.relative)(projectDir, abs);
            if (rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
                continue;
            return { dir: rel.split(external_node_path_.sep).join('/'), file: `${rel.split(external_node_path_.sep).join('/')}/${ION_CONFIG_RESOURCE}` };
        }
    }
    return undefined;
}
/** `parent`'s real subdirectories (not symlinks), relative to projectDir, sorted; hidden and build directories left out. */
async function subdirectories(projectDir, parent) {
    const dirents = await (0,promises_.readdir)((0,external_node_path_.join)(projectDir, parent), { withFileTypes: true }).catch(() => []);
    return dirents
        .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(d.name))
        .map((d) => (parent === '' ? d.name : `${parent}/${d.name}`))
        .sort();
}
function offClasspathMessage(found) {
    return (`${found.file} exists but its directory "${found.dir}" is not on the classpath, so the cluster would not find datomic/ion-config.edn: ` +
        `add "${found.dir}" to :paths in deps.edn (or to the alias you push with)`);
}

;// CONCATENATED MODULE: ./src/core/push/push-revision.ts






















/**
 * push, in four phases sharing one problem list: validate the project (nothing is written unless
 * all of it is valid), pack it, upload every classpath entry content-addressed and then the bundle
 * (create-only: a revision name means one thing forever), and only then register the revision, so a
 * registered revision never names a missing object.
 */
async function pushRevision(req, ports, emit = () => undefined) {
    const problems = [];
    const skipped = [];
    const project = await validatePhase(req, ports, emit, problems, skipped);
    // Both only read and never fail the push; started now, they overlap packing.
    const running = runningManifests(ports, project);
    const conflicts = dependencyConflicts(req, project);
    const pack = await packPhase(req, project, emit);
    // The writes (upload, bundle, registration, index) start now, in their own order, while the
    // reports that the log shows before them (conflicts, what each group runs) are still being read
    // (a group's diff is up to three requests in a row). Their events are held until those reports
    // are out, so the log reads as if one followed the other.
    const held = heldEmit(emit);
    const writing = writePhases(req, ports, held.emit, project, pack, skipped);
    // Awaited below in every case; not an unhandled rejection meanwhile.
    writing.catch(() => undefined);
    let found;
    let groupDiffs;
    try {
        found = await conflicts;
        emit({ kind: 'dependency-conflicts', groups: found.groups });
        problems.push(...found.warnings);
        groupDiffs = await diffGroups(running, pack.manifest, emit, problems);
    }
    finally {
        held.open();
        // Directory zips were written to scratch files for the upload; nothing needs them afterwards.
        await writing.then(() => disposePacked(pack.packed), () => disposePacked(pack.packed));
    }
    const { upload, indexProblem } = await writing;
    if (indexProblem)
        problems.push(indexProblem);
    return {
        rev: project.rev,
        reproducible: project.reproducible,
        appName: project.config.appName,
        commit: project.commit,
        bucket: req.bucket,
        bundleKey: pack.key,
        entries: pack.packed.map(({ entry, path }) => ({ ...entry, path })),
        uploaded: upload.uploaded,
        reused: upload.reused,
        bundleUploaded: upload.bundleUploaded,
        groups: project.groups,
        manifest: pack.manifest,
        dryRun: req.dryRun,
        skipped,
        warnings: problems.filter((p) => p.severity === 'warning'),
        groupDiffs,
        groupDiffsSkipped: running.skipped,
        conflicts: found.groups,
    };
}
/** Upload, then (unless a dry run) registration, then the object index: each only after the one before succeeded. */
async function writePhases(req, ports, emit, project, pack, skipped) {
    const upload = await uploadPhase(req, ports, emit, project, pack, skipped);
    if (req.dryRun) {
        skipped.push('uploading the revision bundle and registering the revision: dry run');
        return { upload, indexProblem: null };
    }
    await registerPhase(req, ports, emit, project, pack, upload.eTag);
    // Only now: an index lists objects of pushes that completed (docs/s3-layout.md).
    return { upload, indexProblem: await saveObjectIndex(req, ports, emit, pack, upload.index) };
}
/** Passes events on only once open() is called: those held until then first, in order, then every later one at once. */
function heldEmit(emit) {
    let held = [];
    return {
        emit: (event) => {
            if (held)
                held.push(event);
            else
                emit(event);
        },
        open: () => {
            const events = held ?? [];
            held = null;
            for (const event of events)
                emit(event);
        },
    };
}
/** Groups compared at most: three calls each (CodeDeploy twice, S3 once), a few at a time. */
const MAX_DIFF_GROUPS = 20;
const DIFF_CONCURRENCY = 4;
/** What each group runs now, asked for at once; none without credentials or groups. */
function runningManifests(ports, project) {
    const port = ports.running;
    const groups = project.groups ?? [];
    if (!port)
        return { groups: [], skipped: 0 };
    const limit = (0,p_limit/* default */.A)(DIFF_CONCURRENCY);
    const asked = groups.slice(0, MAX_DIFF_GROUPS).map((group) => ({
        group,
        // The port never throws; a bug that does still only costs the diff.
        running: limit(() => port.runningManifest(project.config.appName, group)).catch((e) => ({ state: 'unreadable', reason: e instanceof Error ? e.message : String(e) })),
    }));
    return { groups: asked, skipped: groups.length - asked.length };
}
/** Each group's diff against this revision, emitted in group order; one that cannot be read is a warning, never a failure. */
async function diffGroups(running, next, emit, problems) {
    const diffs = [];
    for (const { group, running: pending } of running.groups) {
        const r = await pending;
        const diff = r.state === 'running'
            ? { group, state: 'running', rev: r.manifest.rev, deploymentId: r.deploymentId, diff: diffManifests(r.manifest, next) }
            : { group, ...r };
        emit({ kind: 'group-diff', diff });
        diffs.push(diff);
        if (diff.state === 'unreadable') {
            problems.push({ severity: 'warning', message: `Cannot show what this revision changes on group ${group}: ${diff.reason}` });
        }
    }
    if (running.skipped > 0)
        emit({ kind: 'group-diffs-skipped', groups: running.skipped });
    return diffs;
}
/**
 * Namespaces and classes more than one classpath entry provides, and their warnings, located on
 * deps.edn where it names a dependency involved (else on its first line). Reading fails nothing.
 */
async function dependencyConflicts(req, project) {
    try {
        const coordinates = await readDepsCoordinates(req.projectDir);
        const groups = findDependencyConflicts(project.entries.map((e, i) => ({ origin: e.origin, names: project.listings[i] ?? [] })));
        const file = (0,external_node_path_.join)(req.projectDir, 'deps.edn');
        const warnings = conflictWarnings(groups, (g) => {
            for (const i of g?.at ?? []) {
                const at = coordinateOf(coordinates, project.entries[i]);
                if (at)
                    return { file, line: at.line, column: at.column };
            }
            return { file, line: 1 };
        });
        return { groups, warnings };
    }
    catch (e) {
        return {
            groups: [],
            warnings: [
                { severity: 'warning', message: `Could not check for dependency conflicts: ${e instanceof Error ? e.message : String(e)}` },
            ],
        };
    }
}
/** Runs `fn` between a phase's start and end events, the end even when it throws. */
async function inPhase(emit, phase, fn) {
    emit({ kind: 'phase-started', ...phase });
    try {
        return await fn();
    }
    finally {
        emit({ kind: 'phase-ended', phase: phase.phase });
    }
}
/** Classpath, ion-config, CodeDeploy application and revision name: every problem at once, or a UserError listing them. */
async function validatePhase(req, ports, emit, problems, skipped) {
    if (!(0,external_node_fs_.existsSync)((0,external_node_path_.join)(req.projectDir, 'deps.edn'))) {
        throw new core_problems/* UserError */.y(`No deps.edn in ${req.projectDir}: set \`working-directory\` to the directory of your tools.deps project.`);
    }
    const classpath = await inPhase(emit, { phase: 'classpath' }, async () => {
        if (req.classpath) {
            emit({ kind: 'classpath-given' });
            return req.classpath;
        }
        emit({ kind: 'classpath-resolving', aliases: req.aliases, projectDir: req.projectDir });
        return resolveClasspath(req.projectDir, req.aliases, ports.runCommand);
    });
    const git = await (0,read_git_state/* readGitState */.I)(req.projectDir);
    const ctx = { projectDir: req.projectDir, repoRoot: git?.root ?? null, ...ports.environment };
    const entries = await classifyClasspath(classpath, ctx, problems);
    for (const e of entries)
        emit({ kind: 'classpath-entry', entryKind: e.kind, origin: e.origin });
    // The application's groups are needed to check the Lambda proxy names, so CodeDeploy is asked
    // first (it needs only the app name, read without validating) and the project is read once.
    const resources = await readProjectResources(entries, req.projectDir);
    const early = validateProject(resources, null);
    const groupProblems = [];
    const asking = applicationGroups(req, ports, early.config?.appName ?? null, groupProblems, skipped);
    // While CodeDeploy answers: the revision's name, and the bucket's reads that need only it (see prefetchBucket).
    const decision = decideRevision(req.uname, git, entries);
    const prefetched = decision.ok && early.config ? prefetchBucket(req, ports, early.config.appName, decision.rev) : null;
    const groups = await asking;
    problems.push(...groupProblems);
    const validation = groups ? validateProject(resources, groups) : early;
    problems.push(...validation.problems);
    if (validation.file)
        emit({ kind: 'ion-config-validated', file: validation.file, errors: validation.problems.filter((p) => p.severity === 'error').length });
    if (req.uname) {
        const bad = unameProblem(req.uname);
        if (bad)
            problems.push({ severity: 'error', message: bad });
    }
    if (!decision.ok) {
        for (const reason of decision.reasons) {
            problems.push({
                severity: 'error',
                message: `Unreproducible push: ${reason.message}. Commit it, or set \`uname\` to push it under an explicit name.`,
                file: reason.file,
            });
        }
    }
    if ((0,core_problems/* hasErrors */.C)(problems) || !validation.config || !decision.ok)
        throw new core_problems/* UserError */.y(summarizeFailure(problems), problems);
    return {
        entries,
        config: validation.config,
        groups,
        rev: decision.rev,
        reproducible: decision.reproducible,
        commit: decision.commit,
        listings: resources.listings,
        prefetched,
    };
}
/**
 * The two reads the upload phase starts with, the revision bundle's HeadObject and the object
 * index's GetObject, need only the application and the revision's name: they are started as soon as
 * those are known, so they overlap the CodeDeploy calls and packing instead of following them. Only
 * reads: a push that then fails validation has written nothing. Their answers are awaited (and their
 * events emitted) where the upload phase used to ask, so the log reads as before.
 */
function prefetchBucket(req, ports, appName, rev) {
    const { bundles } = ports;
    if (!bundles)
        return null;
    const key = bundleKey(req.prefix, appName, rev);
    const described = bundles.describe(key);
    // Awaited later, or never when validation fails: not an unhandled rejection meanwhile.
    described.catch(() => undefined);
    const index = ports.objectIndex && ports.objects
        ? loadObjectIndex(ports.objectIndex, objectIndexKey(req.prefix, appName), req.prefix, appName)
        : null;
    return { described, index, key };
}
/** The application's deployment groups, or null when CodeDeploy is not asked or does not know the application (a dry run only warns). */
async function applicationGroups(req, ports, appName, problems, skipped) {
    if (!ports.registry) {
        skipped.push('CodeDeploy checks (application exists, deployment groups): no AWS credentials');
        return null;
    }
    if (!appName)
        return null;
    // Both at once (one round trip instead of two): the groups are only used when the application exists.
    const registry = ports.registry;
    const listing = registry.listDeploymentGroups(appName);
    listing.catch(() => undefined);
    if (await registry.applicationExists(appName))
        return listing;
    const message = `CodeDeploy application "${appName}" does not exist in this account and region: create it (infra/template.yaml does) or fix :app-name in datomic/ion-config.edn.`;
    if (!req.dryRun)
        throw new core_problems/* UserError */.y(message);
    problems.push({ severity: 'warning', message });
    return null;
}
/** Jars hashed, directories zipped, the manifest and the bundle built: everything in memory, nothing written. */
async function packPhase(req, project, emit) {
    const packed = await inPhase(emit, { phase: 'pack', entries: project.entries.length }, () => packEntries(project.entries, req.prefix, (message) => emit({ kind: 'pack-note', message })));
    const manifest = buildManifest({
        appName: project.config.appName,
        rev: project.rev,
        bucket: req.bucket,
        commit: project.commit,
        reproducible: project.reproducible,
        // A given classpath was resolved elsewhere: push does not know its aliases.
        aliases: req.classpath ? '' : req.aliases,
        classpath: packed.map(({ entry }) => entry),
        ionConfig: project.config,
    });
    const bundle = await zipFiles([{ name: 'ion-manifest.json', data: serializeManifest(manifest) }, ...(await loadInstanceHooks())]);
    return { packed, manifest, bundle, bundleSha: sha256Hex(bundle), key: bundleKey(req.prefix, project.config.appName, project.rev) };
}
/**
 * Objects first, then the bundle that names them, so a bundle in the bucket proves its objects are
 * there too: a repeated push costs one HeadObject instead of one per entry. An existing bundle with
 * other content is never replaced (see revision-identity.ts); the push stops before uploading.
 */
async function uploadPhase(req, ports, emit, project, pack, skipped) {
    const objects = pack.packed.map(({ object }) => object);
    const { bundles } = ports;
    // The index is read while the bundle is looked up: one round trip for both, started during validation when it could be.
    const early = project.prefetched?.key === pack.key ? project.prefetched : null;
    const [described, index] = await Promise.all([
        early ? early.described : (bundles?.describe(pack.key) ?? null),
        readObjectIndex(req, ports, emit, pack, early?.index),
    ]);
    const known = index && 'entries' in index ? index.entries : new Map();
    const onProgress = (progress) => emit({ kind: 'sync-progress', progress });
    const stored = bundles ? await storedRevision(bundles, req, pack, described) : null;
    if (stored) {
        let reused = dedupeByKey(objects);
        let uploaded = [];
        emit({ kind: 'bundle-found', bucket: req.bucket, key: pack.key, objects: reused.length, match: stored.match });
        // Objects the index does not list are checked, and uploaded if missing: after a deploy found
        // one missing, deleting the index and pushing the revision again repairs it.
        const store = ports.objects;
        if (store && index && !req.dryRun && reused.some((o) => !known.has(o.key))) {
            ({ uploaded, reused } = await inPhase(emit, { phase: 'upload', dryRun: false }, () => syncObjects(store, objects, { known, checkFirst: true, onProgress })));
        }
        if (!req.dryRun)
            emit({ kind: 'bundle-stored', bucket: req.bucket, key: pack.key, uploaded: false });
        return { uploaded, reused, bundleUploaded: false, eTag: stored.eTag, index };
    }
    let uploaded = [];
    let reused = [];
    if (ports.objects) {
        const store = ports.objects;
        // With an index (or none yet: a first push) objects it does not list are most likely missing,
        // so each goes straight to a create-only write; an unreadable index means checking each first.
        const checkFirst = !index || 'ignored' in index;
        ({ uploaded, reused } = await inPhase(emit, { phase: 'upload', dryRun: req.dryRun }, () => syncObjects(store, objects, { dryRun: req.dryRun, known, checkFirst, onProgress })));
    }
    else {
        // Without credentials every AWS port is null; with them, S3's are null only when no bucket was given.
        skipped.push(`S3 existence checks and uploads: ${ports.registry ? 'no bucket given' : 'no AWS credentials'}`);
    }
    if (req.dryRun)
        return { uploaded, reused, bundleUploaded: false, index };
    if (!bundles)
        throw new Error('push needs S3 and CodeDeploy access unless dry-run is set');
    const created = await bundles.create(pack.key, pack.bundle, pack.bundleSha);
    if (created.created) {
        emit({ kind: 'bundle-stored', bucket: req.bucket, key: pack.key, uploaded: true });
        return { uploaded, reused, bundleUploaded: true, eTag: created.eTag, index };
    }
    // Another push stored this revision since we looked: fine if it is the same, refused if not.
    const raced = await storedRevision(bundles, req, pack, await bundles.describe(pack.key));
    if (!raced)
        throw new Error(`internal: s3://${req.bucket}/${pack.key} refused a create-only write but does not exist`);
    emit({ kind: 'bundle-stored', bucket: req.bucket, key: pack.key, uploaded: false });
    return { uploaded, reused, bundleUploaded: false, eTag: raced.eTag, index };
}
/** The application's object index (src/core/content/object-index.ts), reported; null without an index port or object store. */
async function readObjectIndex(req, ports, emit, pack, prefetched) {
    if (!ports.objectIndex || !ports.objects)
        return null;
    const key = objectIndexKey(req.prefix, pack.manifest.appName);
    const index = await (prefetched ?? loadObjectIndex(ports.objectIndex, key, req.prefix, pack.manifest.appName));
    const at = { kind: 'object-index', bucket: req.bucket, key };
    if ('entries' in index)
        emit({ ...at, state: 'found', objects: index.entries.size });
    else if ('none' in index)
        emit({ ...at, state: 'none' });
    else
        emit({ ...at, state: 'ignored', reason: index.ignored });
    return index;
}
/**
 * After the registration: the index becomes this revision's objects (each one found or stored by
 * this push) followed by the ones the index listed. A failed write costs the next push requests,
 * never correctness: a warning.
 */
async function saveObjectIndex(req, ports, emit, pack, index) {
    if (!ports.objectIndex || !index)
        return null;
    const next = mergeObjectIndex(pack.manifest.classpath, 'entries' in index ? index.entries : null);
    if (!next)
        return null;
    const key = objectIndexKey(req.prefix, pack.manifest.appName);
    try {
        await ports.objectIndex.write(key, serializeObjectIndex(pack.manifest.appName, next));
    }
    catch (err) {
        return {
            severity: 'warning',
            message: `Could not update the object index s3://${req.bucket}/${key} (${err instanceof Error ? err.message : String(err)}): the revision is pushed, but the next push will check every object again. Allow s3:PutObject on that key.`,
        };
    }
    emit({ kind: 'object-index', bucket: req.bucket, key, state: 'written', objects: next.length });
    return null;
}
/**
 * The stored revision when it is this one: `identical` bytes, or `kept` — the same manifest in a
 * bundle with other instance hooks (written by another version of ion-actions), which stays as it
 * is. Null when nothing is stored. Throws a UserError saying what differs when it is another revision.
 */
async function storedRevision(bundles, req, pack, existing) {
    if (!existing)
        return null;
    if (existing.sha256 === pack.bundleSha)
        return { match: 'identical', eTag: existing.eTag };
    const bytes = await bundles.read(pack.key);
    if (!bytes)
        return null;
    const location = `s3://${req.bucket}/${pack.key}`;
    let manifest;
    try {
        manifest = await readBundleManifest(bytes);
    }
    catch (err) {
        throw new core_problems/* UserError */.y(revisionConflictMessage({ rev: pack.manifest.rev, location, differences: [], unreadable: err.message }));
    }
    const differences = revisionDifferences(manifest, pack.manifest);
    if (differences.length > 0)
        throw new core_problems/* UserError */.y(revisionConflictMessage({ rev: pack.manifest.rev, location, differences }));
    return { match: 'kept', eTag: existing.eTag };
}
async function registerPhase(req, ports, emit, project, pack, eTag) {
    if (!ports.registry)
        throw new Error('push needs S3 and CodeDeploy access unless dry-run is set');
    const appName = project.config.appName;
    const description = `ion-actions ${project.rev}${project.reproducible ? '' : ' (unreproducible)'}`;
    await ports.registry.registerRevision(appName, { bucket: req.bucket, key: pack.key, eTag }, description);
    emit({ kind: 'revision-registered', appName, rev: project.rev });
}
function summarizeFailure(problems) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    return `push found ${errors} problem${errors === 1 ? '' : 's'}; each is listed above with its file and line. Nothing was uploaded.`;
}

// EXTERNAL MODULE: ./src/github/inert-text.ts
var inert_text = __webpack_require__(5475);
// EXTERNAL MODULE: ./src/github/input-rules.ts
var input_rules = __webpack_require__(6797);
;// CONCATENATED MODULE: ./src/push/environment.ts

/** Where tools.deps keeps downloads on the runner, from its environment and home directory. */
function pushEnvironment(env, homeDir) {
    return {
        mavenRepo: (0,external_node_path_.join)(homeDir, '.m2', 'repository'),
        gitlibs: env.GITLIBS || (0,external_node_path_.join)(homeDir, '.gitlibs'),
    };
}

;// CONCATENATED MODULE: ./src/core/classpath/parse-aliases.ts
/**
 * Normalises the `aliases` input (":prod:ion", "prod ion", ":prod, :ion") to the `-A` argument
 * form (":prod:ion"), or returns an error message.
 */
function parseAliases(input) {
    const names = input
        .split(/[\s,:]+/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    const bad = names.filter((n) => !/^[A-Za-z0-9*+!_?<>=.-]+(\/[A-Za-z0-9*+!_?<>=.-]+)?$/.test(n));
    if (bad.length) {
        return { error: `aliases: ${bad.map((b) => `"${b}"`).join(', ')} is not an alias name; write aliases like ":prod:ion"` };
    }
    return { value: names.map((n) => `:${n}`).join('') };
}

;// CONCATENATED MODULE: ./src/push/inputs.ts




/** Returns the inputs or every input problem at once (each says what to set). */
function parsePushInputs(read = (n) => core/* getInput */.V4(n), workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()) {
    const rules = new input_rules/* InputRules */.c(read);
    const dryRun = rules.boolean('dry-run', false);
    const bucket = rules.bucket(dryRun ? false : 'set it to the S3 bucket for code (or set dry-run: true to only validate)');
    const prefix = rules.prefix('use letters, digits and "/", "-", "_", "." (e.g. ions or teams/x/ions)');
    const projectDir = rules.workingDirectory(workspace);
    const aliasResult = parseAliases(read('aliases'));
    if ('error' in aliasResult)
        rules.error(aliasResult.error);
    const classpath = rules.text('classpath');
    if (classpath !== '' && rules.text('aliases') !== '') {
        rules.error('aliases and classpath: set one of them; a given classpath is used as it is, so aliases would be ignored');
    }
    const uname = rules.text('uname');
    if (uname !== '') {
        const problem = unameProblem(uname);
        if (problem)
            rules.error(`uname: ${problem}`);
    }
    const region = rules.region();
    if (!rules.ok)
        return { problems: rules.problems };
    return {
        inputs: { bucket, prefix, projectDir, aliases: 'value' in aliasResult ? aliasResult.value : '', classpath, uname, dryRun, region },
    };
}

;// CONCATENATED MODULE: ./src/github/annotations.ts



/** GitHub keeps at most 10 annotations of each level per step and silently drops the rest. */
const ANNOTATIONS_PER_LEVEL = 10;
/**
 * Error annotations for problems: one fewer than GitHub keeps, because a step that reports errors
 * then fails, and core.setFailed adds its own error annotation, which must not be the one dropped.
 */
const PROBLEM_ERROR_ANNOTATIONS = ANNOTATIONS_PER_LEVEL - 1;
/** Multi-line outside text for an annotation: lines kept (core.error escapes the breaks), each made inert. */
const inertMessage = (message) => (0,inert_text/* inertLines */.wi)(message).join('\n') || (0,inert_text/* inert */.tJ)(message);
/**
 * Reports every problem in the log and as many as GitHub will show as annotations (file, line, column),
 * saying how many more are only in the log. Paths are made relative to the workspace so the
 * annotations land on the pull request's files. Messages and paths may carry outside text (file
 * names, config values): they are printed inert (src/github/inert-text.ts).
 */
function reportProblems(problems, workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()) {
    const limit = { error: PROBLEM_ERROR_ANNOTATIONS, warning: ANNOTATIONS_PER_LEVEL };
    const shown = { error: 0, warning: 0 };
    for (const problem of problems) {
        const file = problem.file === undefined ? undefined : (0,external_node_path_.isAbsolute)(problem.file) ? (0,external_node_path_.relative)(workspace, problem.file) : problem.file;
        if (shown[problem.severity] < limit[problem.severity]) {
            shown[problem.severity] += 1;
            // Properties are escaped by @actions/core (`%`, `:`, `,`, line breaks), so the file name stays exact for GitHub's link.
            const props = annotationProperties(file, problem);
            if (problem.severity === 'error')
                core/* error */.z3(inertMessage(problem.message), props);
            else
                core/* warning */.$e(inertMessage(problem.message), props);
        }
        else {
            const where = file ? `${(0,inert_text/* inert */.tJ)(file)}${problem.line ? `:${problem.line}` : ''}${problem.column ? `:${problem.column}` : ''}: ` : '';
            const [first = '', ...rest] = (0,inert_text/* inertLines */.wi)(problem.message);
            core/* info */.pq(`${problem.severity}: ${where}${first}`);
            for (const line of rest)
                core/* info */.pq(`  ${line}`);
        }
    }
    for (const level of ['error', 'warning']) {
        const total = problems.filter((p) => p.severity === level).length;
        if (total > limit[level]) {
            core/* info */.pq(`${total - limit[level]} more ${level}s are in the log above only (GitHub shows ${ANNOTATIONS_PER_LEVEL} per step).`);
        }
    }
}
/** Only the properties that are set: @actions/core writes `::error ::` for an object of undefined ones. */
function annotationProperties(file, problem) {
    const props = {};
    if (file !== undefined)
        props.file = file;
    if (problem.line !== undefined)
        props.startLine = problem.line;
    if (problem.column !== undefined)
        props.startColumn = problem.column;
    return props;
}

;// CONCATENATED MODULE: ./src/push/push-log.ts






const runnerPushIO = {
    info: (line) => core/* info */.pq(line),
    startGroup: (title) => core/* startGroup */.Oh(title),
    endGroup: () => core/* endGroup */.N4(),
    notice: (message) => core/* notice */.lm(message),
    problems: (problems) => reportProblems(problems),
    fail: (message) => core/* setFailed */.C1(message),
};
/**
 * Turns push events into the workflow log. The one place where push prints: everything that did not
 * come from this code (paths, classpath origins, S3 keys and bucket, ion-config values, AWS and git
 * messages) goes through inert() here, so no file name or config value can become a workflow command.
 */
class PushLog {
    io;
    constructor(io = runnerPushIO) {
        this.io = io;
    }
    handle = (e) => {
        const io = this.io;
        switch (e.kind) {
            case 'phase-started':
                io.startGroup(phaseTitle(e));
                return;
            case 'phase-ended':
                io.endGroup();
                return;
            case 'classpath-given':
                io.info('Using the classpath from the `classpath` input.');
                return;
            case 'classpath-resolving':
                io.info(`Running clojure -Spath${e.aliases ? ` -A${(0,inert_text/* inert */.tJ)(e.aliases)}` : ''} in ${(0,inert_text/* inert */.tJ)(e.projectDir)}`);
                return;
            case 'classpath-entry':
                io.info(`${e.entryKind.padEnd(7)} ${(0,inert_text/* inert */.tJ)(e.origin)}`);
                return;
            case 'ion-config-validated':
                io.info(`Validated ${(0,inert_text/* inert */.tJ)(e.file)}: ${e.errors === 0 ? 'ok' : `${e.errors} error(s)`}`);
                return;
            case 'pack-note':
                io.info((0,inert_text/* inert */.tJ)(e.message));
                return;
            case 'sync-progress':
                io.info(progressLine(e.progress));
                return;
            case 'object-index':
                io.info(objectIndexLine(e));
                return;
            case 'bundle-found':
                io.info(e.match === 'identical'
                    ? `${s3Url(e.bucket, e.key)} already holds this exact revision, so the bucket has all ${e.objects} objects it names.`
                    : `${s3Url(e.bucket, e.key)} already holds this revision, pushed by another version of ion-actions (the same manifest, other instance hooks): it is kept as it is, with all ${e.objects} objects it names.`);
                return;
            case 'bundle-stored':
                io.info(`${e.uploaded ? 'Uploaded' : 'Reused'} revision bundle ${s3Url(e.bucket, e.key)}`);
                return;
            case 'revision-registered':
                io.info(`Registered revision ${(0,inert_text/* inert */.tJ)(e.rev)} of CodeDeploy application ${(0,inert_text/* inert */.tJ)(e.appName)}`);
                return;
            case 'dependency-conflicts':
                this.conflicts(e.groups);
                return;
            case 'group-diff':
                io.info(groupDiffLine(e.diff));
                return;
            case 'group-diffs-skipped':
                io.info(`${e.groups} more deployment groups not compared (push compares the first 20).`);
                return;
        }
    };
    /** Every conflict, in a collapsible group: which entries, which one wins, every namespace and class. */
    conflicts(groups) {
        if (groups.length === 0) {
            this.io.info('No dependency conflicts: no namespace or class is provided by more than one classpath entry.');
            return;
        }
        const n = conflictCount(groups);
        this.io.startGroup(`Dependency conflicts: ${n} ${n === 1 ? 'namespace or class' : 'namespaces and classes'} provided by more than one classpath entry`);
        for (const g of groups) {
            this.io.info(`${(0,inert_text/* inert */.tJ)(g.entries.join(', '))}: ${(0,inert_text/* inert */.tJ)(g.winner)} wins (first on the classpath)`);
            for (const ns of g.namespaces)
                this.io.info(`  namespace ${(0,inert_text/* inert */.tJ)(ns)}`);
            for (const cls of g.classes)
                this.io.info(`  class ${(0,inert_text/* inert */.tJ)(cls)}`);
        }
        this.io.endGroup();
    }
    /** Warnings of a push that succeeded, what it skipped, and its last line. */
    finished(report) {
        this.io.problems(report.warnings);
        for (const s of report.skipped)
            this.io.notice(`Skipped ${(0,inert_text/* inert */.tJ)(s)}`);
        this.io.info(`${report.dryRun ? 'Validated' : 'Pushed'} ${(0,inert_text/* inert */.tJ)(report.appName)} revision ${(0,inert_text/* inert */.tJ)(report.rev)}`);
    }
    /** Problems first (at most 9 error annotations), then the one closing error. */
    failed(message, problems = []) {
        this.io.problems(problems);
        this.io.fail(inertMessage(message));
    }
}
/** One short line per deployment group: what this revision changes there. */
function groupDiffLine(d) {
    const group = (0,inert_text/* inert */.tJ)(d.group);
    switch (d.state) {
        case 'running':
            return `Group ${group} runs ${(0,inert_text/* inert */.tJ)(d.rev)}: ${(0,inert_text/* inert */.tJ)(d.diff.same ? 'this revision changes no library, project path or lambda' : diffOneLine(d.diff))}`;
        case 'none':
            return `Group ${group} has no successful deployment yet: everything in this revision is new there.`;
        case 'unreadable':
            return `Group ${group}: cannot tell what it runs (${(0,inert_text/* inert */.tJ)(d.reason)}); no diff.`;
    }
}
function phaseTitle(p) {
    switch (p.phase) {
        case 'classpath':
            return 'Classpath';
        case 'pack':
            return `Hashing ${p.entries} classpath entries`;
        case 'upload':
            return p.dryRun ? 'Checking what the bucket has (dry run)' : 'Uploading';
    }
}
/** `s3://bucket/key`, inert; never `s3:///…` (a dry run may have no bucket). */
const s3Url = (bucket, key) => bucket ? `s3://${(0,inert_text/* inert */.tJ)(bucket)}/${(0,inert_text/* inert */.tJ)(key)}` : `key ${(0,inert_text/* inert */.tJ)(key)} (no bucket given)`;
function objectIndexLine(e) {
    const at = s3Url(e.bucket, e.key);
    switch (e.state) {
        case 'found':
            return `Object index ${at}: ${e.objects} objects known to be in the bucket (not asked about again)`;
        case 'none':
            return `No object index at ${at} yet: objects go up with create-only writes`;
        case 'ignored':
            return `Object index ${at} ignored (${(0,inert_text/* inert */.tJ)(e.reason)}): every object is checked in S3`;
        case 'written':
            return `Object index ${at} now lists ${e.objects} objects`;
    }
}
function progressLine(p) {
    const verb = p.phase === 'check' ? 'Checked' : 'Uploaded';
    return `${verb} ${p.done}/${p.total} objects (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})`;
}

;// CONCATENATED MODULE: ./src/github/markdown.ts
/** Job-summary markdown for text that came from elsewhere (AWS messages, log tails, file names). */
/** Markdown- and HTML-inert text for one table cell or line. */
function escapeCell(text) {
    return text
        .replace(/\s+/g, ' ')
        .replace(/[\\`*_[\]|<>]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
        .trim();
}
/** Inline code whose fence is longer than any backtick run inside. */
const code = (text) => {
    const clean = text.replace(/\s+/g, ' ');
    const fence = '`'.repeat(Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
    return `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`;
};
/** A fenced block longer than any backtick run inside, so remote text cannot close it. */
function fenced(text) {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}text\n${text.replace(/\s+$/, '')}\n${fence}`;
}

;// CONCATENATED MODULE: ./src/github/revision-diff-markdown.ts

/** Rows past this are counted, not listed: a summary has 1 MiB per step and a reader has less. */
const MAX_ROWS = 100;
const NONE = '—';
const row = (...cells) => cells;
/**
 * What a revision changes, as a markdown table: one row per library, project path and lambda
 * added, removed or changed, with its running and new version. Every cell is escaped (names and
 * versions come from the manifests).
 */
function revisionDiffTable(diff) {
    if (diff.same)
        return '_No change in libraries, project paths or lambdas._';
    const { libraries: l, projectPaths: p, lambdas: f } = diff;
    const rows = [
        ...l.changed.map(({ name, from, to }) => row('library changed', name, from, from === to ? `${to} (other bytes)` : to)),
        ...l.added.map(({ name, version }) => row('library added', name, NONE, version)),
        ...l.removed.map(({ name, version }) => row('library removed', name, version, NONE)),
        ...p.changed.map((path) => row('project path changed', path, 'old content', 'new content')),
        ...p.added.map((path) => row('project path added', path, NONE, 'added')),
        ...p.removed.map((path) => row('project path removed', path, 'present', NONE)),
        ...f.changed.map((name) => row('lambda changed', name, 'old settings', 'new settings')),
        ...f.added.map((name) => row('lambda added', name, NONE, 'added')),
        ...f.removed.map((name) => row('lambda removed', name, 'present', NONE)),
    ];
    const lines = ['| Change | Name | Running now | This revision |', '|---|---|---|---|'];
    for (const [change, name, from, to] of rows.slice(0, MAX_ROWS)) {
        lines.push(`| ${change} | ${escapeCell(name) || NONE} | ${escapeCell(from) || NONE} | ${escapeCell(to) || NONE} |`);
    }
    if (rows.length > MAX_ROWS)
        lines.push('', `…and ${rows.length - MAX_ROWS} more changes.`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/push/summary.ts





/** The job summary must stay far below GitHub's 1 MiB per step. */
const summary_MAX_ROWS = 100;
const sum = (objects) => objects.reduce((n, o) => n + o.size, 0);
/** Pure: the markdown job summary of a push. */
function renderPushSummary(report, ctx) {
    const lines = [];
    const title = report.dryRun ? 'Ion push (dry run)' : 'Ion push';
    lines.push(`## ${title}: \`${report.appName}\` revision \`${report.rev}\``, '');
    lines.push(report.reproducible
        ? `Reproducible: built from commit \`${report.commit}\` with a clean tree and no local dependencies.`
        : `**Unreproducible** (uname): the code differs from commit \`${report.commit ?? 'none'}\`; the revision name is the only handle on it.`, '');
    const verb = report.dryRun ? 'Would upload' : 'Uploaded';
    lines.push('| | objects | bytes |', '|---|---:|---:|');
    lines.push(`| ${verb} | ${report.uploaded.length} | ${formatBytes(sum(report.uploaded))} |`);
    lines.push(`| Already in the bucket | ${report.reused.length} | ${formatBytes(sum(report.reused))} |`);
    lines.push(`| Classpath entries | ${report.entries.length} | ${formatBytes(report.entries.reduce((n, e) => n + e.size, 0))} |`, '');
    // A dry run may have no bucket: show the key alone rather than an `s3:///…` that points nowhere.
    const bundle = report.bucket ? code(`s3://${report.bucket}/${report.bundleKey}`) : `${code(report.bundleKey)} (no bucket given)`;
    lines.push(`Bundle: ${bundle}${report.dryRun ? ' (not written)' : report.bundleUploaded ? '' : ' (unchanged)'}`, '');
    if (report.uploaded.length) {
        const uploadedKeys = new Set(report.uploaded.map((o) => o.key));
        const rows = report.entries.filter((e) => uploadedKeys.has(e.key));
        lines.push(`<details><summary>${verb} ${report.uploaded.length} objects</summary>`, '');
        lines.push('| entry | kind | size | key |', '|---|---|---:|---|');
        for (const e of rows.slice(0, summary_MAX_ROWS))
            lines.push(`| ${escapeCell(e.origin)} | ${e.kind} | ${formatBytes(e.size)} | \`${e.key}\` |`);
        if (rows.length > summary_MAX_ROWS)
            lines.push(`| … ${rows.length - summary_MAX_ROWS} more | | | |`);
        lines.push('', '</details>', '');
    }
    if (report.manifest.lambdas.length) {
        lines.push('Lambdas (proxies are named `<group>_<name>` when deployed): ' +
            report.manifest.lambdas.map((l) => `\`${l.name}\` → \`${l.fn}\``).join(', '), '');
    }
    lines.push(...groupDiffSection(report));
    lines.push(...conflictSection(report.conflicts));
    if (report.skipped.length) {
        lines.push('**Skipped:**', ...report.skipped.map((s) => `- ${s}`), '');
    }
    if (report.groups?.length) {
        lines.push('### Deploy', '', 'Paste into a workflow to deploy this revision:', '');
        for (const group of report.groups) {
            lines.push('```yaml', `- uses: ${ctx.actionRef.replace(/\/push@/, '/deploy@')}`, '  with:', `    group: ${group}`, `    rev: ${report.rev}`, `    app-name: ${report.appName}`, `    bucket: ${report.bucket || 'my-ion-code  # the bucket push uploads to'}`, `    state-machine-arn: \${{ vars.ION_DEPLOY_STATE_MACHINE_ARN }}`, '```', '');
        }
    }
    else if (report.groups) {
        lines.push(`No deployment groups exist for \`${report.appName}\` yet; create one to deploy (see docs/infra.md).`, '');
    }
    return lines.join('\n');
}
/** Groups whose diff is shown in full; the others get one line each. */
const GROUPS_IN_FULL = 3;
/** What this revision changes on each group compared: a table for the first few, a line for the rest. */
function groupDiffSection(report) {
    if (report.groupDiffs.length === 0)
        return [];
    const lines = ['### What this revision changes', ''];
    report.groupDiffs.forEach((d, i) => {
        const group = code(d.group);
        if (d.state === 'none')
            lines.push(`- ${group}: no successful deployment yet, so everything is new there.`, '');
        else if (d.state === 'unreadable')
            lines.push(`- ${group}: cannot tell what it runs (${escapeCell(d.reason)}).`, '');
        else if (i >= GROUPS_IN_FULL || d.diff.same) {
            lines.push(`- ${group} runs ${code(d.rev)}: ${escapeCell(d.diff.same ? 'no change in libraries, project paths or lambdas' : diffOneLine(d.diff))}`, '');
        }
        else {
            lines.push(`${group} runs ${code(d.rev)} (deployment ${code(d.deploymentId)}):`, '', revisionDiffTable(d.diff), '');
        }
    });
    const shortened = report.groupDiffs.slice(GROUPS_IN_FULL).filter((d) => d.state === 'running' && !d.diff.same).length;
    if (shortened > 0)
        lines.push(`${shortened} more group${shortened === 1 ? '' : 's'} shown in one line only; the log has the same lines.`, '');
    if (report.groupDiffsSkipped > 0)
        lines.push(`${report.groupDiffsSkipped} more groups not compared (push compares the first 20).`, '');
    return lines;
}
/** Conflict groups shown at most; the log has every one. */
const MAX_CONFLICT_ROWS = 50;
/** Names listed per row. */
const NAMES_PER_ROW = 5;
/** Every set of entries that provide the same namespaces or classes, and which one wins. */
function conflictSection(groups) {
    if (groups.length === 0)
        return [];
    const lines = [
        '### Dependency conflicts',
        '',
        `${conflictCount(groups) === 1 ? '1 namespace or class is' : `${conflictCount(groups)} namespaces and classes are`} provided by more than one classpath entry; the first entry on the classpath wins (the output \`dependency-conflicts\` lists them as JSON).`,
        '',
        '| Entries (classpath order) | Wins | Namespaces | Classes |',
        '|---|---|---|---|',
    ];
    const names = (list) => list.length === 0
        ? '—'
        : `${list.length}: ${list.slice(0, NAMES_PER_ROW).map(escapeCell).join(', ')}${list.length > NAMES_PER_ROW ? ', …' : ''}`;
    for (const g of groups.slice(0, MAX_CONFLICT_ROWS)) {
        lines.push(`| ${g.entries.map(escapeCell).join('<br>')} | ${escapeCell(g.winner)} | ${names(g.namespaces)} | ${names(g.classes)} |`);
    }
    if (groups.length > MAX_CONFLICT_ROWS)
        lines.push('', `…and ${groups.length - MAX_CONFLICT_ROWS} more sets of entries, in the log.`);
    lines.push('');
    return lines;
}

;// CONCATENATED MODULE: ./src/push/run.ts





















async function run(env = process.env) {
    const log = new PushLog();
    try {
        const parsed = parsePushInputs(undefined, env.GITHUB_WORKSPACE ?? process.cwd());
        if ('problems' in parsed)
            throw (0,input_rules/* inputProblemsError */.b)(parsed.problems);
        const { inputs } = parsed;
        // What earlier pushes on this machine learnt about its jars (hashes, entry names): see jar-cache.ts.
        const jarCache = jarCacheDir(env, (0,external_node_os_.homedir)());
        const loadingJarCache = loadJarCache(jarCache);
        const ports = await connectAws(inputs, pushEnvironment(env, (0,external_node_os_.homedir)()));
        await loadingJarCache;
        const report = await pushRevision({
            projectDir: inputs.projectDir,
            aliases: inputs.aliases,
            classpath: inputs.classpath,
            uname: inputs.uname,
            bucket: inputs.bucket,
            prefix: inputs.prefix,
            dryRun: inputs.dryRun,
        }, ports, log.handle).finally(() => {
            const unsaved = saveJarCache(jarCache);
            if (unsaved)
                core/* debug */.Yz(`The jar cache was not saved (the next push reads its jars again): ${(0,inert_text/* inertOneLine */.f4)(unsaved)}`);
        });
        setOutputs(report);
        await core/* summary */.z.addRaw(renderPushSummary(report, { actionRef: actionRef(env) })).write();
        log.finished(report);
    }
    catch (err) {
        if (err instanceof core_problems/* UserError */.y)
            log.failed(err.message, err.problems);
        // Already says which objects failed, why and what to do; its stack would only be noise.
        else if (err instanceof SyncFailedError)
            log.failed(err.message);
        else
            log.failed(explainAwsError(err));
    }
}
/** Builds the AWS ports; in a dry run without credentials (a fork's pull request) they are null, and S3's without a bucket. */
async function connectAws(inputs, environment) {
    const s3 = createS3Client({ region: inputs.region });
    const codedeploy = createCodeDeployClient({ region: inputs.region });
    if (!(await hasCredentials(s3))) {
        if (!inputs.dryRun) {
            throw new core_problems/* UserError */.y('No AWS credentials: add aws-actions/configure-aws-credentials before this step, or set dry-run: true to only validate.');
        }
        core/* info */.pq('No AWS credentials: validating only (S3 and CodeDeploy checks are skipped).');
        return { objects: null, bundles: null, registry: null, environment };
    }
    const bucketed = inputs.bucket !== '';
    return {
        objects: bucketed ? new S3ObjectStore(s3, inputs.bucket) : null,
        bundles: bucketed ? new S3BundleStore(s3, inputs.bucket) : null,
        objectIndex: bucketed ? new S3ObjectIndex(s3, inputs.bucket) : null,
        registry: new CodeDeployRevisionRegistry(codedeploy),
        // Read-only, for what the revision changes on each group: also in a dry run, with or without a bucket.
        running: new CodeDeployRunningManifests(codedeploy, s3),
        environment,
    };
}
function setOutputs(report) {
    const bytes = (objects) => String(objects.reduce((n, o) => n + o.size, 0));
    core/* setOutput */.uH('rev', report.rev);
    core/* setOutput */.uH('reproducible', String(report.reproducible));
    core/* setOutput */.uH('app-name', report.appName);
    core/* setOutput */.uH('bundle', report.bucket ? `s3://${report.bucket}/${report.bundleKey}` : '');
    core/* setOutput */.uH('uploaded-files', String(report.uploaded.length));
    core/* setOutput */.uH('uploaded-bytes', bytes(report.uploaded));
    core/* setOutput */.uH('reused-files', String(report.reused.length));
    core/* setOutput */.uH('reused-bytes', bytes(report.reused));
    core/* setOutput */.uH('deploy-groups', JSON.stringify(report.groups ?? []));
    core/* setOutput */.uH('dependency-conflicts', JSON.stringify(conflictItems(report.conflicts)));
}
function actionRef(env) {
    const repo = env.GITHUB_ACTION_REPOSITORY;
    const ref = env.GITHUB_ACTION_REF;
    return repo ? `${repo}/push@${ref || 'v1'}` : 'OWNER/ion-actions/push@v1';
}


/***/ })

};
