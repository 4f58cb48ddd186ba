export const id = 46;
export const ids = [46];
export const modules = {

/***/ 9046:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
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

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
;// CONCATENATED MODULE: ./src/core/sdk-errors.ts
const errorName = (err) => {
    const e = err;
    return e?.name ?? e?.code ?? e?.Code ?? 'Error';
};
/** Whether the error is one of these service errors (by name, or by the code some S3 errors carry instead). */
const sdk_errors_hasErrorName = (err, ...names) => {
    const e = err;
    return names.some((n) => e?.name === n || e?.Code === n || e?.code === n);
};
/** The error's message, or its text when it is not an Error. */
const errorMessage = (err) => err?.message ?? String(err);
/** The HTTP status an SDK error carries, if any. */
const sdk_errors_httpStatus = (err) => err?.$metadata?.httpStatusCode;
/** `Name (HTTP nnn): message` in one line, for messages that then say what to do next. */
function describeError(err) {
    const name = errorName(err);
    const status = sdk_errors_httpStatus(err);
    const message = errorMessage(err).replace(/\s+/g, ' ').trim();
    const head = status === undefined ? name : `${name} (HTTP ${status})`;
    // Errors without a body (HeadObject's) have only the status name, or UnknownError, as their message.
    return message && message !== name && message !== 'UnknownError' ? `${head}: ${message}` : head;
}

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
        if (sdk_errors_hasErrorName(err, 'DeploymentGroupDoesNotExistException') || sdk_errors_hasErrorName(err, 'ApplicationDoesNotExistException'))
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
        const page = await client.send(new dist_cjs/* ListDeploymentsCommand */.sr8({ applicationName: app, deploymentGroupName: group, includeOnlyStatuses: ['Succeeded'], nextToken }));
        const ids = page.deployments ?? [];
        for (let i = 0; i < ids.length && found.length < limit; i += BATCH) {
            const out = await client.send(new dist_cjs/* BatchGetDeploymentsCommand */.ARk({ deploymentIds: ids.slice(i, i + BATCH) }));
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

;// CONCATENATED MODULE: ./src/aws/codedeploy-deployments.ts



/** The deploy's CodeDeploy port over the SDK (endpoint from AWS_ENDPOINT_URL_CODEDEPLOY when set). */
class CodeDeployDeployments {
    client;
    constructor(client) {
        this.client = client;
    }
    async getApplicationRevision(request) {
        try {
            const out = await this.client.send(new dist_cjs/* GetApplicationRevisionCommand */.dpB({
                applicationName: request.applicationName,
                revision: { revisionType: 'S3', s3Location: { bucket: request.bucket, key: request.key, bundleType: 'zip', eTag: request.eTag } },
            }));
            return { found: true, registeredAt: out.revisionInfo?.registerTime };
        }
        catch (err) {
            if (sdk_errors_hasErrorName(err, 'ApplicationDoesNotExistException'))
                return { found: false, missing: 'application' };
            if (sdk_errors_hasErrorName(err, 'RevisionDoesNotExistException'))
                return { found: false, missing: 'revision' };
            throw err;
        }
    }
    async deploymentGroupExists(applicationName, groupName) {
        try {
            await this.client.send(new dist_cjs/* GetDeploymentGroupCommand */.WOp({ applicationName, deploymentGroupName: groupName }));
            return true;
        }
        catch (err) {
            if (sdk_errors_hasErrorName(err, 'DeploymentGroupDoesNotExistException'))
                return false;
            throw err;
        }
    }
    listDeploymentGroups(applicationName) {
        return listDeploymentGroups(this.client, applicationName);
    }
    async getDeployment(deploymentId) {
        const out = await this.client.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }));
        const d = out.deploymentInfo ?? {};
        const o = d.deploymentOverview ?? {};
        const s3 = d.revision?.revisionType === 'S3' ? d.revision.s3Location : undefined;
        return {
            deploymentId,
            status: (d.status ?? 'Created'),
            overview: {
                Pending: o.Pending ?? 0,
                InProgress: o.InProgress ?? 0,
                Succeeded: o.Succeeded ?? 0,
                Failed: o.Failed ?? 0,
                Skipped: o.Skipped ?? 0,
                Ready: o.Ready ?? 0,
            },
            applicationName: d.applicationName,
            deploymentGroupName: d.deploymentGroupName,
            createTime: d.createTime,
            completeTime: d.completeTime,
            errorInformation: d.errorInformation ? { code: d.errorInformation.code, message: d.errorInformation.message } : undefined,
            revision: s3?.bucket && s3.key ? { bucket: s3.bucket, key: s3.key, ...(s3.eTag ? { eTag: s3.eTag } : {}) } : undefined,
            creator: d.creator,
            autoRollback: d.autoRollbackConfiguration
                ? { enabled: d.autoRollbackConfiguration.enabled === true, events: d.autoRollbackConfiguration.events ?? [] }
                : undefined,
            rollbackInfo: d.rollbackInfo
                ? {
                    rollbackDeploymentId: d.rollbackInfo.rollbackDeploymentId,
                    rollbackTriggeringDeploymentId: d.rollbackInfo.rollbackTriggeringDeploymentId,
                    rollbackMessage: d.rollbackInfo.rollbackMessage,
                }
                : undefined,
        };
    }
    async listTargetIds(deploymentId, statuses) {
        const ids = [];
        const targetFilters = statuses ? { TargetStatus: statuses } : undefined;
        // The SDK has no paginator for ListDeploymentTargets.
        let nextToken;
        do {
            const page = await this.client.send(new dist_cjs/* ListDeploymentTargetsCommand */.$9V({ deploymentId, targetFilters, nextToken }));
            ids.push(...(page.targetIds ?? []));
            nextToken = page.nextToken;
        } while (nextToken);
        return ids;
    }
    async batchGetTargets(deploymentId, targetIds) {
        if (targetIds.length === 0)
            return [];
        const out = await this.client.send(new dist_cjs/* BatchGetDeploymentTargetsCommand */.Bsg({ deploymentId, targetIds }));
        const snapshots = [];
        for (const target of out.deploymentTargets ?? []) {
            // EC2/on-premises deployments (what Ions run on) report instanceTarget.
            const t = target.instanceTarget;
            if (!t?.targetId)
                continue;
            snapshots.push({
                targetId: t.targetId,
                status: (t.status ?? 'Unknown'),
                lastUpdatedAt: t.lastUpdatedAt,
                lifecycleEvents: (t.lifecycleEvents ?? []).map((e) => ({
                    name: e.lifecycleEventName ?? '?',
                    status: (e.status ?? 'Unknown'),
                    startTime: e.startTime,
                    endTime: e.endTime,
                    diagnostics: e.diagnostics
                        ? {
                            errorCode: e.diagnostics.errorCode,
                            scriptName: e.diagnostics.scriptName,
                            message: e.diagnostics.message,
                            logTail: e.diagnostics.logTail,
                        }
                        : undefined,
                })),
            });
        }
        return snapshots;
    }
    async stopDeployment(deploymentId, autoRollback) {
        await this.client.send(new dist_cjs/* StopDeploymentCommand */.NzN({ deploymentId, autoRollbackEnabled: autoRollback }));
    }
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
    return new client_s3_dist_cjs/* S3Client */.YxF({
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
const isNotFound = (err) => sdk_errors_httpStatus(err) === 404 || sdk_errors_hasErrorName(err, 'NotFound', 'NoSuchKey');
/** 403. Without s3:ListBucket, a missing key answers 403 rather than 404. */
const isForbidden = (err) => sdk_errors_httpStatus(err) === 403 || sdk_errors_hasErrorName(err, 'Forbidden', 'AccessDenied');
/** 412 to a conditional write (If-None-Match: *): the key already exists. */
const isPreconditionFailed = (err) => httpStatus(err) === 412 || hasErrorName(err, 'PreconditionFailed');
/** 409 ConditionalRequestConflict: a concurrent conditional write to the same key; retrying settles it. */
const isConditionalConflict = (err) => hasErrorName(err, 'ConditionalRequestConflict');
/**
 * S3 returns ETags quoted ("\"abc\""); CodeDeploy's S3Location.eTag wants the bare value, as
 * `aws deploy push` sends it (it strips the quotes).
 */
const bareETag = (eTag) => eTag?.replace(/"/g, '');

;// CONCATENATED MODULE: ./src/aws/deploy-bundle-download.ts


/** Downloads revision bundles (small: ion-manifest.json and the instance hooks) to read their manifest. */
class S3BundleDownload {
    client;
    constructor(client) {
        this.client = client;
    }
    async getBundle(bucket, key) {
        try {
            const out = await this.client.send(new client_s3_dist_cjs/* GetObjectCommand */.jLs({ Bucket: bucket, Key: key }));
            const bytes = Buffer.from(await out.Body.transformToByteArray());
            return { bytes, eTag: bareETag(out.ETag) };
        }
        catch (err) {
            if (isNotFound(err))
                return null;
            throw err;
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/s3-object-presence.ts



/** Deploy's check that a revision's objects exist: one HeadObject each (authorised as s3:GetObject). */
class S3ObjectPresence {
    client;
    constructor(client) {
        this.client = client;
    }
    async objectSize(bucket, key) {
        try {
            const head = await this.client.send(new client_s3_dist_cjs/* HeadObjectCommand */.l81({ Bucket: bucket, Key: key }));
            return head.ContentLength ?? null;
        }
        catch (err) {
            if (isNotFound(err))
                return null;
            // 403 is "missing" only with s3:ListBucket missing too; never guess: say what to grant.
            const advice = isForbidden(err)
                ? ' Allow the role s3:GetObject on the objects (and s3:ListBucket on the bucket, so that a missing object answers 404).'
                : '';
            throw new Error(`Could not check s3://${bucket}/${key}: ${describeError(err)}.${advice}`, { cause: err });
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/credential-expiry.ts
/** null when no credentials could be resolved (the caller reports that on its own). */
async function credentialLifetime(client) {
    try {
        const creds = await client.config.credentials();
        if (!creds)
            return null;
        return { expiration: creds.expiration, session: Boolean(creds.sessionToken) || creds.expiration !== undefined };
    }
    catch {
        return null;
    }
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
    const status = sdk_errors_httpStatus(err);
    if (/Region is missing/i.test(message))
        return "No AWS region: set the `region` input or configure-aws-credentials' aws-region.";
    if (sdk_errors_hasErrorName(err, 'CredentialsProviderError') || /Could not load credentials/i.test(message)) {
        return 'No usable AWS credentials: add aws-actions/configure-aws-credentials before this step.';
    }
    if (sdk_errors_hasErrorName(err, 'AccessDenied', 'AccessDeniedException') || status === 403) {
        return `AWS denied access (${describeError(err)}). Give the workflow's role the permissions listed in docs/infra.md.`;
    }
    if (sdk_errors_hasErrorName(err, 'NoSuchBucket'))
        return `${describeError(err)}: check the \`bucket\` input and the region.`;
    if (status !== undefined)
        return describeError(err);
    // Not from AWS: most likely a bug of ours, so keep the stack for the report.
    return err?.stack ?? `${errorName(err)}: ${message}`;
}

// EXTERNAL MODULE: ./node_modules/@smithy/core/dist-cjs/submodules/retry/index.js
var retry = __webpack_require__(3609);
;// CONCATENATED MODULE: ./src/aws/poll-errors.ts


/**
 * What a failed read-only poll (GetExecutionHistory, DescribeExecution, GetDeployment, …) means for the
 * deploy, told from the SDK's error. The SDK has already retried what it retries (3 attempts); this
 * decides whether the deploy waits and polls again, ends because the credentials expired, or stops.
 *
 * The SDK's own classifiers (@smithy/core/retry, the code behind its retry strategy) decide throttling
 * and transient errors: throttling codes and 429, 500/502/503/504, timeouts, ECONNRESET, ECONNREFUSED,
 * EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ENOTFOUND, EAI_AGAIN. What they leave out and a poll can
 * safely wait out is added here: any other 5xx, ECONNABORTED and EPROTO (a proxy or TLS middlebox
 * cutting in), and an answer the SDK could not parse (a truncated or HTML `200`: the SDK throws a
 * SyntaxError carrying the response's `$metadata` and does not retry it). A read-only call can always
 * be repeated, so none of these is a reason to abandon a deploy that is still running.
 */
const MORE_NETWORK_CODES = new Set(['ECONNABORTED', 'EPROTO', 'ECONNRESET', 'EPIPE']);
/** The token or the signature's credentials ran out: waiting does not help, fresh credentials do. */
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
function classifyPollError(err) {
    const name = errorName(err);
    if (EXPIRED_CREDENTIALS.has(name))
        return { kind: 'credentials-expired', description: describeError(err) };
    if (isGarbledAnswer(err)) {
        return {
            kind: 'transient',
            description: `an answer that is not valid JSON (HTTP ${sdk_errors_httpStatus(err) ?? '?'}): ${firstLine(err.message)}`,
        };
    }
    // The SDK's classifiers take its own error type; they read only name, code, $metadata and $retryable.
    const sdkError = err;
    if (err !== null && typeof err === 'object') {
        if ((0,retry.isThrottlingError)(sdkError))
            return { kind: 'throttled', description: describeError(err) };
        if ((0,retry.isTransientError)(sdkError))
            return { kind: 'transient', description: describeError(err) };
    }
    const status = sdk_errors_httpStatus(err);
    if (status !== undefined && status >= 500)
        return { kind: 'transient', description: describeError(err) };
    if (isNetworkDrop(err))
        return { kind: 'transient', description: describeError(err) };
    return { kind: 'fatal', description: describeError(err) };
}
/** A response arrived but could not be read as the protocol's JSON: the SDK's deserializer threw. */
function isGarbledAnswer(err) {
    const e = err;
    if (!e || typeof e !== 'object')
        return false;
    const fromResponse = e.$metadata !== undefined || e.$response !== undefined;
    return fromResponse && (e.name === 'SyntaxError' || /Deserialization error/i.test(e.message ?? ''));
}
/** Node's socket errors, also when wrapped in an error's `cause` ("socket hang up" is ECONNRESET). */
function isNetworkDrop(err, depth = 0) {
    const e = err;
    if (!e || typeof e !== 'object' || depth > 5)
        return false;
    if (MORE_NETWORK_CODES.has(e.code ?? '') || /socket hang up/i.test(e.message ?? ''))
        return true;
    return isNetworkDrop(e.cause, depth + 1);
}
const firstLine = (text) => (text ?? '').split('\n')[0].trim();

;// CONCATENATED MODULE: ./src/aws/request-pacing.ts
/**
 * Every HTTP request the client sends first takes a call from the budget: retries and further pages
 * too, so the budget counts what AWS sees, not the port calls that asked for them. Added after the
 * SDK's retry middleware (finalizeRequest, low priority), it runs once per attempt.
 */
// biome-ignore lint/suspicious/noExplicitAny: each client has its own input union; the middleware never looks at the input.
function paceRequests(client, budget) {
    client.middlewareStack.add((next) => async (args) => {
        await budget.take();
        return next(args);
    }, { step: 'finalizeRequest', priority: 'low', name: 'ionActionsCallBudget' });
    return client;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sfn/dist-cjs/index.js
var client_sfn_dist_cjs = __webpack_require__(8476);
;// CONCATENATED MODULE: ./src/aws/sfn-executions.ts



/** The deploy's Step Functions port over the SDK (endpoint from AWS_ENDPOINT_URL_SFN when set). */
class SfnExecutions {
    client;
    constructor(client) {
        this.client = client;
    }
    async startExecution(request) {
        const out = await this.client.send(new client_sfn_dist_cjs/* StartExecutionCommand */.MX_(request));
        return { executionArn: out.executionArn, startDate: out.startDate ?? new Date() };
    }
    async describeExecution(executionArn) {
        try {
            const out = await this.client.send(new client_sfn_dist_cjs/* DescribeExecutionCommand */.tVP({ executionArn }));
            return {
                executionArn: out.executionArn ?? executionArn,
                stateMachineArn: out.stateMachineArn ?? '',
                name: out.name ?? '',
                status: out.status ?? 'RUNNING',
                startDate: out.startDate ?? new Date(0),
                stopDate: out.stopDate,
                input: out.input,
                output: out.output,
                error: out.error,
                cause: out.cause,
            };
        }
        catch (err) {
            if (sdk_errors_hasErrorName(err, 'ExecutionDoesNotExist'))
                return null;
            throw err;
        }
    }
    async listRunningExecutions(stateMachineArn) {
        const found = [];
        for await (const page of (0,client_sfn_dist_cjs/* paginateListExecutions */.Xib)({ client: this.client }, { stateMachineArn, statusFilter: 'RUNNING', maxResults: 100 })) {
            for (const e of page.executions ?? []) {
                if (e.executionArn)
                    found.push({ executionArn: e.executionArn, name: e.name ?? '', startDate: e.startDate ?? new Date(0) });
            }
        }
        return found;
    }
    async getHistoryPage(request) {
        const out = await this.client.send(new client_sfn_dist_cjs/* GetExecutionHistoryCommand */.eXg({ ...request, includeExecutionData: true }));
        return { events: (out.events ?? []).map(toHistoryEvent), nextToken: out.nextToken };
    }
    async stopExecution(request) {
        await this.client.send(new client_sfn_dist_cjs/* StopExecutionCommand */.WP$(request));
    }
}
/** Folds the event's one `*EventDetails` member into the core's flat shape. */
function toHistoryEvent(event) {
    const result = {
        id: event.id ?? 0,
        previousEventId: event.previousEventId,
        type: event.type ?? 'Unknown',
        timestamp: event.timestamp ?? new Date(0),
    };
    for (const [key, value] of Object.entries(event)) {
        if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object')
            continue;
        const d = value;
        if (d.name !== undefined && (key === 'stateEnteredEventDetails' || key === 'stateExitedEventDetails'))
            result.stateName = d.name;
        result.data = d.output ?? d.input ?? result.data;
        if (d.resource !== undefined)
            result.resource = d.resourceType ? `${d.resourceType}:${d.resource}` : d.resource;
        if (d.error !== undefined)
            result.error = d.error;
        if (d.cause !== undefined)
            result.cause = d.cause;
    }
    return result;
}
const createSfnClient = (opts) => new client_sfn_dist_cjs/* SFNClient */.ZIB({ region: opts.region || undefined, requestHandler: HTTP_TIMEOUTS });

;// CONCATENATED MODULE: ./src/core/deploy/clock.ts
const systemClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
/**
 * A clock running `scale` times faster than real time from `epoch` on. Two processes given the same
 * epoch and scale agree on the time, which is how the fake AWS servers and the action share a script.
 */
function scaledClock(epoch, scale) {
    return {
        now: () => epoch + (Date.now() - epoch) * scale,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / scale)),
    };
}
/** Where a harness that starts the built action puts another clock (local-cloud/scaled-clock.mjs). */
const CLOCK_SLOT = Symbol.for('ion-actions.clock');
/**
 * The clock the action runs on: the system's, unless the process was started with a clock already in
 * CLOCK_SLOT (the tests and the benchmark preload a scaled one). Not an input nor a variable on purpose:
 * nothing a workflow sets can change the action's sense of time.
 */
function injectedClock() {
    const slot = globalThis[CLOCK_SLOT];
    return slot ?? systemClock;
}
/** `[mm:ss]` (or `[h:mm:ss]`) elapsed since `from`. */
function formatElapsed(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const mm = String(m).padStart(2, '0');
    const ss = String(s).padStart(2, '0');
    return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
/** A human duration: `850ms`, `4.2s`, `3m 05s`, `1h 02m`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.max(0, Math.round(ms))}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const totalS = Math.round(ms / 1000);
    if (totalS < 3600)
        return `${Math.floor(totalS / 60)}m ${String(totalS % 60).padStart(2, '0')}s`;
    return `${Math.floor(totalS / 3600)}h ${String(Math.floor((totalS % 3600) / 60)).padStart(2, '0')}m`;
}

;// CONCATENATED MODULE: ./src/core/deploy/console-links.ts
/** Links to the AWS console pages of an execution and a deployment. */
/** The region an ARN names (`arn:aws:states:us-east-1:…`), or undefined. */
const regionOfArn = (arn) => /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]+):/.exec(arn)?.[1] || undefined;
const consoleHost = (region) => region.startsWith('cn-')
    ? `https://${region}.console.amazonaws.cn`
    : region.startsWith('us-gov-')
        ? `https://${region}.console.amazonaws-us-gov.com`
        : `https://${region}.console.aws.amazon.com`;
const executionConsoleUrl = (executionArn, region = regionOfArn(executionArn)) => region ? `${consoleHost(region)}/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}` : undefined;
const deploymentConsoleUrl = (deploymentId, region) => region ? `${consoleHost(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${region}` : undefined;

;// CONCATENATED MODULE: ./src/core/layout.ts
const layout_objectKey = (prefix, sha256, packaging) => `${joinPrefix(prefix)}objects/${sha256}.${packaging === 'jar' ? 'jar' : 'zip'}`;
const bundleKey = (prefix, appName, rev) => `${joinPrefix(prefix)}${appName}/revisions/${rev}.zip`;
/** bundleKey's inverse: `…/revisions/<rev>.zip` → `<rev>`; any other key is its own name (deployed by something else). */
const revOfBundleKey = (key) => /(?:^|\/)revisions\/([^/]+)\.zip$/.exec(key)?.[1] ?? key;
const joinPrefix = (prefix) => {
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    return trimmed === '' ? '' : `${trimmed}/`;
};

// EXTERNAL MODULE: ./src/core/problems.ts
var core_problems = __webpack_require__(8155);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var node_modules_yauzl = __webpack_require__(663);
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
        node_modules_yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
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

;// CONCATENATED MODULE: ./src/core/edn/nodes.ts
/** The EDN node tree: every value remembers where its first character is, so callers can point at it. */
/** `ns/name` or `name` (no leading colon for keywords). */
const qualifiedName = (node) => node.namespace === null ? node.name : `${node.namespace}/${node.name}`;

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

;// CONCATENATED MODULE: ./src/core/deploy/contract.ts
const EXECUTION_INPUT_VERSION = 1;

;// CONCATENATED MODULE: ./src/core/deploy/execution-input.ts


/** The document the state machine receives (docs/deploy-contract.md). */
function buildExecutionInput(p) {
    return {
        version: EXECUTION_INPUT_VERSION,
        appName: p.appName,
        group: p.group,
        rev: p.rev,
        bundle: { bucket: p.bucket, key: p.key, ...(p.eTag ? { eTag: p.eTag } : {}) },
        lambdas: p.manifest.lambdas.map((l) => ({ ...l, functionName: lambdaFunctionName(p.group, l.name) })),
        github: p.github,
    };
}
/** Lambda function names this group would get that AWS refuses (over 64 characters). */
const overlongFunctionNames = (input) => input.lambdas.map((l) => l.functionName).filter((name) => name.length > LAMBDA_FUNCTION_NAME_MAX);
/** Reads the execution's input back (another deploy's), to tell which group it deploys. */
function readExecutionTarget(input) {
    if (!input)
        return null;
    try {
        const parsed = JSON.parse(input);
        if (!parsed || typeof parsed !== 'object' || typeof parsed.group !== 'string')
            return null;
        return { group: parsed.group, appName: typeof parsed.appName === 'string' ? parsed.appName : undefined };
    }
    catch {
        return null;
    }
}
/** The state machine's output, checked against the contract; `problem` says how it falls short. */
function readExecutionOutput(output) {
    if (!output)
        return { output: {}, problem: 'the execution has no output' };
    let parsed;
    try {
        parsed = JSON.parse(output);
    }
    catch {
        return { output: {}, problem: 'the execution output is not JSON' };
    }
    const o = (parsed ?? {});
    const result = {};
    const problems = [];
    if (typeof o.DeploymentId === 'string')
        result.DeploymentId = o.DeploymentId;
    else
        problems.push('no DeploymentId string');
    if (Array.isArray(o.Lambdas) && o.Lambdas.every((l) => typeof l === 'string'))
        result.Lambdas = o.Lambdas;
    else
        problems.push('no Lambdas array of strings');
    return { output: result, problem: problems.length ? `the execution output has ${problems.join(' and ')}` : undefined };
}

;// CONCATENATED MODULE: ./src/core/deploy/execution-name.ts
/**
 * Execution names: readable in the Step Functions console and unique per run attempt, e.g.
 * `my-compute-prod-1a2b3c4-9876543210-1` (group, short rev, run id, run attempt).
 *
 * Step Functions allows 80 characters and rejects whitespace, brackets and most punctuation; CloudWatch
 * logging wants only [A-Za-z0-9-_], so that is all we use. The name is deterministic on purpose:
 * StartExecution with the same name and input as a running execution returns that execution, so a
 * retried request cannot start a second deploy.
 */
const EXECUTION_NAME_MAX = 80;
const VALID = /^[A-Za-z0-9_-]{1,80}$/;
const clean = (s) => s
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
function executionName(parts) {
    const shortRev = /^[0-9a-f]{40}$/i.test(parts.rev) ? parts.rev.slice(0, 7) : clean(parts.rev).slice(0, 20) || 'rev';
    const run = parts.runId
        ? `${clean(parts.runId)}-${clean(parts.runAttempt ?? '') || '1'}`
        : `${parts.now
            .toISOString()
            .replace(/[-:]|\.\d+Z$/g, '')
            .replace('T', 't')}-${Math.floor(parts.random() * 0xffff)
            .toString(16)
            .padStart(4, '0')}`;
    const tail = `-${shortRev}-${run}${parts.collision ? `-${parts.collision}` : ''}`;
    // The group is the part people scan for, but the tail makes the name unique: shorten the group.
    const group = (clean(parts.group) || 'group').slice(0, Math.max(1, EXECUTION_NAME_MAX - tail.length));
    const name = `${group}${tail}`.slice(0, EXECUTION_NAME_MAX);
    if (!VALID.test(name))
        throw new Error(`bug: execution name ${JSON.stringify(name)} breaks the Step Functions rules`);
    return name;
}
const isValidExecutionName = (name) => VALID.test(name);

;// CONCATENATED MODULE: ./src/core/deploy/ports.ts
/**
 * What the deploy core needs from AWS, as narrow interfaces over plain data. The adapters in src/aws/
 * implement them with the SDK; tests can implement them with arrays.
 */
/** BatchGetDeploymentTargets takes at most 25 target ids. */
const BATCH_GET_TARGETS_MAX = 25;

;// CONCATENATED MODULE: ./src/core/deploy/deployment-tracker.ts

const TERMINAL_DEPLOYMENT = new Set(['Succeeded', 'Failed', 'Stopped']);
const TERMINAL_TARGET = new Set(['Succeeded', 'Failed', 'Skipped']);
const isTerminalDeployment = (status) => TERMINAL_DEPLOYMENT.has(status);
const isTerminalTarget = (status) => TERMINAL_TARGET.has(status);
/**
 * The overview is for the log's progress lines and the end, which nothing in progress announces
 * anyway: every 30 s is enough. Instances start when others finish, so that is when to look for them
 * (LIST_AFTER_FREED_MS); the periodic look only catches starts nothing announced.
 */
const DEFAULTS = { overviewEveryMs: 30_000, listEveryMs: 30_000 };
/**
 * After an instance finishes, look for the instances that start in its place: at once, then again
 * after each of these delays while none has been found (CodeDeploy starts the next one within a
 * second or two, or when the rest of the batch is done: then another instance finishes first).
 */
const LIST_AFTER_FREED_MS = [0, 1_000, 3_000];
/**
 * Follows one CodeDeploy deployment and reports each change once. Cheap per poll whatever the group's
 * size: it reads the lifecycle events of the instances in progress only (one BatchGetDeploymentTargets
 * per 25), lists every target once (the list does not change during a deployment), looks for newly
 * started instances (ListDeploymentTargets filtered on InProgress) when a slot frees up (see listDue),
 * and asks for the overview every ~30 s or when nothing is in progress.
 */
class DeploymentTracker {
    deploymentId;
    codedeploy;
    clock;
    targets = new Map();
    snapshot;
    inProgress = new Set();
    options;
    knowsAllTargets = false;
    /** poll() has returned the deployment-finished change (the last one). */
    reportedEnd = false;
    /** When an instance last finished (looking for its successors), and how many looks since. */
    freedAt;
    looksSinceFreed = 0;
    /**
     * Whether instances start while others are still in progress. A batched deploy (CodeDeploy waits for
     * the whole batch) starts none then: once looks after a finished instance found nothing, the next
     * batch is looked for when nothing is in progress, until a look finds a start while others run.
     */
    startsWhileBusy = true;
    listedAt = Number.NEGATIVE_INFINITY;
    overviewAt = Number.NEGATIVE_INFINITY;
    /** The shortest time an instance took from its first event's start to its last one's end. */
    quickestInstanceMs;
    /** The shortest time each lifecycle event took on the instances that finished it. */
    shortest = new Map();
    /** Changes seen but not yet returned: a poll that fails half-way keeps what it saw for the next one. */
    pending = [];
    constructor(deploymentId, codedeploy, clock, options = {}) {
        this.deploymentId = deploymentId;
        this.codedeploy = codedeploy;
        this.clock = clock;
        this.options = { ...DEFAULTS, ...options };
    }
    /** Nothing more to follow: the deployment ended and poll() has returned every instance's final state. */
    get fullyReported() {
        return this.reportedEnd;
    }
    /** CodeDeploy says the deployment ended (Succeeded, Failed, Stopped); its last results may not be read yet. */
    get deploymentEnded() {
        return this.snapshot !== undefined && isTerminalDeployment(this.snapshot.status);
    }
    async poll() {
        if (this.reportedEnd)
            return this.drain();
        const changes = this.pending;
        if (!this.deploymentEnded) {
            let overviewRead = false;
            if (!this.snapshot) {
                await this.readOverview(changes);
                overviewRead = true;
            }
            if (!this.knowsAllTargets) {
                // Instances are known once the deployment has started; every one of them is Pending at first.
                const ids = await this.codedeploy.listTargetIds(this.deploymentId);
                for (const id of ids)
                    this.know(id);
                this.knowsAllTargets = ids.length > 0;
            }
            if (!this.knowsAllTargets) {
                // Not started yet (Created, Queued): nothing to read per instance.
            }
            else if (this.listDue()) {
                const before = this.inProgress.size;
                // After a gap longer than the quickest instance took, an instance may have started and finished
                // unseen: finished ones are listed too, and read now, in their place in time, not at the end.
                const gap = this.quickestInstanceMs !== undefined && this.clock.now() - this.listedAt >= this.quickestInstanceMs;
                const ids = await this.codedeploy.listTargetIds(this.deploymentId, gap ? ['InProgress', 'Succeeded', 'Failed'] : ['InProgress']);
                for (const id of ids) {
                    this.know(id);
                    if (!isTerminalTarget(this.targets.get(id).status))
                        this.inProgress.add(id);
                }
                this.listedAt = this.clock.now();
                this.looksSinceFreed += 1;
                if (this.inProgress.size > before) {
                    // Found what started in the freed place: no more looks until the next instance finishes.
                    if (before > 0)
                        this.startsWhileBusy = true;
                    this.freedAt = undefined;
                }
                else if (this.looksSinceFreed >= LIST_AFTER_FREED_MS.length && before > 0) {
                    this.startsWhileBusy = false;
                }
            }
            await this.fetchTargets([...this.inProgress], changes);
            const suggestsEnd = this.inProgress.size === 0;
            if (!overviewRead && (suggestsEnd || this.clock.now() - this.overviewAt >= this.options.overviewEveryMs)) {
                await this.readOverview(changes);
                await this.readFinishedUnseen(changes);
            }
        }
        if (this.deploymentEnded) {
            // Report the final state of every instance not yet seen finished (skipped ones, fast ones).
            if (!this.knowsAllTargets) {
                for (const id of await this.codedeploy.listTargetIds(this.deploymentId))
                    this.know(id);
                this.knowsAllTargets = true;
            }
            const unsettled = [...this.targets.values()].filter((t) => !isTerminalTarget(t.status)).map((t) => t.targetId);
            await this.fetchTargets(unsettled, changes);
            const s = this.snapshot;
            changes.push({
                kind: 'deployment-finished',
                deploymentId: this.deploymentId,
                status: s.status,
                overview: s.overview,
                at: s.completeTime ?? new Date(this.clock.now()),
                errorInformation: s.errorInformation,
            });
            this.reportedEnd = true;
        }
        return this.drain();
    }
    /**
     * Whether to look for newly started instances on this poll: on the first, whenever nothing is in
     * progress (the next batch is due, or the end), after an instance finished (LIST_AFTER_FREED_MS),
     * and every listEveryMs.
     */
    listDue() {
        const now = this.clock.now();
        if (this.inProgress.size === 0 || now - this.listedAt >= this.options.listEveryMs)
            return true;
        if (this.freedAt === undefined || !this.startsWhileBusy)
            return false;
        const wait = LIST_AFTER_FREED_MS[this.looksSinceFreed];
        return wait !== undefined && now - this.freedAt >= wait;
    }
    /**
     * The earliest time something is likely to change: each instance in progress runs a lifecycle
     * event that took at least so long on every instance that finished it, so nothing changes on it
     * before its start plus that (a failing hook can end sooner: the follow loop caps what it makes of
     * this). Undefined when no such bound is known: an instance between events or in an event not seen
     * finished yet, an instance about to start (see listDue), or the deployment not started or ending.
     */
    quietUntil() {
        if (this.reportedEnd || !this.knowsAllTargets || this.inProgress.size === 0 || this.deploymentEnded)
            return undefined;
        const now = this.clock.now();
        if (this.freedAt !== undefined && this.startsWhileBusy && LIST_AFTER_FREED_MS[this.looksSinceFreed] !== undefined)
            return undefined;
        let until = Number.POSITIVE_INFINITY;
        for (const id of this.inProgress) {
            const running = this.targets.get(id)?.events.find((e) => e.status === 'InProgress');
            const shortest = running ? this.shortest.get(running.name) : undefined;
            if (!running?.startTime || shortest === undefined)
                return undefined;
            until = Math.min(until, running.startTime.getTime() + shortest);
        }
        return until > now ? until : undefined;
    }
    /**
     * An instance that started and finished between two polls was never seen in progress: when the
     * overview counts more finished instances than were seen, read those now, in their place in time,
     * not at the deployment's end after the instances that followed them. One list, only then.
     */
    async readFinishedUnseen(changes) {
        const overview = this.snapshot?.overview;
        if (!overview || !this.knowsAllTargets || isTerminalDeployment(this.snapshot.status))
            return;
        const seen = [...this.targets.values()].filter((t) => t.status === 'Succeeded' || t.status === 'Failed').length;
        if (overview.Succeeded + overview.Failed <= seen)
            return;
        const finished = await this.codedeploy.listTargetIds(this.deploymentId, ['Succeeded', 'Failed']);
        const unseen = finished.filter((id) => !isTerminalTarget(this.targets.get(id)?.status ?? 'Pending'));
        for (const id of unseen)
            this.know(id);
        await this.fetchTargets(unseen, changes);
    }
    drain() {
        // In the order things happened; the deployment's end always last.
        const key = (c) => (c.kind === 'deployment-finished' ? Number.POSITIVE_INFINITY : c.at.getTime());
        const out = this.pending.sort((a, b) => key(a) - key(b));
        this.pending = [];
        return out;
    }
    know(targetId) {
        if (!this.targets.has(targetId))
            this.targets.set(targetId, { targetId, status: 'Pending', events: [] });
    }
    async readOverview(changes) {
        const previous = this.snapshot;
        const next = await this.codedeploy.getDeployment(this.deploymentId);
        this.overviewAt = this.clock.now();
        this.snapshot = next;
        const same = previous && previous.status === next.status && sameOverview(previous.overview, next.overview);
        // The end is reported once, by deployment-finished (with the overview).
        if (!same && !isTerminalDeployment(next.status))
            changes.push({
                kind: 'deployment-progress',
                deploymentId: this.deploymentId,
                status: next.status,
                overview: next.overview,
                at: new Date(this.clock.now()),
            });
    }
    async fetchTargets(ids, changes) {
        for (let i = 0; i < ids.length; i += BATCH_GET_TARGETS_MAX) {
            const snapshots = await this.codedeploy.batchGetTargets(this.deploymentId, ids.slice(i, i + BATCH_GET_TARGETS_MAX));
            for (const snapshot of snapshots)
                this.update(snapshot, changes);
        }
    }
    update(snapshot, changes) {
        this.know(snapshot.targetId);
        const record = this.targets.get(snapshot.targetId);
        const base = { deploymentId: this.deploymentId, targetId: snapshot.targetId };
        for (const event of snapshot.lifecycleEvents) {
            let known = record.events.find((e) => e.name === event.name);
            if (!known) {
                known = { name: event.name, status: 'Pending' };
                record.events.push(known);
            }
            const changed = known.status !== event.status;
            Object.assign(known, { status: event.status, startTime: event.startTime, endTime: event.endTime, diagnostics: event.diagnostics });
            if (!changed || event.status === 'Pending')
                continue;
            const durationMs = event.startTime && event.endTime ? event.endTime.getTime() - event.startTime.getTime() : undefined;
            if (event.status === 'Succeeded' && durationMs !== undefined)
                this.shortest.set(event.name, Math.min(durationMs, this.shortest.get(event.name) ?? Number.POSITIVE_INFINITY));
            const at = event.status === 'InProgress' ? event.startTime : (event.endTime ?? event.startTime);
            changes.push({
                kind: 'lifecycle-event',
                ...base,
                event: event.name,
                status: event.status,
                at: at ?? snapshot.lastUpdatedAt ?? new Date(this.clock.now()),
                durationMs: event.status === 'InProgress' ? undefined : durationMs,
                diagnostics: event.status === 'Failed' ? event.diagnostics : undefined,
            });
        }
        const statusChanged = record.status !== snapshot.status;
        record.status = snapshot.status;
        record.lastUpdatedAt = snapshot.lastUpdatedAt;
        if (snapshot.status === 'InProgress') {
            this.inProgress.add(snapshot.targetId);
        }
        else if (this.inProgress.delete(snapshot.targetId)) {
            // A slot freed up: the next instance of a rolling deploy starts now.
            this.freedAt = this.clock.now();
            this.looksSinceFreed = 0;
        }
        if (statusChanged && isTerminalTarget(snapshot.status)) {
            const starts = record.events.map((e) => e.startTime?.getTime()).filter((t) => t !== undefined);
            const ends = record.events.map((e) => e.endTime?.getTime()).filter((t) => t !== undefined);
            const durationMs = starts.length && ends.length ? Math.max(...ends) - Math.min(...starts) : undefined;
            if (durationMs !== undefined && snapshot.status === 'Succeeded')
                this.quickestInstanceMs = Math.min(durationMs, this.quickestInstanceMs ?? Number.POSITIVE_INFINITY);
            const at = snapshot.lastUpdatedAt ?? (ends.length ? new Date(Math.max(...ends)) : new Date(this.clock.now()));
            changes.push({ kind: 'target-finished', ...base, status: snapshot.status, at, durationMs });
        }
    }
}
const sameOverview = (a, b) => a.Pending === b.Pending &&
    a.InProgress === b.InProgress &&
    a.Succeeded === b.Succeeded &&
    a.Failed === b.Failed &&
    a.Skipped === b.Skipped &&
    a.Ready === b.Ready;

;// CONCATENATED MODULE: ./src/core/deploy/execution-timeline.ts
/** Loops (wait → check → choice) visit states over and over: the log shows the first visits, counts the rest. */
const VISITS_SHOWN = 2;
/** Whether the log shows a line for the change (the visit after the shown ones gets one saying so). */
const isShown = (change) => (change.kind !== 'state-entered' && change.kind !== 'state-exited') || change.visit <= VISITS_SHOWN + 1;
const TERMINAL = {
    ExecutionSucceeded: 'SUCCEEDED',
    ExecutionFailed: 'FAILED',
    ExecutionAborted: 'ABORTED',
    ExecutionTimedOut: 'TIMED_OUT',
};
/** TaskFailed, LambdaFunctionTimedOut, …: a state's work failed (the execution's own end is TERMINAL). */
const FAILURE = /(Failed|TimedOut)$/;
// CodeDeploy deployment ids look like d-ABCDEFGH1; anything else named DeploymentId is not one we can follow.
const DEPLOYMENT_ID = /^d-[A-Za-z0-9]{5,}$/;
/**
 * Turns Step Functions history events into state transitions, in order, remembering what the job
 * summary needs. Knows the execution's start so it can tell how long each state took.
 */
class ExecutionTimeline {
    states = new Map();
    deploymentIds = [];
    terminal;
    /** States entered and not yet exited, most recent last (a failure event belongs to the last one). */
    open = [];
    /**
     * A failure, and the failed state's exit if a Catch wrote one, held back until the next event tells
     * whether the execution went on (handled) or failed (not): a first deploy's GetFunction →
     * ResourceNotFound → create path must not read like a problem.
     */
    held = [];
    apply(events) {
        const changes = [];
        for (const event of events)
            this.applyOne(event, changes);
        return changes;
    }
    /**
     * Until when the history will hold nothing new, when the execution sits in a Wait state it went
     * through before: a wait loop's Wait state (fixed `Seconds`) lasts as long on every visit, and
     * nothing else runs while it waits (only a stop or the execution's timeout could end it sooner).
     * The shortest earlier visit is the bound, so a wait of varying length is read no later than its
     * shortest. Undefined when nothing is known: a first visit, another state running, a failure held.
     */
    quietUntil() {
        return this.waiting()?.until;
    }
    /** The Wait state the execution sits in (see quietUntil): when it should end, and which visit it is. */
    waiting() {
        if (this.terminal || this.held.length || this.open.length !== 1)
            return undefined;
        const record = this.states.get(this.open[0]);
        if (!record?.waits || record.shortestVisitMs === undefined || record.result !== 'running')
            return undefined;
        return { until: record.lastEnteredAt.getTime() + record.shortestVisitMs, visit: record.visits };
    }
    /** What is still held back, as it is (following stops before the history tells how a failure ended). */
    flush() {
        return this.held.splice(0);
    }
    applyOne(event, changes) {
        const type = event.type;
        if (this.held.length) {
            const failure = this.held[0];
            if (type.endsWith('StateExited') && event.stateName === failure.state && this.held.length === 1) {
                // The failed state exits only when a Catch takes over; the state it goes to comes next.
                const exit = [];
                this.applyTransition(event, exit);
                this.held.push(...exit);
                return;
            }
            if (!TERMINAL[type] && !FAILURE.test(type)) {
                const next = type.endsWith('StateEntered') ? event.stateName : undefined;
                failure.handled = { next };
            }
            changes.push(...this.held.splice(0));
        }
        this.applyTransition(event, changes);
    }
    applyTransition(event, changes) {
        const at = event.timestamp;
        const type = event.type;
        if (type === 'ExecutionStarted') {
            changes.push({ kind: 'execution-began', at });
            return;
        }
        const terminal = TERMINAL[type];
        if (terminal) {
            this.terminal = { kind: 'execution-finished', status: terminal, at, error: event.error, cause: event.cause, output: event.data };
            for (const name of this.open.splice(0)) {
                const record = this.states.get(name);
                if (!record)
                    continue;
                record.result = terminal === 'SUCCEEDED' ? 'succeeded' : terminal === 'ABORTED' ? 'aborted' : 'failed';
                record.totalMs += at.getTime() - record.lastEnteredAt.getTime();
                if (terminal !== 'SUCCEEDED' && record.error === undefined) {
                    record.error = event.error;
                    record.cause = event.cause;
                }
            }
            changes.push(this.terminal);
            return;
        }
        if (type.endsWith('StateEntered') && event.stateName !== undefined) {
            const name = event.stateName;
            const existing = this.states.get(name);
            const record = existing ?? { name, visits: 0, firstEnteredAt: at, lastEnteredAt: at, totalMs: 0, result: 'running' };
            record.visits += 1;
            record.lastEnteredAt = at;
            record.waits = type === 'WaitStateEntered';
            // FailStateEntered has no matching exit: the execution fails right after it.
            record.result = type === 'FailStateEntered' ? 'failed' : 'running';
            this.states.set(name, record);
            this.open.push(name);
            changes.push({ kind: 'state-entered', state: name, visit: record.visits, at });
            return;
        }
        if (type.endsWith('StateExited') && event.stateName !== undefined) {
            const name = event.stateName;
            const record = this.states.get(name);
            const index = this.open.lastIndexOf(name);
            if (index >= 0)
                this.open.splice(index, 1);
            if (record) {
                const durationMs = at.getTime() - record.lastEnteredAt.getTime();
                record.totalMs += durationMs;
                record.shortestVisitMs = Math.min(durationMs, record.shortestVisitMs ?? Number.POSITIVE_INFINITY);
                record.lastExitedAt = at;
                if (record.result === 'running')
                    record.result = 'succeeded';
                changes.push({ kind: 'state-exited', state: name, visit: record.visits, at, durationMs });
            }
            this.findDeployment(event, name, changes);
            return;
        }
        if (FAILURE.test(type)) {
            const state = this.open[this.open.length - 1];
            const record = state === undefined ? undefined : this.states.get(state);
            if (record) {
                record.error = event.error;
                record.cause = event.cause;
            }
            this.held.push({ kind: 'state-failure', state, eventType: type, at, error: event.error, cause: event.cause });
            return;
        }
        if (type === 'TaskSucceeded' || type === 'LambdaFunctionSucceeded' || type === 'ActivitySucceeded') {
            this.findDeployment(event, this.open[this.open.length - 1], changes);
        }
    }
    findDeployment(event, state, changes) {
        if (!event.data?.includes('DeploymentId'))
            return;
        let parsed;
        try {
            parsed = JSON.parse(event.data);
        }
        catch {
            return;
        }
        for (const id of findDeploymentIds(parsed)) {
            if (this.deploymentIds.includes(id))
                continue;
            this.deploymentIds.push(id);
            changes.push({ kind: 'deployment-found', state, deploymentId: id, at: event.timestamp });
        }
    }
}
/**
 * `DeploymentId` values anywhere in a state's output: the `aws-sdk:codedeploy:createDeployment` result
 * is `{"DeploymentId": …}`, which a ResultPath may nest (`{"deployment": {"DeploymentId": …}}`).
 */
function findDeploymentIds(value, depth = 0) {
    if (depth > 8 || value === null || typeof value !== 'object')
        return [];
    const found = [];
    if (Array.isArray(value)) {
        for (const item of value)
            found.push(...findDeploymentIds(item, depth + 1));
        return found;
    }
    for (const [key, child] of Object.entries(value)) {
        if (key === 'DeploymentId' && typeof child === 'string' && DEPLOYMENT_ID.test(child))
            found.push(child);
        else
            found.push(...findDeploymentIds(child, depth + 1));
    }
    return [...new Set(found)];
}

;// CONCATENATED MODULE: ./src/core/deploy/follow-schedule.ts
const DEFAULT_FOLLOW_SCHEDULE = {
    historyEveryMsDuringDeployment: 30_000,
    heartbeatMs: 60_000,
    giveUpAfterMs: 10 * 60_000,
};
/** How long after a deployment ends the next state is expected (the state machine's wait loop is ~10 s). */
const SOON_AFTER_DEPLOYMENT_MS = 30_000;
/**
 * While the history keeps producing lines (the wait loop's first, shown visits), read it at the
 * pace of the loop rather than every historyEvery: until this long after its last line.
 */
const HISTORY_NEWS_KEEPS_IT_FAST_MS = 15_000;
/** Polls after the execution ended, so the last instance results reach the log. */
const FINAL_DEPLOYMENT_POLLS = 3;
class FollowSchedule {
    clock;
    options;
    historyReadAt = Number.NEGATIVE_INFINITY;
    historyNewsAt = Number.NEGATIVE_INFINITY;
    deploymentEndedAt = Number.NEGATIVE_INFINITY;
    newsAt;
    /** The last poll in which every source answered. */
    answeredAt;
    failedInARow = 0;
    finalPolls = 0;
    constructor(clock, options = {}) {
        this.clock = clock;
        this.options = { ...DEFAULT_FOLLOW_SCHEDULE, ...options };
        this.newsAt = clock.now();
        this.answeredAt = clock.now();
    }
    /**
     * Whether to read the history on this poll. `quietUntil`: the history holds nothing new before then
     * (the execution waits in a Wait state, ExecutionTimeline.quietUntil): it is read at that moment, and
     * before it only as often as during a deployment (a stop would show). `now`: ask about a moment to come.
     */
    historyDue(deploying, quietUntil, now = this.clock.now()) {
        const periodic = now - this.historyReadAt >= this.options.historyEveryMsDuringDeployment;
        if (quietUntil !== undefined && now < quietUntil)
            return periodic;
        return !deploying || periodic || now - this.historyNewsAt < HISTORY_NEWS_KEEPS_IT_FAST_MS;
    }
    /** The history is still yielding lines to show (read on every poll, see historyDue). */
    get historyBusy() {
        return this.clock.now() - this.historyNewsAt < HISTORY_NEWS_KEEPS_IT_FAST_MS;
    }
    historyRead() {
        this.historyReadAt = this.clock.now();
    }
    /** The history yielded a line the log shows. */
    historyShowedLine() {
        this.historyNewsAt = this.clock.now();
    }
    /** A deployment ended: read the history at once, and stay quick while the next state is due. */
    deploymentEnded() {
        this.historyReadAt = Number.NEGATIVE_INFINITY;
        this.deploymentEndedAt = this.clock.now();
    }
    /** Right after a deployment ends the state machine moves on within its own poll period. */
    get nextStateDue() {
        return this.clock.now() - this.deploymentEndedAt < SOON_AFTER_DEPLOYMENT_MS;
    }
    /** Something was reported. */
    news() {
        this.newsAt = this.clock.now();
    }
    /** How long nothing was reported, when that deserves a "still running" line. */
    get quietTooLongMs() {
        const quiet = this.clock.now() - this.newsAt;
        return quiet >= this.options.heartbeatMs ? quiet : undefined;
    }
    /** Every source answered; returns how many polls had failed in a row before. */
    pollAnswered() {
        const failed = this.failedInARow;
        this.failedInARow = 0;
        this.answeredAt = this.clock.now();
        return failed;
    }
    /** A source failed with a transient error. */
    pollFailed() {
        this.failedInARow += 1;
        const failingForMs = this.clock.now() - this.answeredAt;
        return { inARow: this.failedInARow, failingForMs, giveUp: failingForMs >= this.options.giveUpAfterMs };
    }
    /** After the execution ended: one more answered poll of the deployments. */
    finalPollDone() {
        this.finalPolls += 1;
    }
    get finalPollsLeft() {
        return this.finalPolls < FINAL_DEPLOYMENT_POLLS;
    }
}

;// CONCATENATED MODULE: ./src/core/deploy/history-reader.ts
/**
 * Reads only the events added since the last read. GetExecutionHistory cannot start after a given
 * event, so each read pages backwards from the newest event (reverseOrder) and stops at the first
 * event already seen: an idle poll costs one small call whatever the history's length.
 */
/** The largest page a later read asks for (the API allows 1000; events carry their state's data). */
const MAX_PAGE = 100;
class HistoryReader {
    sfn;
    executionArn;
    pageSize;
    lastId = 0;
    nextPageSize;
    constructor(sfn, executionArn, 
    /** Page size: small, since a poll usually finds a handful of new events. */
    pageSize = 25) {
        this.sfn = sfn;
        this.executionArn = executionArn;
        this.pageSize = pageSize;
        this.nextPageSize = pageSize;
    }
    /** New events, oldest first. If a page fails, nothing is consumed and the next read starts over. */
    async readNew() {
        const fresh = [];
        let nextToken;
        // The first read may be a long history (following an execution that ran for a while): bigger pages.
        // Later reads ask for a page that holds what the previous one found with room to spare, so a read
        // spaced out during a deployment (the wait loop adds ~25 events in 30 s) is one call, not two.
        const first = this.lastId === 0;
        const maxResults = first ? 200 : this.nextPageSize;
        pages: do {
            const page = await this.sfn.getHistoryPage({ executionArn: this.executionArn, reverseOrder: true, maxResults, nextToken });
            for (const event of page.events) {
                if (event.id <= this.lastId)
                    break pages;
                fresh.push(event);
            }
            nextToken = page.nextToken;
        } while (nextToken);
        fresh.reverse();
        // (The first read's catch-up says nothing about how fast events come.)
        if (!first)
            this.nextPageSize = Math.min(MAX_PAGE, Math.max(this.pageSize, Math.ceil(fresh.length * 1.5) + 5));
        const newest = fresh[fresh.length - 1];
        if (newest)
            this.lastId = newest.id;
        return fresh;
    }
}

;// CONCATENATED MODULE: ./src/core/deploy/follow-execution.ts




/**
 * Follows an execution to its end (or the deadline): its history, and every CodeDeploy deployment a
 * state's output names. Throttling, 5xx, dropped connections and garbled answers slow it down, up to
 * the schedule's give-up time; expired credentials end it at once; other errors are thrown.
 */
async function followExecution(o) {
    return new ExecutionFollower(o).run();
}
class ExecutionFollower {
    o;
    reader;
    timeline = new ExecutionTimeline();
    trackers = new Map();
    schedule;
    /** The execution's end, held back until the last instance results are printed. */
    finished;
    /** The end of the Wait state (ExecutionTimeline.quietUntil) a round already read the history alone for. */
    historyAloneFor;
    /** How far the server's clock was seen ahead of ours: by an event stamped later than our now. */
    serverAheadMs = 0;
    constructor(o) {
        this.o = o;
        this.reader = new HistoryReader(o.sfn, o.executionArn);
        this.schedule = new FollowSchedule(o.clock, o.schedule);
    }
    emit(event) {
        this.schedule.news();
        this.o.emit(event);
    }
    async run() {
        const { clock, pacer, deadline } = this.o;
        pacer.startPolling();
        for (;;) {
            const round = await this.pollRound();
            if (round.failure) {
                const { failure, error } = round.failure;
                if (failure.kind === 'fatal')
                    throw error;
                if (failure.kind === 'credentials-expired')
                    return this.end({ kind: 'credentials-expired', error: failure.description });
                const { inARow, failingForMs, giveUp } = this.schedule.pollFailed();
                if (giveUp) {
                    // The history may have shown the end already: then that is the answer, whatever the deployments say.
                    if (this.finished)
                        return this.reportFinished();
                    return this.end({ kind: 'unreachable', error: failure.description, failingForMs });
                }
                this.emit({
                    kind: 'transient-error',
                    error: failure.description,
                    throttled: failure.kind === 'throttled',
                    retryInMs: pacer.throttledPoll(),
                    streak: inARow,
                });
            }
            else {
                const failedBefore = this.schedule.pollAnswered();
                if (failedBefore > 0)
                    this.emit({ kind: 'recovered', streak: failedBefore });
                pacer.polled(round.changed || this.schedule.nextStateDue);
            }
            const pastDeadline = deadline !== undefined && clock.now() >= deadline;
            if (this.finished) {
                if (!this.deploying || !this.schedule.finalPollsLeft || pastDeadline)
                    return this.reportFinished();
                if (!round.failure)
                    this.schedule.finalPollDone();
            }
            if (pastDeadline)
                return this.end({ kind: 'deadline' });
            const quietMs = this.schedule.quietTooLongMs;
            if (quietMs !== undefined)
                this.emit({ kind: 'heartbeat', at: new Date(clock.now()), quietMs });
            await clock.sleep(this.nextDelayMs(round));
        }
    }
    get deploying() {
        return [...this.trackers.values()].some((t) => !t.fullyReported);
    }
    nextDelayMs(round) {
        const { clock, pacer, deadline } = this.o;
        let delay = Math.max(this.finished && !round.failure ? pacer.options.activeMs : pacer.nextDelayMs, this.quietMs(round));
        // A Wait state whose end the log shows ends at a known moment: poll just after it, whatever the
        // cadence or the budget says (the states after it show no line past their first visits).
        const readAt = this.nextWaitRead();
        if (readAt !== undefined && !round.failure && this.schedule.historyDue(this.deploying, undefined, readAt)) {
            const untilRead = readAt - clock.now();
            // A round before it that would leave the budget short then (early on, the deployments spend
            // every call the bucket refills) would hold the wait's lines back: wait for the read instead.
            if (delay >= untilRead || !pacer.leavesCallFor(untilRead - delay))
                delay = untilRead;
        }
        return deadline === undefined ? delay : Math.min(delay, Math.max(0, deadline - clock.now()));
    }
    /** When to read the history after the execution's Wait state ends, if that is still to come. */
    nextWaitRead() {
        const until = this.waitReadAt();
        return until !== undefined && until > this.o.clock.now() ? until : undefined;
    }
    /**
     * When to read the history for the end of the Wait state the execution sits in: AFTER_WAIT_ENDS_MS
     * after its expected end (ExecutionTimeline.quietUntil), on our clock. The history's times are the
     * server's, so a server clock found ahead of ours moves it earlier (one behind ours makes the read
     * early, and the cadence goes on). A wait longer than WAIT_PREDICTED_MAX_MS is not planned for.
     */
    waitReadAt() {
        const waiting = this.timeline.waiting();
        // Only a wait whose end the log shows is worth a round of its own: a later visit of a wait loop
        // (shorter than a round, on a fast cluster) would otherwise take every round from the deployments.
        if (waiting === undefined || waiting.visit > VISITS_SHOWN + 1)
            return undefined;
        const until = waiting.until;
        const local = until - this.serverAheadMs + AFTER_WAIT_ENDS_MS;
        return local - this.o.clock.now() > WAIT_PREDICTED_MAX_MS ? undefined : local;
    }
    /**
     * How long nothing is likely to change, when every deployment followed knows (each instance in
     * progress runs a hook that took at least so long elsewhere) and the history has nothing to show
     * (or waits in a Wait state): polls then wait for it, up to QUIET_SLEEP_MAX_MS, and the call budget
     * goes to the busy moments.
     */
    quietMs(round) {
        if (round.failure || round.changed || this.finished || this.schedule.nextStateDue)
            return 0;
        if (this.schedule.historyBusy && this.nextWaitRead() === undefined)
            return 0;
        const active = [...this.trackers.values()].filter((t) => !t.fullyReported);
        if (active.length === 0)
            return 0;
        let until = Number.POSITIVE_INFINITY;
        for (const tracker of active)
            until = Math.min(until, tracker.quietUntil() ?? Number.NEGATIVE_INFINITY);
        return Math.min(QUIET_SLEEP_MAX_MS, Math.max(0, until - this.o.clock.now()));
    }
    /**
     * Deployments first, then the history (after a deployment's end, the next state comes in the same
     * round), or the history alone when a Wait state just ended; what the round found is printed in time
     * order (each source's own order kept), so one instance's lines do not jump ahead of another's or of
     * the states around them.
     */
    async pollRound() {
        const round = { changed: false };
        const found = [];
        // Each source on its own: CodeDeploy throttling must not stop the Step Functions history, and back.
        const history = () => this.attempt(round, () => this.pollHistory(found));
        if (this.waitJustEnded()) {
            // A round of the history alone, so the budget (low while the states come fast, at the start) goes
            // to its lines first; the deployments are read in the next round. Once per wait: a read that fails
            // or finds the wait still going does not hold the deployments back.
            this.historyAloneFor = this.timeline.quietUntil();
            await history();
        }
        else {
            for (const tracker of this.trackers.values()) {
                if (tracker.fullyReported)
                    continue;
                await this.attempt(round, () => this.pollDeployment(tracker, found));
            }
            if (!this.finished && (this.schedule.historyDue(this.deploying, this.nextWaitRead()) || this.waitOverdue()))
                await history();
        }
        for (const event of inTimeOrder(found))
            this.emit(event);
        return round;
    }
    /**
     * A Wait state whose lines the log shows ran past its expected end (a wait of varying length): the
     * history is read at the usual pace until its end shows, for at most WAIT_PREDICTED_MAX_MS. (Later
     * visits show no lines, so waitReadAt plans nothing for them: the history is read as often as ever then.)
     */
    waitOverdue() {
        const ends = this.waitReadAt();
        const now = this.o.clock.now();
        return ends !== undefined && ends <= now && now - ends < WAIT_PREDICTED_MAX_MS;
    }
    /** The Wait state the execution sat in has ended (by the clock), the history is to be read, and no round went to it alone yet. */
    waitJustEnded() {
        const ends = this.waitReadAt();
        return (!this.finished &&
            ends !== undefined &&
            ends <= this.o.clock.now() &&
            this.timeline.quietUntil() !== this.historyAloneFor &&
            this.schedule.historyDue(this.deploying));
    }
    async attempt(round, poll) {
        try {
            if (await poll())
                round.changed = true;
        }
        catch (error) {
            const failure = this.o.classifyError(error);
            if (!round.failure || severity(failure) > severity(round.failure.failure))
                round.failure = { failure, error };
        }
    }
    async pollDeployment(tracker, found) {
        const changes = await tracker.poll();
        found.push(changes);
        if (tracker.fullyReported)
            this.schedule.deploymentEnded();
        return changes.length > 0;
    }
    async pollHistory(found) {
        const events = await this.reader.readNew();
        this.schedule.historyRead();
        const newest = events[events.length - 1];
        if (newest)
            this.serverAheadMs = Math.max(this.serverAheadMs, newest.timestamp.getTime() - this.o.clock.now());
        const shown = [];
        for (const change of this.timeline.apply(events)) {
            if (change.kind === 'execution-finished') {
                this.finished = change;
                continue;
            }
            shown.push(change);
            if (isShown(change))
                this.schedule.historyShowedLine();
            if (change.kind === 'deployment-found' && !this.trackers.has(change.deploymentId)) {
                this.trackers.set(change.deploymentId, new DeploymentTracker(change.deploymentId, this.o.codedeploy, this.o.clock, this.o.tracker));
            }
        }
        found.push(shown);
        return events.length > 0;
    }
    reportFinished() {
        this.emit(this.finished);
        return this.end({ kind: 'finished' });
    }
    end(end) {
        // A state failure whose outcome the history had not shown yet is printed as it is.
        for (const change of this.timeline.flush())
            this.emit(change);
        return { end, timeline: this.timeline, deployments: [...this.trackers.values()] };
    }
}
/**
 * The sources' batches merged by time, each batch's own order kept: a batch is keyed by the latest time
 * seen so far in it, so a deployment's end (last in its batch, whatever its time) stays after its
 * instances' results. Lines from different rounds are not reordered: they are printed already.
 */
function inTimeOrder(batches) {
    const keyed = batches.flatMap((batch, source) => {
        let latest = Number.NEGATIVE_INFINITY;
        return batch.map((event, index) => {
            const at = 'at' in event && event.at instanceof Date ? event.at.getTime() : latest;
            latest = Math.max(latest, at);
            return { event, key: latest, source, index };
        });
    });
    keyed.sort((a, b) => a.key - b.key || a.source - b.source || a.index - b.index);
    return keyed.map((k) => k.event);
}
/**
 * The longest a poll waits for a quiet stretch to end (quietMs): a hook that fails ends sooner than
 * its kind took elsewhere, and its line should not wait for long.
 */
const QUIET_SLEEP_MAX_MS = 10_000;
/** The longest Wait state whose end the loop plans a read for (a long wait is read at the usual pace). */
const WAIT_PREDICTED_MAX_MS = 60_000;
/**
 * How long after a Wait state's end to read the history: the next state starts at once, and a read a
 * moment later finds its first lines too (a wait loop's check, a Task of a few hundred ms, and its
 * Choice) instead of leaving them to the poll after.
 */
const AFTER_WAIT_ENDS_MS = 500;
/** When two sources fail in one round, the failure that decides more wins. */
const severity = (f) => ({ throttled: 0, transient: 1, 'credentials-expired': 2, fatal: 3 })[f.kind];

;// CONCATENATED MODULE: ./src/core/deploy/follow-rollback.ts



/**
 * CodeDeploy's automatic rollback, followed: when the deployment the execution ran failed and the group
 * rolls back (AutoRollbackConfiguration), CodeDeploy starts a new deployment of the last successful
 * revision and names it in the failed one's `rollbackInfo`. This follows that deployment to its end with
 * the same tracker (instance lines, hook failures), so the log can say which revision the group runs now.
 */
/**
 * How long to wait for `rollbackInfo.rollbackDeploymentId` after the execution failed. CodeDeploy marks
 * the deployment Failed first and creates the rollback a moment later, asynchronously; the state machine
 * notices the failure only on its next poll (up to ~10 s later), so the rollback is usually named by the
 * time the execution ends. 30 s covers a slow start without making every failed deploy of a group with
 * auto rollback but nothing to roll back to (its first deployment) wait long.
 */
const ROLLBACK_APPEARS_WITHIN_MS = 30_000;
/** GetDeployment of the failed deployment this often while waiting: at most ~10 calls. */
const ROLLBACK_CHECK_EVERY_MS = 3_000;
/** The group is back on its last good revision: CodeDeploy's rollback deployment succeeded. */
const rolledBack = (o) => o?.kind === 'ended' && o.status === 'Succeeded';
/** The rollback deployment's id, when CodeDeploy started one. */
const rollbackDeploymentId = (o) => o && o.kind !== 'none' ? o.rollbackDeploymentId : undefined;
/** The deployment whose failure may have triggered a rollback: the last one the execution ran, if it ended Failed or Stopped. */
function failedDeployment(trackers) {
    const last = trackers[trackers.length - 1];
    const status = last?.snapshot?.status;
    return status === 'Failed' || status === 'Stopped' ? last : undefined;
}
/**
 * Waits (bounded) for CodeDeploy to name the rollback of `failed`, then follows it to its end, the
 * deadline, or until AWS stops answering. Never throws for AWS errors: the deploy has failed already,
 * and the rollback is reported as far as it could be followed.
 */
async function followRollback(failed, o) {
    const failedDeploymentId = failed.deploymentId;
    const found = await awaitRollback(failedDeploymentId, failed.snapshot, o);
    if (found.kind === 'none') {
        o.emit({ kind: 'rollback-none', failedDeploymentId, why: found.why, message: found.message, waitedMs: found.waitedMs });
        return { kind: 'none', failedDeploymentId, why: found.why, message: found.message };
    }
    const { rollbackDeploymentId, snapshot } = found;
    const group = snapshot.deploymentGroupName;
    const tracker = new DeploymentTracker(rollbackDeploymentId, o.codedeploy, o.clock, o.tracker);
    // The heading goes out with the tracker's first answer, stamped when CodeDeploy created the rollback:
    // its first instance lines may be older than this moment, and they come after the heading.
    let announced = false;
    const announce = () => {
        if (announced)
            return;
        announced = true;
        o.emit({
            kind: 'rollback-started',
            failedDeploymentId,
            rollbackDeploymentId,
            group,
            message: snapshot.rollbackInfo?.rollbackMessage,
            at: tracker.snapshot?.createTime ?? new Date(o.clock.now()),
        });
    };
    const base = { failedDeploymentId, rollbackDeploymentId, tracker, group };
    const where = () => {
        const revision = tracker.snapshot?.revision;
        return revision ? { revision, rev: revOfBundleKey(revision.key) } : {};
    };
    const end = await followToEnd(tracker, {
        ...o,
        emit: (e) => {
            announce();
            o.emit(e);
        },
    });
    announce();
    if (end.kind === 'ended') {
        const status = tracker.snapshot.status;
        o.emit({
            kind: 'rollback-finished',
            rollbackDeploymentId,
            status,
            group,
            ...where(),
            at: tracker.snapshot.completeTime ?? new Date(o.clock.now()),
        });
        return { kind: 'ended', ...base, ...where(), status };
    }
    o.emit({ kind: 'rollback-unfinished', rollbackDeploymentId, reason: end.reason, error: end.error });
    return { kind: 'unfinished', ...base, ...where(), reason: end.reason, error: end.error };
}
/**
 * Reads the failed deployment's rollbackInfo until it names a rollback or says there is none, for at
 * most ROLLBACK_APPEARS_WITHIN_MS (and never past the deadline). The snapshot the tracker last read may
 * be seconds old (the execution ends only when the state machine notices), so it is read once more at once.
 */
async function awaitRollback(deploymentId, last, o) {
    const { clock } = o;
    const started = clock.now();
    const until = Math.min(started + ROLLBACK_APPEARS_WITHIN_MS, o.deadline ?? Number.POSITIVE_INFINITY);
    let snapshot = last;
    const read = async () => {
        try {
            snapshot = await o.codedeploy.getDeployment(deploymentId);
            return true;
        }
        catch (err) {
            // Throttling and the like: the wait is bounded, the next round tries again. Anything else ends it.
            const { kind } = o.classifyError(err);
            return kind === 'throttled' || kind === 'transient';
        }
    };
    const settled = () => (snapshot ? decide(snapshot) : undefined);
    const none = () => ({
        kind: 'none',
        why: 'not-started',
        message: snapshot?.rollbackInfo?.rollbackMessage,
        waitedMs: clock.now() - started,
    });
    let decided = settled();
    if (decided)
        return decided;
    if (!(await read()))
        return none();
    decided = settled();
    if (decided)
        return decided;
    o.emit({
        kind: 'rollback-awaited',
        failedDeploymentId: deploymentId,
        withinMs: Math.max(0, until - clock.now()),
        at: new Date(clock.now()),
    });
    while (clock.now() < until) {
        await clock.sleep(Math.min(ROLLBACK_CHECK_EVERY_MS, until - clock.now()));
        if (!(await read()))
            break;
        decided = settled();
        if (decided)
            return decided;
    }
    return none();
}
/** What a snapshot of the failed deployment already settles. */
function decide(snapshot) {
    const info = snapshot.rollbackInfo;
    if (info?.rollbackDeploymentId)
        return { kind: 'found', rollbackDeploymentId: info.rollbackDeploymentId, snapshot };
    // A message without a rollback id: CodeDeploy says why it started none (e.g. nothing to roll back to).
    if (info?.rollbackMessage)
        return { kind: 'none', why: 'not-started', message: info.rollbackMessage };
    // GetDeployment carries the deployment's autoRollbackConfiguration; without one, nothing rolls it back.
    if (!expectsRollback(snapshot.status, snapshot.autoRollback ?? { enabled: false, events: [] }))
        return { kind: 'none', why: 'auto-rollback-off' };
    return undefined;
}
/**
 * Whether the deployment's settings call for a rollback after it ended so. A stop asks for one itself
 * (StopDeployment's autoRollbackEnabled, which the deploy action sets), so a Stopped deployment may roll
 * back whatever its settings: wait for it.
 */
function expectsRollback(status, config) {
    if (status === 'Stopped')
        return true;
    return config.enabled && config.events.includes('DEPLOYMENT_FAILURE');
}
/** Polls the rollback's tracker to its end, paced like the main follow loop. */
async function followToEnd(tracker, o) {
    const { clock, pacer, deadline } = o;
    const schedule = new FollowSchedule(clock);
    pacer.startPolling();
    for (;;) {
        try {
            const changes = await tracker.poll();
            const failedBefore = schedule.pollAnswered();
            if (failedBefore > 0)
                o.emit({ kind: 'recovered', streak: failedBefore });
            for (const change of changes)
                o.emit(change);
            if (changes.length)
                schedule.news();
            pacer.polled(changes.length > 0);
        }
        catch (err) {
            const failure = o.classifyError(err);
            if (failure.kind === 'fatal' || failure.kind === 'credentials-expired')
                return { kind: 'stopped', reason: failure.kind, error: failure.description };
            const { inARow, failingForMs, giveUp } = schedule.pollFailed();
            if (giveUp)
                return { kind: 'stopped', reason: 'unreachable', error: `${failure.description} (for ${Math.round(failingForMs / 1000)}s)` };
            o.emit({
                kind: 'transient-error',
                error: failure.description,
                throttled: failure.kind === 'throttled',
                retryInMs: pacer.throttledPoll(),
                streak: inARow,
            });
        }
        if (tracker.fullyReported)
            return { kind: 'ended' };
        if (deadline !== undefined && clock.now() >= deadline)
            return { kind: 'stopped', reason: 'deadline' };
        const quietMs = schedule.quietTooLongMs;
        if (quietMs !== undefined) {
            o.emit({ kind: 'heartbeat', at: new Date(clock.now()), quietMs });
            schedule.news();
        }
        const delay = pacer.nextDelayMs;
        await clock.sleep(deadline === undefined ? delay : Math.min(delay, Math.max(0, deadline - clock.now())));
    }
}

;// CONCATENATED MODULE: ./src/core/deploy/group-queue.ts

/**
 * One deploy at a time per group: waits while another execution of the state machine deploys to the
 * same group (read from its input), instead of colliding with it in CodeDeploy. Returns false if the
 * deadline passed first.
 *
 * Two workflows checking at the same moment can both go ahead; a `concurrency:` group in the workflow
 * closes that gap (docs/deploy.md).
 */
async function waitForGroup(o) {
    const heartbeatMs = o.heartbeatMs ?? 60_000;
    for (;;) {
        const blocking = await retryTransient(o, () => findBlocking(o));
        if (!blocking)
            return true;
        o.emit({ kind: 'group-busy', executionArn: blocking.executionArn, name: blocking.name, startDate: blocking.startDate, group: o.group });
        const since = o.clock.now();
        let saidAt = since;
        for (;;) {
            if (o.deadline !== undefined && o.clock.now() >= o.deadline)
                return false;
            await o.clock.sleep(Math.min(o.pacer.nextDelayMs, o.deadline === undefined ? Infinity : Math.max(0, o.deadline - o.clock.now())));
            const described = await retryTransient(o, () => o.sfn.describeExecution(blocking.executionArn));
            // Nothing changes while we wait on another deploy: let the interval stretch to its maximum.
            o.pacer.polled(false);
            if (described?.status !== 'RUNNING') {
                o.emit({
                    kind: 'group-free',
                    executionArn: blocking.executionArn,
                    status: described?.status ?? 'ABORTED',
                    waitedMs: o.clock.now() - since,
                });
                break;
            }
            if (o.clock.now() - saidAt >= heartbeatMs) {
                saidAt = o.clock.now();
                o.emit({ kind: 'group-still-busy', executionArn: blocking.executionArn, waitedMs: saidAt - since });
            }
        }
        o.pacer.polled(true);
    }
}
/** The oldest running execution deploying to our group, if any. */
async function findBlocking(o) {
    const running = (await o.sfn.listRunningExecutions(o.stateMachineArn)).sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
    for (const execution of running) {
        const described = await o.sfn.describeExecution(execution.executionArn);
        if (described?.status !== 'RUNNING')
            continue;
        const target = readExecutionTarget(described.input);
        if (target?.group === o.group && (target.appName === undefined || target.appName === o.appName))
            return execution;
    }
    return undefined;
}
async function retryTransient(o, call) {
    for (let streak = 1;; streak++) {
        try {
            return await call();
        }
        catch (err) {
            const failure = o.classifyError(err);
            const waitable = failure.kind === 'throttled' || failure.kind === 'transient';
            if (!waitable || (o.deadline !== undefined && o.clock.now() >= o.deadline))
                throw err;
            const retryInMs = o.pacer.throttledPoll();
            o.emit({ kind: 'transient-error', error: failure.description, throttled: failure.kind === 'throttled', retryInMs, streak });
            await o.clock.sleep(retryInMs);
        }
    }
}

;// CONCATENATED MODULE: ./src/core/deploy/deploy-order.ts
/**
 * Pure rules for re-runs and order: is the requested revision what the group already runs, which
 * revision `rev: previous` means, and whether the requested commit is older than the running one.
 */
/** The `rev` value that means "the revision the group ran before its current one". */
const PREVIOUS = 'previous';
const deploy_order_bareETag = (eTag) => eTag?.replace(/^W\//, '').replace(/"/g, '');
/**
 * The same bundle: same bucket and key, and the same ETag when both are known. Push never replaces a
 * bundle (a revision name means one thing forever), so the key decides when an ETag is missing.
 */
function isSameBundle(a, b) {
    if (a.bucket !== b.bucket || a.key !== b.key)
        return false;
    const [x, y] = [deploy_order_bareETag(a.eTag), deploy_order_bareETag(b.eTag)];
    return !x || !y || x === y;
}
/**
 * What `rev: previous` resolves to: the newest succeeded deployment whose bundle is not the one the
 * group runs now (redeploys of the current revision are passed over; rollbacks count like any other).
 */
function pickPrevious(current, succeeded) {
    return succeeded.find((r) => r.deploymentId !== current.deploymentId && !isSameBundle(r, current));
}
/** The two commits to order, or why there are none (an unreproducible revision on either side, or no commit). */
function commitsToOrder(running, requested) {
    const unreproducible = [
        !requested.reproducible || !requested.commit ? `the requested ${requested.rev}` : '',
        !running.reproducible || !running.commit ? `the running ${running.rev}` : '',
    ].filter(Boolean);
    if (unreproducible.length) {
        return {
            unordered: `${unreproducible.join(' and ')} ${unreproducible.length > 1 ? 'are' : 'is'} unreproducible (a uname revision): such revisions have no commit that orders them`,
        };
    }
    return { runningCommit: running.commit, requestedCommit: requested.commit };
}
/** What the ancestry answer means for the requested revision. `descendant`: the group runs a later commit, so the request is older. */
function verdictOf(answer) {
    switch (answer.relation) {
        case 'descendant':
            return 'older';
        case 'ancestor':
            return 'newer';
        case 'same':
            return 'same-commit';
        case 'diverged':
            return 'diverged';
        default:
            return 'unknown';
    }
}
/** Asks each in turn; the first that can tell answers. When none can, the answer is unknown with every reason. */
function firstKnown(ports) {
    return {
        async relate(runningCommit, requestedCommit) {
            const whys = [];
            for (const port of ports) {
                const answer = await port.relate(runningCommit, requestedCommit);
                if (answer.relation !== 'unknown')
                    return answer;
                if (answer.why)
                    whys.push(answer.source ? `${answer.source}: ${answer.why}` : answer.why);
            }
            return { relation: 'unknown', why: whys.join('; ') || 'nothing could tell' };
        },
    };
}

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

;// CONCATENATED MODULE: ./src/core/deploy/running-revision.ts





/** How many succeeded deployments `rev: previous` looks through (redeploys of the current revision are passed over). */
const PREVIOUS_SEARCH_LIMIT = 50;
const record = (r) => {
    const { manifest: _m, manifestProblem: _p, ...rest } = r;
    return rest;
};
/** `rev: previous` → the revision the group ran before its current one (a one-step rollback). */
async function resolvePrevious(request, ports, emit) {
    const { appName, group } = request;
    const current = await ports.groupRevisions.running(appName, group);
    if (!current) {
        throw new core_problems/* UserError */.y(`rev: previous: deployment group ${group} of ${appName} has no successful deployment (or does not exist), so there is no previous revision to go back to. Set \`rev\` to a pushed revision.`);
    }
    const history = await ports.groupRevisions.succeeded(appName, group, PREVIOUS_SEARCH_LIMIT);
    const previous = pickPrevious(current, history);
    if (!previous) {
        throw new core_problems/* UserError */.y(`rev: previous: deployment group ${group} has run only ${current.rev} (in its last ${history.length} successful deployments), so there is no previous revision to go back to. Set \`rev\` to a pushed revision.`);
    }
    const expected = bundleKey(request.prefix, appName, previous.rev);
    if (previous.bucket !== request.bucket || previous.key !== expected) {
        throw new core_problems/* UserError */.y(`rev: previous: the revision ${group} ran before its current one is s3://${previous.bucket}/${previous.key}, not a bundle of s3://${request.bucket}/${expected.replace(/[^/]+$/, '')}. Set \`bucket\` and \`prefix\` to where it was pushed, or set \`rev\` to the revision to deploy.`);
    }
    emit({
        kind: 'previous-resolved',
        group,
        rev: previous.rev,
        deploymentId: previous.deploymentId,
        completedAt: previous.completedAt,
        rollback: previous.rollback,
        currentRev: current.rev,
    });
    return previous;
}
/**
 * Compares the requested revision with what the group runs: SKIPPED, refused as older, or go — with
 * the diff either way. Throws a UserError when the request is older and `allowOlder` is off.
 */
async function checkGroup(request, next, ports, emit) {
    const { appName, group, rev } = request;
    const running = await ports.groupRevisions.running(appName, group);
    emit({ kind: 'group-running', group, running: running && record(running) });
    if (!running)
        return { running: null, skipped: false };
    if (isSameBundle(running, next)) {
        emit({ kind: 'already-deployed', group, rev, deploymentId: running.deploymentId, redeploy: request.redeploy });
        if (!request.redeploy)
            return { running: record(running), skipped: true };
    }
    const check = { running: record(running), skipped: false };
    if (running.manifest) {
        check.diff = diffManifests(running.manifest, next.manifest);
        emit({ kind: 'revision-diff', runningRev: running.rev, diff: check.diff });
    }
    else {
        check.diffProblem = running.manifestProblem ?? 'its manifest could not be read';
        emit({ kind: 'revision-diff-unavailable', runningRev: running.rev, why: check.diffProblem });
    }
    check.order = await order(running, next.manifest, ports.ancestry);
    emit({ kind: 'deploy-order', group, rev, runningRev: running.rev, order: check.order, allowOlder: request.allowOlder });
    if (check.order.verdict === 'older' && !request.allowOlder) {
        const o = check.order;
        throw new core_problems/* UserError */.y(`Refusing to deploy ${rev} (commit ${o.requestedCommit}) to ${group}: the group runs ${running.rev} (commit ${o.runningCommit}), a later commit that already contains it (${o.source ?? 'ancestry'}). Deploying it would put an older revision over a newer one. To roll back on purpose, set \`allow-older: true\` (or deploy with \`rev: previous\`).`);
    }
    return check;
}
async function order(running, requested, ancestry) {
    if (!running.manifest) {
        return { verdict: 'unknown', why: `the running ${running.rev}'s manifest could not be read, so its commit is unknown` };
    }
    const pair = commitsToOrder(running.manifest, requested);
    if ('unordered' in pair)
        return { verdict: 'unordered', why: pair.unordered };
    if (pair.runningCommit === pair.requestedCommit)
        return { verdict: 'same-commit', ...pair, source: 'manifests' };
    if (!ancestry)
        return { verdict: 'unknown', ...pair, why: 'no way to compare commits was given' };
    try {
        const answer = await ancestry.relate(pair.runningCommit, pair.requestedCommit);
        return { verdict: verdictOf(answer), ...pair, source: answer.source, why: answer.why };
    }
    catch (err) {
        // Ordering is a safety net, not a gate on AWS: a failure to tell is "unknown" (warned), never a failed deploy.
        return { verdict: 'unknown', ...pair, why: describeError(err) };
    }
}

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
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
const OBJECT_INDEX_MAX_BYTES = (/* unused pure expression or super */ null && (4 * 1024 * 1024));
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

;// CONCATENATED MODULE: ./src/core/deploy/verify-revision-objects.ts



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
async function verifyRevisionObjects(manifest, port, where) {
    const entries = [...new Map(manifest.classpath.map((e) => [e.key, e])).values()];
    const limit = (0,p_limit/* default */.A)(CONCURRENCY);
    const wrong = [];
    await Promise.all(entries.map((entry) => limit(async () => {
        const size = await port.objectSize(manifest.bucket, entry.key);
        if (size !== entry.size)
            wrong.push({ entry, size });
    })));
    if (wrong.length === 0)
        return { objects: entries.length };
    const order = new Map(entries.map((e, i) => [e.key, i]));
    wrong.sort((a, b) => order.get(a.entry.key) - order.get(b.entry.key));
    const lines = wrong
        .slice(0, NAMED)
        .map(({ entry, size }) => `  ${entry.origin}: s3://${manifest.bucket}/${entry.key} ${size === null ? 'is missing' : `holds ${size} bytes, not ${entry.size}`}`);
    if (wrong.length > NAMED)
        lines.push(`  …and ${wrong.length - NAMED} more`);
    const index = `s3://${manifest.bucket}/${objectIndexKey(where.prefix, manifest.appName)}`;
    throw new core_problems/* UserError */.y([
        `Revision ${manifest.rev} names ${wrong.length} of its ${entries.length} objects that the bucket does not hold as pushed; nothing was started:`,
        ...lines,
        `Objects were deleted after the push (is there a lifecycle rule on objects/?). Delete the object index (aws s3 rm ${index}) and run push again for this revision: without the index it checks every object and uploads what is missing.`,
    ].join('\n'));
}

;// CONCATENATED MODULE: ./src/core/deploy/deploy-flow.ts













/** The whole deploy: pre-flight, one at a time per group, start, follow, finish. */
async function runDeploy(request, ports, emit) {
    const deadline = ports.clock.now() + request.timeoutMs;
    if (request.mode === 'follow') {
        const described = await ports.sfn.describeExecution(request.executionArn);
        if (!described) {
            throw new core_problems/* UserError */.y(`Execution ${request.executionArn} does not exist: check \`execution-arn\` (and that the job's AWS region is the execution's).`);
        }
        emit({
            kind: 'following',
            executionArn: described.executionArn,
            name: described.name,
            status: described.status,
            startDate: described.startDate,
        });
        const execution = { executionArn: described.executionArn, executionName: described.name, startDate: described.startDate };
        return follow({ execution, deadline, timeoutMs: request.timeoutMs, stopOnTimeout: false }, ports, emit);
    }
    let previous;
    if (request.rev === PREVIOUS) {
        if (!ports.groupRevisions)
            throw new Error('rev: previous needs the group revisions port');
        previous = await resolvePrevious(request, { groupRevisions: ports.groupRevisions }, emit);
        // A deliberate one-step rollback: the order check reports it but does not refuse it.
        request = { ...request, rev: previous.rev, allowOlder: true };
    }
    const { input, manifest } = await preflight(request, ports, emit);
    if (!(await waitForGroup({
        ...ports,
        stateMachineArn: request.stateMachineArn,
        appName: request.appName,
        group: request.group,
        emit,
        deadline,
    }))) {
        emit({ kind: 'timed-out', timeoutMs: request.timeoutMs });
        throw new core_problems/* UserError */.y(`Another deploy to ${request.group} was still running after ${formatDuration(request.timeoutMs)} (timeout-minutes); nothing was started. Re-run when it has finished, or raise timeout-minutes.`);
    }
    // After the wait: a deploy that was running may have changed what the group runs.
    const groupCheck = ports.groupRevisions
        ? {
            ...(await checkGroup({ ...request, redeploy: request.redeploy ?? false, allowOlder: request.allowOlder ?? false }, { ...input.bundle, manifest }, { groupRevisions: ports.groupRevisions, ancestry: ports.ancestry }, emit)),
            ...(previous ? { previous } : {}),
        }
        : undefined;
    const rev = request.rev;
    if (groupCheck?.skipped) {
        return {
            executionArn: '',
            executionName: '',
            startDate: new Date(ports.clock.now()),
            status: 'SKIPPED',
            timedOut: false,
            stopped: false,
            deploymentId: groupCheck.running?.deploymentId,
            lambdas: [],
            input,
            deployments: [],
            rev,
            groupCheck,
        };
    }
    const started = await start(request, ports, input, emit);
    if (!request.wait) {
        return { ...started, status: 'RUNNING', timedOut: false, stopped: false, lambdas: [], input, deployments: [], rev, groupCheck };
    }
    return {
        ...(await follow({ execution: started, deadline, timeoutMs: request.timeoutMs, stopOnTimeout: request.stopOnCancel }, ports, emit)),
        input,
        rev,
        groupCheck,
    };
}
async function preflight(request, ports, emit) {
    const { appName, rev, bucket, group } = request;
    const key = bundleKey(request.prefix, appName, rev);
    const neverPushed = (detail) => new core_problems/* UserError */.y(`Revision ${rev} was never pushed for app ${appName} (${detail}). Run the push action for this commit first (uses: …/ion-actions/push with bucket: ${bucket}), or set \`rev\` to a revision that was pushed (push's \`rev\` output).`);
    const bundle = await ports.bundles.getBundle(bucket, key);
    if (!bundle)
        throw neverPushed(`no bundle at s3://${bucket}/${key}; check \`bucket\` and \`prefix\` if it was pushed elsewhere`);
    let manifest;
    try {
        manifest = await readBundleManifest(bundle.bytes);
    }
    catch (e) {
        throw new core_problems/* UserError */.y(`s3://${bucket}/${key} is not a revision bundle: ${e.message}. Push the revision again.`);
    }
    if (manifest.appName !== appName || manifest.rev !== rev) {
        throw new core_problems/* UserError */.y(`s3://${bucket}/${key} holds revision ${manifest.rev} of ${manifest.appName}, not ${rev} of ${appName}. Push the revision again.`);
    }
    if (ports.objects) {
        const verified = await verifyRevisionObjects(manifest, ports.objects, { prefix: request.prefix });
        emit({ kind: 'objects-verified', bucket: manifest.bucket, objects: verified.objects });
    }
    const revision = await ports.codedeploy.getApplicationRevision({ applicationName: appName, bucket, key, eTag: bundle.eTag });
    if (!revision.found && revision.missing === 'application') {
        throw new core_problems/* UserError */.y(`CodeDeploy application ${appName} does not exist in this account and region: check \`app-name\` (or :app-name in datomic/ion-config.edn) and the region.`);
    }
    if (!revision.found)
        throw neverPushed(`CodeDeploy has no revision s3://${bucket}/${key}`);
    emit({ kind: 'revision-registered', appName, rev, registeredAt: revision.registeredAt });
    if (!(await ports.codedeploy.deploymentGroupExists(appName, group))) {
        const groups = await ports.codedeploy.listDeploymentGroups(appName);
        const known = groups.length ? `its groups are: ${groups.join(', ')}` : 'it has no deployment groups yet';
        throw new core_problems/* UserError */.y(`Deployment group ${group} does not exist in CodeDeploy application ${appName}; ${known}. Set \`group\` to one of them.`);
    }
    emit({ kind: 'group-found', appName, group });
    const input = buildExecutionInput({ appName, group, rev, bucket, key, eTag: bundle.eTag, manifest, github: request.github });
    const overlong = overlongFunctionNames(input);
    if (overlong.length) {
        throw new core_problems/* UserError */.y(`Lambda function names longer than 64 characters: ${overlong.join(', ')}. Shorten the lambda names in ion-config or the group name.`);
    }
    emit({ kind: 'bundle-read', bucket, key, eTag: bundle.eTag, lambdas: input.lambdas });
    return { input, manifest };
}
async function start(request, ports, input, emit) {
    const random = ports.random ?? Math.random;
    const body = JSON.stringify(input);
    for (let collision = 0;; collision = collision === 0 ? 2 : collision + 1) {
        const name = executionName({
            group: request.group,
            rev: request.rev,
            runId: request.github?.runId,
            runAttempt: request.github?.runAttempt,
            now: new Date(ports.clock.now()),
            random,
            collision: collision || undefined,
        });
        try {
            const { executionArn, startDate } = await ports.sfn.startExecution({ stateMachineArn: request.stateMachineArn, name, input: body });
            emit({ kind: 'execution-started', executionArn, name, startDate, input });
            return { executionArn, executionName: name, startDate };
        }
        catch (err) {
            // The name was used by a finished execution (another deploy step of this run attempt): next name.
            if (errorName(err) === 'ExecutionAlreadyExists' && collision < 9)
                continue;
            if (errorName(err) === 'StateMachineDoesNotExist') {
                throw new core_problems/* UserError */.y(`State machine ${request.stateMachineArn} does not exist: set \`state-machine-arn\` to the deploy state machine's ARN (infra/ creates it).`);
            }
            throw err;
        }
    }
}
async function follow(plan, ports, emit) {
    const { execution } = plan;
    const followed = await followExecution({ ...ports, executionArn: execution.executionArn, emit, deadline: plan.deadline });
    const deploymentIds = followed.timeline.deploymentIds;
    const base = {
        ...execution,
        timeline: followed.timeline,
        deployments: followed.deployments,
        deploymentId: deploymentIds[deploymentIds.length - 1],
        lambdas: [],
        timedOut: false,
        stopped: false,
    };
    const end = followed.end;
    switch (end.kind) {
        case 'deadline': {
            emit({ kind: 'timed-out', timeoutMs: plan.timeoutMs });
            let stopped = false;
            if (plan.stopOnTimeout) {
                const active = followed.deployments.filter((d) => !d.fullyReported).map((d) => d.deploymentId);
                stopped = await stopDeploy(ports, emit, execution.executionArn, active, `the deploy action's timeout (${formatDuration(plan.timeoutMs)}) passed`);
            }
            return { ...base, status: stopped ? 'ABORTED' : 'RUNNING', timedOut: true, stopped };
        }
        case 'unreachable':
        case 'credentials-expired': {
            const failingForMs = end.kind === 'unreachable' ? end.failingForMs : undefined;
            emit({ kind: 'stopped-following', executionArn: execution.executionArn, reason: end.kind, error: end.error, failingForMs });
            return { ...base, status: 'RUNNING', stoppedFollowing: { reason: end.kind, error: end.error, failingForMs } };
        }
        case 'finished':
            break;
    }
    const terminal = followed.timeline.terminal;
    if (terminal.status !== 'SUCCEEDED') {
        // The deployment failed: CodeDeploy may be rolling the group back. Follow that too (within the timeout).
        const failed = failedDeployment(followed.deployments);
        const rollback = failed ? await followRollback(failed, { ...ports, emit, deadline: plan.deadline }) : undefined;
        return { ...base, status: terminal.status, error: terminal.error, cause: terminal.cause, ...(rollback ? { rollback } : {}) };
    }
    const { output, problem } = readExecutionOutput(terminal.output);
    return {
        ...base,
        status: 'SUCCEEDED',
        deploymentId: output.DeploymentId ?? base.deploymentId,
        lambdas: output.Lambdas ?? [],
        outputProblem: problem,
    };
}
/**
 * Stops the execution and the CodeDeploy deployments it started: stopping only the execution would
 * leave CodeDeploy rolling the revision out with nobody watching. CodeDeploy rolls back what it can.
 * Returns whether the execution was stopped.
 */
async function stopDeploy(ports, emit, executionArn, deploymentIds, reason) {
    emit({ kind: 'stopping', executionArn, deploymentIds, reason });
    let stopped = false;
    try {
        await ports.sfn.stopExecution({ executionArn, error: 'IonActions.DeployCancelled', cause: `Stopped by the deploy action: ${reason}.` });
        stopped = true;
    }
    catch (err) {
        emit({ kind: 'stop-failed', what: `execution ${executionArn}`, error: describeError(err) });
    }
    for (const id of deploymentIds) {
        try {
            await ports.codedeploy.stopDeployment(id, true);
        }
        catch (err) {
            // Already finished between our last poll and now: nothing to stop.
            if (errorName(err) !== 'DeploymentAlreadyCompletedException')
                emit({ kind: 'stop-failed', what: `deployment ${id}`, error: describeError(err) });
        }
    }
    return stopped;
}

;// CONCATENATED MODULE: ./src/core/deploy/failure-cause.ts
function decodeCause(cause) {
    if (!cause)
        return { summary: '', detail: '' };
    const trimmed = cause.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
            const parsed = JSON.parse(trimmed);
            return { summary: oneLine(messageOf(parsed, 0) ?? trimmed), detail: JSON.stringify(parsed, null, 2) };
        }
        catch {
            // Not JSON after all.
        }
    }
    return { summary: oneLine(cause), detail: cause };
}
function messageOf(value, depth) {
    if (depth > 4 || value === null || typeof value !== 'object' || Array.isArray(value))
        return undefined;
    const o = value;
    for (const key of ['errorMessage', 'message', 'Message', 'ErrorMessage']) {
        const v = o[key];
        if (typeof v === 'string' && v.trim()) {
            const kind = typeof o.errorType === 'string' ? o.errorType : typeof o.Code === 'string' ? o.Code : typeof o.code === 'string' ? o.code : '';
            const type = kind ? `${kind}: ` : '';
            return `${type}${v}`;
        }
    }
    // {"Error": …, "Cause": "<json or text>"}: the cause is the interesting half.
    if (typeof o.Cause === 'string') {
        const inner = decodeCause(o.Cause).summary;
        return typeof o.Error === 'string' ? `${o.Error}: ${inner}` : inner;
    }
    // A message one level down, e.g. a deployment's {"ErrorInformation": {"Code", "Message"}}.
    for (const child of Object.values(o)) {
        const found = messageOf(child, depth + 1);
        if (found)
            return found;
    }
    return undefined;
}
/**
 * Collapses whitespace into single spaces, for one-line summaries. Plain text: making it safe to print
 * in a workflow log is the printing side's job (src/github/inert-text.ts).
 */
const oneLine = (text, max = 500) => {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};
/** `error: message` in one line, without saying the error's name twice (a Lambda's errorType usually is the error). */
function describeFailure(error, cause) {
    const summary = decodeCause(cause).summary;
    const name = error ? oneLine(error, 200) : '';
    if (!name)
        return summary;
    if (!summary)
        return name;
    return summary === name || summary.startsWith(`${name}: `) ? summary : `${name}: ${summary}`;
}

;// CONCATENATED MODULE: ./src/core/deploy/poll-pacer.ts
const DEFAULT_PACER_OPTIONS = {
    activeMs: 1000,
    idleMaxMs: 2500,
    idleGrowth: 1.2,
    throttledMaxMs: 30_000,
    callsPerMinute: 45,
    burst: 6,
};
const WINDOW_MS = 60_000;
/**
 * Room kept below the cap. The action meters each HTTP request (pages and retries included), so the
 * record of the last minute holds the cap exactly; a budget metered per port call (metered-port.ts,
 * the simulations) can send a page or two beyond its tokens, and this room keeps those within it too.
 */
const UNMETERED_RESERVE = 2;
class PollPacer {
    clock;
    random;
    options;
    interval;
    throttledStreak = 0;
    /** When each call of the last WINDOW_MS went out, oldest first. */
    sent = [];
    tokens;
    refilledAt;
    /** Calls since the last polled() / throttledPoll(), and in the two rounds before (latest first). */
    roundCalls = 0;
    lastRounds = [0, 0];
    constructor(clock, options = {}, random = Math.random) {
        this.clock = clock;
        this.random = random;
        this.options = { ...DEFAULT_PACER_OPTIONS, ...options };
        this.interval = this.options.activeMs;
        this.tokens = this.options.burst;
        this.refilledAt = clock.now();
    }
    /**
     * The wait before the next poll: the cadence's interval, or longer until the budget holds a round
     * like the recent ones (the smaller of the last two: a one-off round, such as a deployment's first
     * read that lists every instance, says little about the next). Polls rarely run into the budget by
     * their own rounds, which would stall them at a moment the loop did not choose.
     */
    get nextDelayMs() {
        if (this.throttled)
            return this.interval;
        const missing = this.recentRoundCalls - this.tokensNow();
        return missing <= 0 ? this.interval : Math.max(this.interval, Math.ceil(missing / this.refillPerMs));
    }
    /**
     * Whether a round like the recent ones, made now, leaves a call in the bucket `inMs` later: a read
     * due then (a Wait state's end) should not wait for the budget behind a round made just before it.
     */
    leavesCallFor(inMs) {
        const left = Math.max(0, this.tokensNow() - this.recentRoundCalls);
        return Math.min(this.options.burst, left + inMs * this.refillPerMs) >= 1;
    }
    /** The calls of a round like the recent ones: the smaller of the last two (see nextDelayMs), at least one. */
    get recentRoundCalls() {
        return Math.max(1, Math.min(...this.lastRounds));
    }
    /**
     * Polling begins: the calls made so far (the pre-flight, the start) were no poll round, and must not
     * make the first poll wait for a round that large. Earlier rounds (another follow's) are forgotten too.
     */
    startPolling() {
        this.roundCalls = 0;
        this.lastRounds = [0, 0];
    }
    get throttled() {
        return this.throttledStreak > 0;
    }
    /** After a poll that went through: fast again if anything changed, a little slower if not. */
    polled(changed) {
        this.endRound();
        this.throttledStreak = 0;
        const { activeMs, idleMaxMs, idleGrowth } = this.options;
        this.interval = changed ? activeMs : Math.min(idleMaxMs, Math.max(activeMs, this.interval * idleGrowth));
    }
    /** After a throttled or failed poll: double the interval (at least 5 s), with ±25% jitter so parallel jobs spread out. */
    throttledPoll() {
        this.endRound();
        this.throttledStreak += 1;
        const base = Math.min(this.options.throttledMaxMs, Math.max(5000, this.interval * 2));
        this.interval = Math.round(base * (0.75 + this.random() * 0.5));
        return this.interval;
    }
    /** API calls made in the last 60 seconds. */
    callsInWindow() {
        this.forget(this.clock.now());
        return this.sent.length;
    }
    /** Waits until the call budget allows one more API call, then spends it. */
    async take() {
        for (;;) {
            const now = this.clock.now();
            this.forget(now);
            const tokens = this.tokensNow();
            if (tokens >= 1 && this.sent.length < this.options.callsPerMinute) {
                this.tokens = tokens - 1;
                this.refilledAt = now;
                this.sent.push(now);
                this.roundCalls += 1;
                return;
            }
            // A token refills, or (never with a full bucket's arithmetic, but enforced all the same) the
            // oldest call leaves the window at sent[0] + WINDOW_MS.
            const forToken = tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.refillPerMs);
            const forWindow = this.sent.length < this.options.callsPerMinute ? 0 : this.sent[0] + WINDOW_MS - now;
            await this.clock.sleep(Math.max(1, forToken, forWindow));
        }
    }
    /**
     * The bucket: `burst` calls at most, refilled at callsPerMinute − burst − UNMETERED_RESERVE a
     * minute, so that a full bucket plus a minute's refill stays below callsPerMinute.
     */
    tokensNow() {
        const elapsed = this.clock.now() - this.refilledAt;
        return Math.min(this.options.burst, this.tokens + elapsed * this.refillPerMs);
    }
    get refillPerMs() {
        return Math.max(1, this.options.callsPerMinute - this.options.burst - UNMETERED_RESERVE) / WINDOW_MS;
    }
    endRound() {
        this.lastRounds = [this.roundCalls, this.lastRounds[0]];
        this.roundCalls = 0;
    }
    /** Drops the calls older than the window: a call at t counts in [t, t + WINDOW_MS). */
    forget(now) {
        while (this.sent.length && this.sent[0] + WINDOW_MS <= now)
            this.sent.shift();
    }
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/github/inert-text.ts
var inert_text = __webpack_require__(5475);
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

;// CONCATENATED MODULE: ./src/github/untrusted-text.ts


/**
 * Prints multi-line text that came from elsewhere (a remote script's log, a file's content), each
 * line made inert (see inert-text.ts): it is shown as it was and cannot set outputs, masks or
 * annotations, nor suspend the runner's command processing.
 */
function printUntrusted(text) {
    for (const line of (0,inert_text/* inertLines */.wi)(text))
        core/* info */.pq(line);
}

;// CONCATENATED MODULE: ./src/deploy/actions-io.ts


const runnerIO = {
    info: (line) => core/* info */.pq(line),
    untrusted: (text) => printUntrusted(text),
    error: (message, title) => core/* error */.z3(message, title ? { title } : {}),
    warning: (message, title) => core/* warning */.$e(message, title ? { title } : {}),
    startGroup: (title) => core/* startGroup */.Oh(title),
    endGroup: () => core/* endGroup */.N4(),
};

;// CONCATENATED MODULE: ./src/deploy/group-check-log.ts


/** Library lines shown under the diff's one line; the rest are in the job summary. */
const DIFF_LINES = 5;
const t = (text, maxLength) => (0,inert_text/* inert */.tJ)(text ?? '', maxLength);
const group_check_log_short = (commit) => t(commit && /^[0-9a-f]{40,64}$/.test(commit) ? commit.slice(0, 12) : commit);
/**
 * The group check in the log (what the group runs, re-runs, order, the diff). Called by DeployLog,
 * the one place deploy events become text; every name, revision, commit and reason is outside text
 * (CodeDeploy, manifests, git) and goes through inert().
 */
function logGroupCheck(e, io) {
    switch (e.kind) {
        case 'previous-resolved':
            io.info(`rev: previous → ${t(e.rev)}: what ${t(e.group)} ran before its current ${t(e.currentRev)} (deployment ${t(e.deploymentId)}${e.completedAt ? `, ${e.completedAt.toISOString()}` : ''}${e.rollback ? ', a rollback' : ''})`);
            return;
        case 'group-running':
            if (!e.running) {
                io.info(`Deployment group ${t(e.group)} has no successful deployment yet`);
                return;
            }
            io.info(`Deployment group ${t(e.group)} runs ${t(e.running.rev)} (deployment ${t(e.running.deploymentId)}${e.running.completedAt ? `, ${e.running.completedAt.toISOString()}` : ''}${e.running.rollback ? ', an automatic rollback' : ''})`);
            return;
        case 'already-deployed':
            io.info(e.redeploy
                ? `${t(e.rev)} is already what ${t(e.group)} runs (deployment ${t(e.deploymentId)}): deploying it again (redeploy: true)`
                : `${t(e.rev)} is already what ${t(e.group)} runs (deployment ${t(e.deploymentId)}): nothing to do, status SKIPPED. Set redeploy: true to deploy it again.`);
            return;
        case 'deploy-order':
            logOrder(e, io);
            return;
        case 'revision-diff':
            logDiff(e.runningRev, e.diff, io);
            return;
        case 'revision-diff-unavailable':
            io.warning(`No diff against the running ${t(e.runningRev)}: ${(0,inert_text/* inertOneLine */.f4)(e.why, 300)}. The deploy goes on.`, 'What this revision changes is unknown');
            return;
    }
}
function logOrder(e, io) {
    const o = e.order;
    const by = o.source ? ` (${t(o.source)})` : '';
    const pair = `${group_check_log_short(o.requestedCommit)} vs the running ${t(e.runningRev)} at ${group_check_log_short(o.runningCommit)}`;
    switch (o.verdict) {
        case 'newer':
            io.info(`Order: ${t(e.rev)} is newer than the running ${t(e.runningRev)}: it contains commit ${group_check_log_short(o.runningCommit)}${by}`);
            return;
        case 'same-commit':
            io.info(`Order: ${t(e.rev)} is the same commit as the running ${t(e.runningRev)}${by}`);
            return;
        case 'diverged':
            io.info(`Order: ${t(e.rev)} and the running ${t(e.runningRev)} have diverged (neither contains the other)${by}: ${pair}`);
            return;
        case 'older':
            if (e.allowOlder)
                io.warning(`Deploying ${t(e.rev)} (commit ${group_check_log_short(o.requestedCommit)}) over the newer ${t(e.runningRev)} (commit ${group_check_log_short(o.runningCommit)})${by}: a rollback, allowed (allow-older: true or rev: previous).`, 'Deploying an older revision');
            else
                io.info(`Order: ${t(e.rev)} is older than the running ${t(e.runningRev)}${by}: ${pair}`);
            return;
        case 'unordered':
            io.info(`Order not checked: ${(0,inert_text/* inertOneLine */.f4)(o.why ?? '', 300)}`);
            return;
        case 'unknown':
            io.warning(`Could not tell whether ${t(e.rev)} is older than the running ${t(e.runningRev)}: ${(0,inert_text/* inertOneLine */.f4)(o.why ?? 'no answer', 400)}. Deploying anyway. To have it checked, check out the history (actions/checkout with fetch-depth: 0) or let github-token read the repository (permissions: contents: read).`, 'Deploy order not checked');
            return;
    }
}
function logDiff(runningRev, diff, io) {
    io.info(`Changes against the running ${t(runningRev)}: ${(0,inert_text/* inertOneLine */.f4)(diffOneLine(diff), 400)}`);
    const l = diff.libraries;
    const lines = [
        ...l.changed.map((c) => `  ~ ${t(c.name)} ${t(c.from)} → ${t(c.to)}${c.from === c.to ? ' (other bytes)' : ''}`),
        ...l.added.map((a) => `  + ${t(a.name)} ${t(a.version)}`),
        ...l.removed.map((r) => `  - ${t(r.name)} ${t(r.version)}`),
    ];
    for (const line of lines.slice(0, DIFF_LINES))
        io.info(line);
    if (lines.length > DIFF_LINES)
        io.info(`  …and ${lines.length - DIFF_LINES} more library changes in the job summary`);
}

;// CONCATENATED MODULE: ./src/deploy/deploy-log.ts






/** GitHub shows 10 error annotations per step; one is kept for the step's own failure message. */
const FAILURE_ANNOTATIONS = 9;
const LOG_TAIL_LINES_IN_ANNOTATION = 15;
/**
 * Turns deploy events into the workflow log: one line per change, stamped with the time it happened
 * relative to the execution's start (`[mm:ss]`), and an error annotation per failed lifecycle event.
 *
 * This is the one place deploy events become text, so it is where outside text is made inert
 * (src/github/inert-text.ts): every name, id, status, error, cause and log tail that came from AWS or
 * from the workflow's configuration goes through `inert` (one line) or `io.untrusted` (many lines),
 * so nothing the state machine, CodeDeploy or a hook writes can become a workflow command.
 */
/** Outside text, one line, made inert (short alias: it is used on nearly every line below). */
const deploy_log_t = (text, maxLength) => (0,inert_text/* inert */.tJ)(text ?? '', maxLength);
class DeployLog {
    io;
    region;
    startMs;
    annotationsLeft = FAILURE_ANNOTATIONS;
    unannotated = 0;
    open = new Set();
    constructor(io, region) {
        this.io = io;
        this.region = region;
    }
    /** Failed lifecycle events beyond GitHub's annotation limit (in the log only). */
    get failuresOnlyInLog() {
        return this.unannotated;
    }
    stamp(at) {
        return this.startMs === undefined ? '' : `[${formatElapsed(at.getTime() - this.startMs)}] `;
    }
    handle = (e) => {
        const io = this.io;
        switch (e.kind) {
            case 'bundle-read':
                io.info(`Bundle s3://${deploy_log_t(e.bucket)}/${deploy_log_t(e.key)}: ${e.lambdas.length ? `lambdas ${e.lambdas.map((l) => deploy_log_t(l.functionName)).join(', ')}` : 'no lambdas'}`);
                return;
            case 'objects-verified':
                io.info(`All ${e.objects} objects the revision names are in s3://${deploy_log_t(e.bucket)}`);
                return;
            case 'revision-registered':
                io.info(`Revision ${deploy_log_t(e.rev)} of ${deploy_log_t(e.appName)} is registered with CodeDeploy${e.registeredAt ? ` (since ${e.registeredAt.toISOString()})` : ''}`);
                return;
            case 'group-found':
                io.info(`Deployment group ${deploy_log_t(e.group)} of ${deploy_log_t(e.appName)} exists`);
                return;
            case 'previous-resolved':
            case 'group-running':
            case 'already-deployed':
            case 'deploy-order':
            case 'revision-diff':
            case 'revision-diff-unavailable':
                logGroupCheck(e, io);
                return;
            case 'group-busy':
                io.info(`Execution ${deploy_log_t(e.name)} is already deploying to ${deploy_log_t(e.group)} (started ${e.startDate.toISOString()}): waiting for it to finish first.`);
                io.info(`  ${deploy_log_t(e.executionArn)}`);
                return;
            case 'group-still-busy':
                io.info(`Still waiting for ${deploy_log_t(e.executionArn)} (${formatDuration(e.waitedMs)})`);
                return;
            case 'group-free':
                io.info(`${deploy_log_t(e.executionArn)} ended (${deploy_log_t(e.status)}) after ${formatDuration(e.waitedMs)} of waiting`);
                return;
            case 'execution-started':
            case 'following': {
                this.startMs = e.startDate.getTime();
                const url = executionConsoleUrl(e.executionArn);
                io.info(`${e.kind === 'following' ? `Following execution ${deploy_log_t(e.name)} (${deploy_log_t(e.status)})` : `Started execution ${deploy_log_t(e.name)}`}`);
                io.info(`  ${deploy_log_t(e.executionArn)}`);
                if (url)
                    io.info(`  ${deploy_log_t(url)}`);
                return;
            }
            case 'execution-began':
                io.info(`${this.stamp(e.at)}execution started`);
                return;
            case 'state-entered':
                this.open.add(e.state);
                if (e.visit <= VISITS_SHOWN)
                    io.info(`${this.stamp(e.at)}▶ ${deploy_log_t(e.state)}`);
                else if (e.visit === VISITS_SHOWN + 1)
                    io.info(`${this.stamp(e.at)}▶ ${deploy_log_t(e.state)} (visit ${e.visit}; later visits are counted in the job summary, not shown)`);
                return;
            case 'state-exited':
                this.open.delete(e.state);
                if (e.visit <= VISITS_SHOWN)
                    io.info(`${this.stamp(e.at)}✔ ${deploy_log_t(e.state)} (${formatDuration(e.durationMs)})`);
                return;
            case 'state-failure': {
                if (e.handled) {
                    // The state machine expected it (a Catch or a Retry): a step of the plan, not a problem.
                    const how = e.handled.next === undefined ? 'retried' : `Catch → ${deploy_log_t(e.handled.next)}`;
                    io.info(`${this.stamp(e.at)}↪ ${e.state === undefined ? 'state' : deploy_log_t(e.state)}: ${deploy_log_t(e.error ?? e.eventType)} handled (${how})`);
                    return;
                }
                const what = describeFailure(e.error, e.cause);
                io.info(`${this.stamp(e.at)}⚠ ${e.state === undefined ? 'state' : deploy_log_t(e.state)}: ${deploy_log_t(e.eventType)}${what ? ` ${deploy_log_t(what)}` : ''}`);
                return;
            }
            case 'deployment-found': {
                const url = deploymentConsoleUrl(e.deploymentId, this.region);
                io.info(`${this.stamp(e.at)}  CodeDeploy deployment ${deploy_log_t(e.deploymentId)}${url ? ` ${deploy_log_t(url)}` : ''}`);
                return;
            }
            case 'deployment-progress':
                io.info(`${this.stamp(e.at)}  ${deploy_log_t(e.deploymentId)} ${deploy_log_t(e.status)}: ${describeOverview(e.overview)}`);
                return;
            case 'lifecycle-event':
                this.lifecycle(e);
                return;
            case 'target-finished': {
                const status = e.status === 'Succeeded' ? 'succeeded' : e.status === 'Failed' ? 'FAILED' : deploy_log_t(e.status.toLowerCase());
                io.info(`${this.stamp(e.at)}  ${deploy_log_t(e.targetId)} ${status}${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}`);
                return;
            }
            case 'deployment-finished': {
                const info = e.errorInformation ? `: ${(0,inert_text/* inertOneLine */.f4)(`${e.errorInformation.code ?? ''} ${e.errorInformation.message ?? ''}`)}` : '';
                io.info(`${this.stamp(e.at)}  ${deploy_log_t(e.deploymentId)} ${deploy_log_t(e.status)}: ${describeOverview(e.overview)}${info}`);
                return;
            }
            case 'execution-finished': {
                const took = this.startMs === undefined ? '' : ` after ${formatDuration(e.at.getTime() - this.startMs)}`;
                if (e.status === 'SUCCEEDED') {
                    io.info(`${this.stamp(e.at)}Execution SUCCEEDED${took}`);
                    return;
                }
                const cause = decodeCause(e.cause);
                const what = describeFailure(e.error, e.cause);
                io.info(`${this.stamp(e.at)}Execution ${deploy_log_t(e.status)}${took}${what ? `: ${deploy_log_t(what)}` : ''}`);
                if (cause.detail && cause.detail !== cause.summary) {
                    io.startGroup(`Cause of ${deploy_log_t(e.status)}`);
                    io.untrusted(cause.detail);
                    io.endGroup();
                }
                return;
            }
            case 'rollback-awaited':
            case 'rollback-none':
            case 'rollback-started':
            case 'rollback-finished':
            case 'rollback-unfinished':
                this.rollback(e);
                return;
            case 'transient-error':
                if (e.streak === 1 || e.streak % 5 === 0) {
                    const what = e.throttled ? 'AWS is throttling' : 'AWS did not answer properly';
                    io.info(`${what} (${(0,inert_text/* inertOneLine */.f4)(e.error, 300)}); slowing down, next try in ${formatDuration(e.retryInMs)}${e.streak > 1 ? ` (${e.streak} in a row)` : ''}`);
                }
                return;
            case 'recovered':
                io.info(`AWS answers again (after ${e.streak} failed ${e.streak === 1 ? 'poll' : 'polls'})`);
                return;
            case 'heartbeat':
                io.info(`${this.stamp(e.at)}… still running${this.open.size ? ` in ${[...this.open].map((s) => deploy_log_t(s)).join(', ')}` : ''} (no change for ${formatDuration(e.quietMs)})`);
                return;
            case 'timed-out':
                io.info(`Gave up waiting after ${formatDuration(e.timeoutMs)} (timeout-minutes)`);
                return;
            case 'stopped-following':
                io.info(e.reason === 'credentials-expired'
                    ? `Stopped following ${deploy_log_t(e.executionArn)}: the AWS credentials expired (${(0,inert_text/* inertOneLine */.f4)(e.error, 300)})`
                    : `Stopped following ${deploy_log_t(e.executionArn)}: AWS did not answer properly for ${formatDuration(e.failingForMs ?? 0)} (last: ${(0,inert_text/* inertOneLine */.f4)(e.error, 300)})`);
                return;
            case 'stopping':
                io.info(`Stopping execution ${deploy_log_t(e.executionArn)}${e.deploymentIds.length ? ` and CodeDeploy deployment ${e.deploymentIds.map((id) => deploy_log_t(id)).join(', ')}` : ''}: ${deploy_log_t(e.reason)}`);
                return;
            case 'stop-failed':
                io.warning(`Could not stop ${deploy_log_t(e.what)}: ${(0,inert_text/* inertOneLine */.f4)(e.error)}`, 'Stopping the deploy failed');
                return;
        }
    };
    /** CodeDeploy's automatic rollback: a heading, the rollback deployment's own lines, then what the group runs now. */
    rollback(e) {
        const io = this.io;
        switch (e.kind) {
            case 'rollback-awaited':
                io.info(`${this.stamp(e.at)}Deployment ${deploy_log_t(e.failedDeploymentId)} failed; waiting up to ${formatDuration(e.withinMs)} for CodeDeploy's automatic rollback to start`);
                return;
            case 'rollback-none':
                if (e.why === 'auto-rollback-off') {
                    io.info(`No automatic rollback: it is off for deployment ${deploy_log_t(e.failedDeploymentId)} (the group's AutoRollback). Instances it reached may run the failed revision: deploy a known good revision to be sure what the group runs.`);
                }
                else if (e.message) {
                    io.info(`No automatic rollback of ${deploy_log_t(e.failedDeploymentId)}: CodeDeploy says ${(0,inert_text/* inertOneLine */.f4)(e.message, 400)}`);
                }
                else {
                    io.info(`CodeDeploy started no rollback of ${deploy_log_t(e.failedDeploymentId)}${e.waitedMs !== undefined ? ` within ${formatDuration(e.waitedMs)}` : ''} (there is none when the group never had a successful deployment). Instances it reached may run the failed revision.`);
                }
                return;
            case 'rollback-started': {
                const url = deploymentConsoleUrl(e.rollbackDeploymentId, this.region);
                io.info(`${this.stamp(e.at)}── Rollback${e.group ? ` of ${deploy_log_t(e.group)}` : ''}: CodeDeploy redeploys the last successful revision (deployment ${deploy_log_t(e.rollbackDeploymentId)}, after ${deploy_log_t(e.failedDeploymentId)} failed)`);
                if (url)
                    io.info(`  ${deploy_log_t(url)}`);
                if (e.message)
                    io.info(`  CodeDeploy: ${(0,inert_text/* inertOneLine */.f4)(e.message, 400)}`);
                return;
            }
            case 'rollback-finished': {
                const group = e.group ? deploy_log_t(e.group) : 'the group';
                const rev = e.rev ? `revision ${deploy_log_t(e.rev)}` : 'its last successful revision';
                if (e.status === 'Succeeded') {
                    io.info(`${this.stamp(e.at)}✔ Rolled back: ${group} runs ${rev} again, healthy (rollback deployment ${deploy_log_t(e.rollbackDeploymentId)} succeeded on every instance).`);
                }
                else {
                    io.info(`${this.stamp(e.at)}✖ The rollback ${e.status === 'Stopped' ? 'was stopped' : 'failed'} too (deployment ${deploy_log_t(e.rollbackDeploymentId)} ${deploy_log_t(e.status)}): ${group} may be half-deployed, some instances on ${rev}, others on the failed one. Fix the cause above and deploy again, or deploy a known good revision${e.rev ? ` (rev: ${deploy_log_t(e.rev)})` : ''}.`);
                }
                return;
            }
            case 'rollback-unfinished': {
                const url = deploymentConsoleUrl(e.rollbackDeploymentId, this.region);
                const why = e.reason === 'deadline'
                    ? 'the timeout (timeout-minutes) passed'
                    : e.reason === 'unreachable'
                        ? `AWS did not answer properly (${(0,inert_text/* inertOneLine */.f4)(e.error ?? '', 300)})`
                        : e.reason === 'credentials-expired'
                            ? `the AWS credentials expired (${(0,inert_text/* inertOneLine */.f4)(e.error ?? '', 300)})`
                            : (0,inert_text/* inertOneLine */.f4)(e.error ?? 'an error', 300);
                io.info(`Stopped following rollback deployment ${deploy_log_t(e.rollbackDeploymentId)}: ${why}. It goes on in CodeDeploy (not stopped)${url ? `: ${deploy_log_t(url)}` : '.'}`);
                return;
            }
        }
    }
    lifecycle(e) {
        const io = this.io;
        const where = `${this.stamp(e.at)}  ${deploy_log_t(e.targetId)}`;
        switch (e.status) {
            case 'InProgress':
                io.info(`${where} ▶ ${deploy_log_t(e.event)}`);
                return;
            case 'Succeeded':
                io.info(`${where} ✔ ${deploy_log_t(e.event)}${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}`);
                return;
            case 'Failed':
                io.info(`${where} ✖ ${deploy_log_t(e.event)} FAILED${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}${e.diagnostics?.errorCode ? `: ${(0,inert_text/* inertOneLine */.f4)(e.diagnostics.errorCode, 100)}` : ''}`);
                this.diagnostics(e.targetId, e.event, e.diagnostics);
                return;
            default:
                // Skipped hooks (traffic hooks without a load balancer) are noise here; the summary shows them.
                return;
        }
    }
    diagnostics(targetId, event, d) {
        const io = this.io;
        const message = d?.message ? (0,inert_text/* inertOneLine */.f4)(d.message, 400) : 'no message';
        io.startGroup(`Diagnostics: ${(0,inert_text/* inertOneLine */.f4)(targetId, 100)} ${(0,inert_text/* inertOneLine */.f4)(event, 100)}${d?.errorCode ? ` (${(0,inert_text/* inertOneLine */.f4)(d.errorCode, 100)})` : ''}`);
        io.untrusted([
            `error code: ${d?.errorCode ?? '-'}`,
            `script:     ${d?.scriptName || '-'}`,
            `message:    ${d?.message ?? '-'}`,
            'log tail:',
            d?.logTail ? d.logTail : '(empty)',
        ].join('\n'));
        io.endGroup();
        if (this.annotationsLeft === 0) {
            this.unannotated += 1;
            return;
        }
        this.annotationsLeft -= 1;
        // core.error escapes line breaks; each tail line is inert as well, so the annotation shows it as text.
        const tail = (0,inert_text/* inertLines */.wi)((d?.logTail ?? '').trimEnd(), LOG_TAIL_LINES_IN_ANNOTATION).join('\n');
        const script = d?.scriptName ? ` in ${(0,inert_text/* inertOneLine */.f4)(d.scriptName, 200)}` : '';
        const instance = (0,inert_text/* inertOneLine */.f4)(targetId, 100);
        const hook = (0,inert_text/* inertOneLine */.f4)(event, 100);
        io.error(`${instance} ${hook} failed${script}: ${message}${tail ? `\n\nLog tail:\n${tail}` : ''}`, `Deploy failed on ${instance}: ${hook}`);
    }
}
function describeOverview(o) {
    const total = o.Pending + o.InProgress + o.Succeeded + o.Failed + o.Skipped + o.Ready;
    const parts = [`${o.Succeeded}/${total} succeeded`];
    if (o.InProgress)
        parts.push(`${o.InProgress} in progress`);
    if (o.Pending)
        parts.push(`${o.Pending} pending`);
    if (o.Failed)
        parts.push(`${o.Failed} failed`);
    if (o.Skipped)
        parts.push(`${o.Skipped} skipped`);
    if (o.Ready)
        parts.push(`${o.Ready} ready`);
    return parts.join(', ');
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
;// CONCATENATED MODULE: ./src/deploy/github-deployment.ts

/**
 * A GitHub Deployment for the commit and environment (opt-in), so the repository's Environments page
 * shows what runs where. The API base comes from GITHUB_API_URL (GitHub Enterprise, tests).
 */
class GithubDeployment {
    octokit;
    repo;
    id;
    logUrl;
    environment;
    constructor(octokit, repo, id, logUrl, environment) {
        this.octokit = octokit;
        this.repo = repo;
        this.id = id;
        this.logUrl = logUrl;
        this.environment = environment;
    }
    static async create(p) {
        const octokit = github/* getOctokit */.Q(p.token);
        const repo = github/* context */._.repo;
        const created = await octokit.rest.repos.createDeployment({
            ...repo,
            ref: p.sha,
            environment: p.environment,
            description: p.description.slice(0, 140),
            payload: p.payload,
            // Deploys a pushed revision, not a branch: no merging, and CI status checks are the workflow's business.
            auto_merge: false,
            required_contexts: [],
        });
        if (!('id' in created.data))
            throw new Error(`GitHub did not create the deployment: ${created.data.message ?? `HTTP ${created.status}`}`);
        return new GithubDeployment(octokit, repo, created.data.id, runUrl(), p.environment);
    }
    /** For the post step, which only knows the id. */
    static attach(token, id) {
        return new GithubDeployment(github/* getOctokit */.Q(token), github/* context */._.repo, id, runUrl(), '');
    }
    async setStatus(state, description) {
        await this.octokit.rest.repos.createDeploymentStatus({
            ...this.repo,
            deployment_id: this.id,
            state,
            log_url: this.logUrl,
            description: description.slice(0, 140),
            ...(this.environment ? { environment: this.environment } : {}),
            auto_inactive: state === 'success',
        });
    }
}
/** The run's page (attempt included): where the deploy's log is. */
function runUrl(env = process.env) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}${attempt}`;
}

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
        reasons.push({ message: `uncommitted change (${line.slice(0, 2).trim()}): ${path}`, file: join(git.root, path) });
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

// EXTERNAL MODULE: ./src/github/input-rules.ts
var input_rules = __webpack_require__(6797);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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
const SYSTEM_DIRS = (/* unused pure expression or super */ null && (['/proc', '/sys', '/dev']));
const isWithin = (parent, child) => {
    if (child === parent)
        return true;
    const rel = relative(parent, child);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
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
async function safe_tree_resolveWithin(path, boundary) {
    let real;
    try {
        real = await realpath(path);
    }
    catch (err) {
        const e = err;
        const link = await lstat(path).catch(() => undefined);
        if (link?.isSymbolicLink()) {
            const target = await readlink(path).catch(() => undefined);
            return { missing: e, unsafe: { path, target, reason: 'dangling', code: e.code } };
        }
        return { missing: e };
    }
    const stats = await lstat(real);
    const viaLink = real !== path;
    // Name the target as the link says it (/proc/self/environ), and where it really leads when that differs.
    const said = viaLink ? await readlink(path).catch(() => undefined) : undefined;
    const target = said === undefined ? real : resolve(dirname(path), said) === real ? said : `${said} (${real})`;
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
async function safe_tree_walkTree(root, boundary) {
    const entries = [];
    const unsafe = [];
    const walk = async (absDir, relDir, ancestors) => {
        const dirents = readdirSync(absDir, { withFileTypes: true });
        for (const d of dirents) {
            const path = join(absDir, d.name);
            const name = relDir + d.name;
            if (d.name.includes('\\')) {
                unsafe.push({ path, name, reason: 'backslash' });
                continue;
            }
            let real = path;
            let st;
            if (d.isSymbolicLink()) {
                const r = await safe_tree_resolveWithin(path, boundary);
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
                st = lstatSync(path);
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
    const rootStats = lstatSync(root);
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
async function safe_tree_openRegularFile(path, options = {}) {
    let handle;
    try {
        handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.followLink ? 0 : constants.O_NOFOLLOW));
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
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.followLink ? 0 : constants.O_NOFOLLOW));
    }
    catch (err) {
        if (err.code === 'ELOOP')
            throw new NotARegularFileError(path, 'a symbolic link');
        throw err;
    }
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
        closeSync(fd);
        throw new NotARegularFileError(path, describeType(stats));
    }
    return { fd, stats };
}
/** Reads at most `maxBytes` of a regular file (opened as openRegularFile does); `truncated` when it is longer. */
async function safe_tree_readRegularFile(path, maxBytes, options = {}) {
    const { handle, stats } = await safe_tree_openRegularFile(path, options);
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
function safe_tree_describeUnsafe(u, show, boundary) {
    const target = u.target === undefined ? '' : isAbsolute(u.target) ? show(u.target) : u.target;
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

;// CONCATENATED MODULE: ./src/core/content/jar-cache.ts
const jar_cache_identityOf = (path, st) => ({
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
const jar_cache_processJarFacts = () => processCache;
/** Replaces the process's cache (tests; the action keeps the default one and loads into it). */
function resetProcessJarFacts(cache = new JarFactsCache()) {
    processCache = cache;
    return cache;
}

;// CONCATENATED MODULE: ./src/core/ion-config/jar-entries.ts



// Central directories are read in chunks of this size (about 12,000 entries).
const CHUNK = 1024 * 1024;
/**
 * Serves yauzl's small reads from one larger chunk, from a FileHandle its caller opens and closes.
 * yauzl reads each central directory record with its own read call: ~17,000 records in 200 jars
 * took 1.3 s that way, a few reads per jar instead.
 */
class ChunkedReader extends node_modules_yauzl.RandomAccessReader {
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
async function jar_entries_jarEntryNames(path, options = {}) {
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
class errors_EdnSyntaxError extends Error {
    line;
    column;
    constructor(message, at) {
        super(message);
        this.name = 'EdnSyntaxError';
        this.line = at.line;
        this.column = at.column;
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
function reader_readEdn(text) {
    const r = new Reader(text);
    r.skipIgnorable();
    if (r.atEnd())
        throw new errors_EdnSyntaxError('no value: the document is empty or everything in it is commented out', r.here());
    const value = r.readForm();
    r.skipIgnorable();
    if (!r.atEnd()) {
        if (isCloser(r.peek()))
            r.unmatchedCloser();
        throw new errors_EdnSyntaxError('extra value after the first one: an EDN document holds exactly one value (wrap several in a vector or map)', r.here());
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
                    throw new errors_EdnSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
                this.next();
                this.next();
                this.skipIgnorable(); // handles `#_ #_ a b`: the inner discard eats a, this one eats b
                if (this.atEnd() || isCloser(this.peek()))
                    throw new errors_EdnSyntaxError('#_ must be followed by a value to discard', at);
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
        throw new errors_EdnSyntaxError(message, this.here());
    }
    /** Reads one value; the caller has skipped ignorable text and checked there is a value here. */
    readForm() {
        const at = this.here();
        // Bounded so that hostile nesting is a located error, not a stack overflow.
        if (++this.depth > MAX_DEPTH)
            throw new errors_EdnSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
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
                throw new errors_EdnSyntaxError("quote (') is not EDN: write the symbol without it, e.g. my.ns/f", at);
            case '^':
            case '`':
            case '~':
            case '@':
                throw new errors_EdnSyntaxError(`unexpected '${c}': reader macros are not EDN`, at);
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
                throw new errors_EdnSyntaxError(`'${prefix}${open}' is never closed: the input ends first; add the matching '${close}'`, at);
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
                throw new errors_EdnSyntaxError("unterminated string: no closing '\"' before the end of the input", start);
            const c = this.next();
            if (c === '"')
                return value;
            if (c !== '\\') {
                value += c;
                continue;
            }
            const escapeAt = { line: this.line, column: this.column - 1 };
            if (this.atEnd())
                throw new errors_EdnSyntaxError("unterminated string: no closing '\"' before the end of the input", start);
            const e = this.next();
            const simple = STRING_ESCAPES[e];
            if (simple !== undefined)
                value += simple;
            else if (e === 'u') {
                const hex = this.text.slice(this.pos, this.pos + 4);
                if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
                    throw new errors_EdnSyntaxError(`invalid unicode escape in string: write \\u followed by four hex digits, e.g. \\u00e9`, escapeAt);
                }
                for (let i = 0; i < 4; i++)
                    this.next();
                value += String.fromCharCode(parseInt(hex, 16));
            }
            else {
                throw new errors_EdnSyntaxError(`unsupported escape \\${e} in string: use \\n, \\t, \\r, \\b, \\f, \\\\, \\" or \\uXXXX`, escapeAt);
            }
        }
    }
    readChar(at) {
        this.next();
        const first = this.peek();
        if (first === '' || WHITESPACE.has(first)) {
            throw new errors_EdnSyntaxError('a backslash must be followed by a character: write \\a, or \\space, \\newline, \\tab', at);
        }
        let token = this.next();
        if (isHighSurrogate(token) && isLowSurrogate(this.peek()))
            token += this.next();
        while (!endsToken(this.peek()))
            token += this.next();
        const value = charValue(token);
        if (value === undefined) {
            throw new errors_EdnSyntaxError(`unsupported character literal \\${clip(token)}: use a single character (\\a), \\newline, \\space, \\tab, \\return, \\backspace, \\formfeed or \\uXXXX`, at);
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
                throw new errors_EdnSyntaxError(`unknown symbolic value ##${clip(token)}: use ##Inf, ##-Inf or ##NaN`, at);
            return { kind: 'float', value, decimal: false, ...at };
        }
        if (/\p{L}/u.test(c)) {
            const tag = this.readToken();
            checkSymbol(tag, at, 'tag');
            splitName(tag, `#${tag}`, at, 'tag');
            this.skipIgnorable();
            if (this.atEnd() || isCloser(this.peek()))
                throw new errors_EdnSyntaxError(`tag #${clip(tag)} must be followed by a value`, at);
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
        throw new errors_EdnSyntaxError(`${what} is not EDN: after '#' comes {, _, :ns{ or a tag such as #inst`, at);
    }
    /** `#:ns{:a 1}` → `{:ns/a 1}`; `:_/a` keys lose their namespace. */
    readNamespacedMap(at) {
        this.next();
        if (this.peek() === ':')
            throw new errors_EdnSyntaxError('auto-resolved namespaced maps (#::{…}) are not EDN: name the namespace, as in #:my.ns{…}', at);
        const ns = this.readToken();
        if (ns === '' || ns.includes('/') || /^[0-9]/.test(ns)) {
            throw new errors_EdnSyntaxError(`invalid namespace '${clip(ns)}' for a namespaced map: write #:my.ns{…}`, at);
        }
        while (WHITESPACE.has(this.peek()))
            this.next();
        if (this.peek() !== '{')
            throw new errors_EdnSyntaxError(`namespaced map #:${clip(ns)} must be followed by a map {…}`, at);
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
            throw new errors_EdnSyntaxError(`unexpected '${this.peek()}'`, at);
        if (/^[-+]?[0-9]/.test(token))
            return readNumber(token, at);
        if (token === 'nil')
            return { kind: 'nil', ...at };
        if (token === 'true' || token === 'false')
            return { kind: 'boolean', value: token === 'true', ...at };
        if (token.startsWith(':')) {
            const body = token.slice(1);
            if (body.startsWith(':')) {
                throw new errors_EdnSyntaxError(`auto-resolved keyword ${clip(token)} is not EDN: write the namespace out, as in :my.ns/${clip(body.slice(1))}`, at);
            }
            if (body === '' || body === '/')
                throw new errors_EdnSyntaxError(`invalid keyword '${clip(token)}': a keyword needs a name, as in :name or :ns/name`, at);
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
            throw new errors_EdnSyntaxError(`invalid ratio ${clip(token)}: the denominator is zero`, at);
        return { kind: 'ratio', numerator: BigInt(ratio[1] ?? ''), denominator, ...at };
    }
    const hint = /^[-+]?0[0-9]+N?$/.test(token) ? ' (only 0 itself may start with 0)' : '';
    throw new errors_EdnSyntaxError(`invalid number '${clip(token)}'${hint}`, at);
}
/** clojure's symbol rules: '/' alone, or ns/name with '/' once, neither part empty, no trailing ':'. */
function checkSymbol(token, at, what) {
    if (token === '/')
        return;
    if (/^[.][0-9]/.test(token))
        throw new errors_EdnSyntaxError(`invalid ${what} '${clip(token)}': a number needs a leading digit, as in 0${clip(token)}`, at);
    if (token.endsWith(':') || token.includes('::'))
        throw new errors_EdnSyntaxError(`invalid ${what} '${clip(token)}': it cannot end with ':' or contain '::'`, at);
}
function splitName(body, token, at, what) {
    if (body.endsWith(':') || body.includes('::'))
        throw new errors_EdnSyntaxError(`invalid ${what} '${clip(token)}': it cannot end with ':' or contain '::'`, at);
    if (body.length > 2 && body.endsWith('//'))
        return { namespace: body.slice(0, -2), name: '/' }; // clojure.core//
    const slash = body.indexOf('/');
    if (slash === -1)
        return { namespace: null, name: body };
    const namespace = body.slice(0, slash);
    const name = body.slice(slash + 1);
    if (namespace === '' || name === '' || name.includes('/') || (what === 'symbol' && /^[0-9]/.test(name))) {
        throw new errors_EdnSyntaxError(`invalid ${what} '${clip(token)}': write namespace/name with '/' once, as in my.ns/f`, at);
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
        throw new errors_EdnSyntaxError('#inst needs an RFC 3339 timestamp string, e.g. #inst "2024-01-31T12:00:00Z"', value);
    }
    if (tag === 'uuid' && !(value.kind === 'string' && UUID.test(value.value))) {
        throw new errors_EdnSyntaxError('#uuid needs a UUID string, e.g. #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"', value);
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
        throw new errors_EdnSyntaxError(`map has an odd number of forms${where}: every key needs a value`, at);
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
            throw new errors_EdnSyntaxError(`duplicate ${what}: ${printEdn(item)} is already at line ${first.line}, column ${first.column}; remove one`, item);
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
function namespaces_namespaceOfResource(path) {
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

;// CONCATENATED MODULE: ./src/core/ion-config/classpath-resources.ts
/** Finding things on a classpath without a JVM: the ion-config resource, and every Clojure namespace. */







const ION_CONFIG_RESOURCE = 'datomic/ion-config.edn';
/** ion-config.edn is small; a larger file is refused rather than read whole. */
const ION_CONFIG_MAX_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
/**
 * First directory root (in classpath order) containing datomic/ion-config.edn. The file is read
 * by the rule of safe-tree.ts: a link out of the root's boundary, a FIFO or a device is a
 * UserError naming it, and nothing is read from it (its bytes could end up in an error message).
 */
async function findIonConfig(roots) {
    for (const root of roots) {
        if (!root.isDirectory)
            continue;
        const file = join(root.path, ION_CONFIG_RESOURCE);
        const realRoot = await realpath(root.path).catch(() => undefined);
        if (realRoot === undefined)
            continue;
        const r = await resolveWithin(file, root.boundary ?? realRoot);
        if (r.unsafe && r.unsafe.reason !== 'dangling') {
            const message = `Cannot read ${describeUnsafe(r.unsafe, (p) => p, root.boundary ? 'the directory its links may lead into' : 'its classpath directory')}`;
            throw new UserError(message, [{ severity: 'error', message, file }]);
        }
        if ('missing' in r)
            continue;
        if (r.stats.isDirectory())
            continue;
        const { data, truncated } = await readRegularFile(r.real, ION_CONFIG_MAX_BYTES);
        if (truncated) {
            const message = `${file} is larger than 1 MiB, which no ion-config needs: check that it is the right file.`;
            throw new UserError(message, [{ severity: 'error', message, file }]);
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
    const limit = pLimit(JAR_CONCURRENCY);
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
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined)
        return [];
    const walked = await walkTree(real, boundary ?? real).catch(() => undefined);
    return (walked?.entries ?? []).filter((e) => e.kind === 'file').map((e) => e.name);
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

;// CONCATENATED MODULE: ./src/core/ion-config/lambdas.ts



const lambdas_KNOWN = ['fn', 'description', 'timeout-secs', 'concurrency-limit', 'integration'];
// Datomic's defaults for keys a lambda leaves out.
const DEFAULT_TIMEOUT_SECS = 60;
const DEFAULT_CONCURRENCY_LIMIT = 20;
const MAX_TIMEOUT_SECS = 900; // AWS Lambda's limit
// AWS Lambda's limit on a function's Description, which the proxy gets from :description. Counted in
// UTF-16 units (Java's String length, the stricter count), so no description AWS refuses passes.
const MAX_DESCRIPTION = 256;
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
    if (descriptionNode && description !== null && description.length > MAX_DESCRIPTION) {
        c.error(descriptionNode, `:description of ${what} is ${description.length} characters long; AWS Lambda takes at most ${MAX_DESCRIPTION} for its proxy function's description: shorten it`);
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
        root = reader_readEdn(text);
    }
    catch (e) {
        if (!(e instanceof errors_EdnSyntaxError))
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

;// CONCATENATED MODULE: ./src/deploy/ion-config-app-name.ts




const RESOURCE = ION_CONFIG_RESOURCE;
const SKIP = new Set(['node_modules', '.git', 'target', '.cpcache', '.clj-kondo', '.lsp', 'dist']);
const ion_config_app_name_MAX_DEPTH = 6;
/** A project is small; a working-directory pointing at a huge tree should not stall the step. */
const MAX_DIRECTORIES = 5000;
/**
 * `:app-name` of datomic/ion-config.edn under the project directory: resources/ first (where Ions
 * projects keep it), then any other directory, nearest first.
 */
async function appNameFromIonConfig(projectDir) {
    const file = await ion_config_app_name_findIonConfig(projectDir);
    if (!file) {
        return {
            problems: [
                {
                    severity: 'error',
                    message: `app-name: not set, and no ${RESOURCE} under ${projectDir}: set \`app-name\` to the CodeDeploy application name, or \`working-directory\` to the project holding resources/${RESOURCE}.`,
                },
            ],
        };
    }
    const { config, problems } = validateIonConfig(await (0,promises_.readFile)(file, 'utf8'), file, { namespaces: null });
    if (!config) {
        const errors = problems.filter((p) => p.severity === 'error');
        return {
            problems: errors.length
                ? errors
                : [{ severity: 'error', message: `app-name: could not read :app-name from ${file}; set \`app-name\`` }],
        };
    }
    return { appName: config.appName, file };
}
async function ion_config_app_name_findIonConfig(root) {
    const preferred = (0,external_node_path_.join)(root, 'resources', RESOURCE);
    if (await isFile(preferred))
        return preferred;
    // Breadth first, so the shallowest match wins; sorted, so the same tree always gives the same answer.
    let level = [root];
    let visited = 0;
    for (let depth = 0; depth <= ion_config_app_name_MAX_DEPTH && level.length; depth++) {
        const next = [];
        for (const dir of level) {
            if (++visited > MAX_DIRECTORIES)
                return undefined;
            const candidate = (0,external_node_path_.join)(dir, RESOURCE);
            if ((0,external_node_path_.relative)(root, candidate) !== (0,external_node_path_.join)('resources', RESOURCE) && (await isFile(candidate)))
                return candidate;
            const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => []);
            for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
                if (e.isDirectory() && !SKIP.has(e.name))
                    next.push((0,external_node_path_.join)(dir, e.name));
            }
        }
        level = next;
    }
    return undefined;
}
const isFile = (path) => (0,promises_.stat)(path).then((s) => s.isFile(), () => false);

;// CONCATENATED MODULE: ./src/deploy/inputs.ts






const GROUP = /^[A-Za-z0-9._+=,@-]{1,100}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]{1,80}$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):[^:\s]{1,80}:[^:\s]{1,80}$/;
/** A job runs for at most 6 hours on GitHub-hosted runners, 5 days on self-hosted ones. */
const MAX_TIMEOUT_MINUTES = 5 * 24 * 60;
/** The inputs, or every problem at once (each says what to set). Reads datomic/ion-config.edn when app-name is not given. */
async function parseDeployInputs(read = (n) => core/* getInput */.V4(n), env = process.env) {
    const rules = new input_rules/* InputRules */.c(read);
    const problems = rules.problems;
    const error = (message) => rules.error(message);
    const group = rules.text('group');
    const executionArn = rules.text('execution-arn');
    const wait = rules.boolean('wait', true);
    const stopOnCancel = rules.boolean('stop-on-cancel', true);
    const wantsGithubDeployment = rules.boolean('github-deployment', false);
    const redeploy = rules.boolean('redeploy', false);
    const allowOlder = rules.boolean('allow-older', false);
    const githubToken = rules.text('github-token');
    const timeoutText = rules.text('timeout-minutes') || '30';
    const timeoutMinutes = Number(timeoutText);
    if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0 || timeoutMinutes > MAX_TIMEOUT_MINUTES) {
        error(`timeout-minutes: "${timeoutText}" is not a number of minutes (more than 0, at most ${MAX_TIMEOUT_MINUTES}); e.g. 30`);
    }
    const region = rules.region();
    let target;
    if (group !== '' && executionArn !== '') {
        error('group and execution-arn: set one of them: group to start a deploy, execution-arn to follow one that is already running');
    }
    else if (executionArn !== '') {
        if (!EXECUTION_ARN.test(executionArn)) {
            error(`execution-arn: "${executionArn}" is not a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>)`);
        }
        if (wantsGithubDeployment) {
            error('github-deployment: only for starting a deploy (group), not for following an execution-arn; remove it');
        }
        for (const [name, set] of [
            ['redeploy', redeploy],
            ['allow-older', allowOlder],
        ]) {
            if (set)
                error(`${name}: only for starting a deploy (group), not for following an execution-arn; remove it`);
        }
        target = { mode: 'follow', executionArn };
    }
    else if (group === '') {
        error('group: required; set it to the CodeDeploy deployment group to deploy to (or set execution-arn to follow a running deploy)');
    }
    else {
        target = await startTarget(group, rules, env);
    }
    let githubDeployment = null;
    if (wantsGithubDeployment && target?.mode === 'start') {
        const token = githubToken;
        if (token === '') {
            error("github-token: required when github-deployment is true (the default is the job's github.token; it needs `permissions: deployments: write`)");
        }
        githubDeployment = { token, environment: rules.text('environment') || target.group };
    }
    if (!rules.ok || !target)
        return { problems };
    return { inputs: { target, wait, timeoutMinutes, stopOnCancel, githubDeployment, region, redeploy, allowOlder, githubToken } };
}
async function startTarget(group, rules, env) {
    const error = (message) => rules.error(message);
    if (!GROUP.test(group))
        error(`group: "${group}" is not a CodeDeploy deployment group name (1–100 letters, digits and . _ + = , @ -)`);
    const rev = rules.text('rev') || (env.GITHUB_SHA ?? '').trim();
    // `previous` is a keyword, not a revision name: resolved at deploy time to what the group ran before (deploy-order.ts).
    const previous = rev === PREVIOUS;
    if (rev === '')
        error("rev: required outside a workflow run; set it to the pushed revision (the push action's `rev` output)");
    else if (!previous) {
        const problem = unameProblem(rev);
        if (problem)
            error(`rev: ${problem.replace(/^uname/, 'revision')}`);
    }
    const stateMachineArn = rules.text('state-machine-arn');
    if (stateMachineArn === '')
        error("state-machine-arn: required; set it to the deploy state machine's ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)");
    else if (!STATE_MACHINE_ARN.test(stateMachineArn))
        error(`state-machine-arn: "${stateMachineArn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
    const bucket = rules.bucket('set it to the S3 bucket push uploaded the revision to');
    const prefix = rules.prefix('use the prefix given to push (default ions)');
    let appName = rules.text('app-name');
    let appNameFrom = 'input';
    if (appName !== '') {
        const problem = appNameProblem(appName);
        if (problem)
            error(`app-name: ${problem.replace(/^:app-name/, 'app-name')}`);
    }
    else {
        const found = await appNameFromIonConfig(rules.workingDirectory(env.GITHUB_WORKSPACE || process.cwd()));
        if ('problems' in found)
            rules.problems.push(...found.problems);
        else {
            appName = found.appName;
            appNameFrom = found.file;
        }
    }
    return { mode: 'start', group, rev, appName, appNameFrom, bucket, prefix, stateMachineArn };
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

;// CONCATENATED MODULE: ./src/deploy/group-check-summary.ts


/** A 40/64-hex commit shortened for reading; anything else (a uname) as it is. */
const shortRev = (rev) => (/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(rev) ? rev.slice(0, 7) : rev);
const when = (d) => (d ? ` on ${d.toISOString().replace(/\.\d+Z$/, 'Z')}` : '');
/**
 * The job summary's part about what the group ran: `rev: previous`, the order check, and what the
 * revision changes (a table). Every name and reason is outside text: escaped or in inline code.
 */
function groupCheckSection(check, group) {
    const out = [];
    if (check.previous) {
        const p = check.previous;
        out.push(`\`rev: previous\` resolved to ${code(p.rev)}: what ${code(group)} ran before its current revision (deployment ${code(p.deploymentId)}${when(p.completedAt)}${p.rollback ? ', a rollback' : ''}).`, '');
    }
    const o = check.order;
    if (o && check.running) {
        const running = code(shortRev(check.running.rev));
        const line = {
            newer: `Newer than the running ${running}.`,
            'same-commit': `The same commit as the running ${running}.`,
            diverged: `Diverged from the running ${running}: neither commit contains the other.`,
            older: `⚠️ **Older** than the running ${running}: deployed over it on purpose (\`allow-older\` or \`rev: previous\`).`,
            unordered: `Order not checked: ${escapeCell(o.why ?? '')}.`,
            unknown: `⚠️ Could not tell whether it is older than the running ${running}: ${escapeCell(o.why ?? '')}.`,
        };
        out.push(`**Order**${o.source ? ` (${escapeCell(o.source)})` : ''}: ${line[o.verdict]}`, '');
    }
    if (check.running && (check.diff || check.diffProblem)) {
        out.push(`### What changes against ${code(shortRev(check.running.rev))}`, '', `What ${code(group)} ran before this deploy: ${code(check.running.rev)} (deployment ${code(check.running.deploymentId)}${when(check.running.completedAt)}).`, '');
        out.push(check.diff ? revisionDiffTable(check.diff) : `> [!WARNING]\n> No diff: ${escapeCell(check.diffProblem ?? '')}.`, '');
    }
    else if (!check.running) {
        out.push(`${code(group)} had no successful deployment before this one: everything is new.`, '');
    }
    return out;
}
/** The summary of a SKIPPED deploy: the group already runs the revision, nothing was started. */
function renderSkippedSummary(check, ctx) {
    const running = check.running;
    return [
        `## ⏭ Deploy ${code(ctx.appName)} ${code(shortRev(ctx.rev))} to ${code(ctx.group)}: SKIPPED`,
        '',
        `${code(ctx.group)} already runs ${code(ctx.rev)}${running ? ` (deployment ${code(running.deploymentId)}${when(running.completedAt)})` : ''}: nothing was started. Set \`redeploy: true\` to deploy it again.`,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/deploy/job-summary.ts







/** Rows per instances table: a 1 MiB summary limit holds thousands, but nobody reads them. */
const job_summary_MAX_ROWS = 300;
const MAX_FAILURES_SHOWN = 10;
/** The job summary: outcome, links, timeline of states, instances × lifecycle events, lambdas. */
function renderDeploySummary(r, ctx) {
    const out = [];
    const what = ctx.group
        ? `${code(ctx.appName ?? '')} ${code(ctx.rev ? job_summary_shortRev(ctx.rev) : '')} to ${code(ctx.group)}`
        : code(r.executionName);
    out.push(`## ${statusIcon(r)} Deploy ${what}: ${headline(r, ctx)}${rollbackHeadline(r.rollback)}`, '');
    const links = [];
    const executionUrl = executionConsoleUrl(r.executionArn);
    links.push(`Execution ${executionUrl ? `[${escapeCell(r.executionName)}](${executionUrl})` : code(r.executionName)}`);
    for (const d of r.deployments) {
        const url = deploymentConsoleUrl(d.deploymentId, ctx.region);
        links.push(`Deployment ${url ? `[${escapeCell(d.deploymentId)}](${url})` : code(d.deploymentId)}`);
    }
    const end = r.timeline?.terminal?.at;
    if (end)
        links.push(`took ${formatDuration(end.getTime() - r.startDate.getTime())}`);
    out.push(links.join(' · '), '');
    // What the group ran before: `rev: previous`, the order check, and what this revision changes.
    if (r.groupCheck && ctx.group)
        out.push(...groupCheckSection(r.groupCheck, ctx.group));
    if (r.stoppedFollowing) {
        const why = r.stoppedFollowing.reason === 'credentials-expired' ? 'the AWS credentials expired' : 'AWS did not answer properly for too long';
        out.push('### Following stopped', '', `The execution was still running when following stopped: ${why} (${paragraph(r.stoppedFollowing.error)}). What is below is what was seen until then; follow it to its end with the deploy action's \`execution-arn\` input.`, '');
    }
    if (r.status !== 'SUCCEEDED' && (r.error || r.cause)) {
        out.push('### Why it failed', '', paragraph(describeFailure(r.error, r.cause)), '');
    }
    if (r.rollback)
        out.push(...rollbackSection(r.rollback, ctx));
    const failures = r.deployments.flatMap((d) => failedEvents(d));
    if (failures.length) {
        out.push('### Failed lifecycle events', '');
        for (const f of failures.slice(0, MAX_FAILURES_SHOWN)) {
            const d = f.event.diagnostics;
            out.push(`**${escapeCell(f.target.targetId)} ${escapeCell(f.event.name)}**${d?.errorCode ? ` (${escapeCell(d.errorCode)})` : ''}${d?.scriptName ? ` in ${code(d.scriptName)}` : ''}: ${escapeCell(d?.message ?? '')}`, '');
            if (d?.logTail)
                out.push(fenced(d.logTail), '');
        }
        if (failures.length > MAX_FAILURES_SHOWN)
            out.push(`…and ${failures.length - MAX_FAILURES_SHOWN} more in the log.`, '');
    }
    const states = r.timeline ? [...r.timeline.states.values()].sort((a, b) => a.firstEnteredAt.getTime() - b.firstEnteredAt.getTime()) : [];
    if (states.length) {
        out.push('### Timeline', '', '| State | Started | Took | Visits | Result |', '|---|---|---|---|---|');
        for (const s of states) {
            const result = s.result === 'failed'
                ? `❌ failed${s.error ? ` (${escapeCell(s.error)})` : ''}`
                : s.result === 'succeeded'
                    ? '✅ succeeded'
                    : s.result === 'aborted'
                        ? '⏹ aborted'
                        : '⏳ running';
            out.push(`| ${escapeCell(s.name)} | +${formatElapsed(s.firstEnteredAt.getTime() - r.startDate.getTime())} | ${formatDuration(s.totalMs)} | ${s.visits} | ${result} |`);
        }
        out.push('');
    }
    for (const d of r.deployments)
        out.push(...instancesTable(d));
    if (r.status === 'SUCCEEDED') {
        out.push('### Lambdas', '');
        out.push(r.lambdas.length ? r.lambdas.map((l) => `- ${code(l)}`).join('\n') : 'None.', '');
        if (r.outputProblem)
            out.push(`> [!WARNING]\n> The state machine's output does not follow the contract (docs/deploy-contract.md): ${escapeCell(r.outputProblem)}.`, '');
    }
    return out.join('\n');
}
/** `, rolled back to abc1234` in the heading when CodeDeploy's rollback brought the group back. */
function rollbackHeadline(o) {
    if (!o || o.kind === 'none')
        return '';
    if (rolledBack(o))
        return `, rolled back to ${o.rev ? code(job_summary_shortRev(o.rev)) : 'the last good revision'}`;
    return o.kind === 'ended' ? ', and the rollback failed' : ', rollback still running';
}
/** What CodeDeploy's automatic rollback did, which revision the group runs now, and the rollback's instances. */
function rollbackSection(o, ctx) {
    const out = ['### Rollback', ''];
    if (o.kind === 'none') {
        out.push(o.why === 'auto-rollback-off'
            ? `No automatic rollback: it is off for deployment ${code(o.failedDeploymentId)} (the group's AutoRollback). Instances it reached may run the failed revision; deploy a known good revision to be sure what the group runs.`
            : `CodeDeploy started no rollback of ${code(o.failedDeploymentId)}${o.message ? `: ${paragraph(o.message)}` : ' (there is none when the group never had a successful deployment)'}. Instances it reached may run the failed revision.`, '');
        return out;
    }
    const url = deploymentConsoleUrl(o.rollbackDeploymentId, ctx.region);
    const link = url ? `[${escapeCell(o.rollbackDeploymentId)}](${url})` : code(o.rollbackDeploymentId);
    const group = o.group ? code(o.group) : 'The group';
    const rev = o.rev ? `revision ${code(o.rev)}` : 'its last successful revision';
    out.push(`CodeDeploy rolled back automatically after ${code(o.failedDeploymentId)} failed: rollback deployment ${link}.`, '');
    if (o.kind === 'unfinished') {
        out.push(`**Still running** when following stopped (${o.reason === 'deadline' ? 'timeout-minutes passed' : paragraph(o.error ?? o.reason ?? '')}): it goes on in CodeDeploy, not stopped; see it in the console. ${group} is going back to ${rev}.`, '');
    }
    else if (o.status === 'Succeeded') {
        out.push(`✅ ${group} runs ${rev} again, **healthy**: the rollback succeeded on every instance.`, '');
    }
    else {
        out.push(`❌ **The rollback ${o.status === 'Stopped' ? 'was stopped' : 'failed'} too** (${escapeCell(o.status ?? '')}): ${group} may be half-deployed, some instances on ${rev}, others on the failed one. Fix the cause and deploy again, or deploy a known good revision${o.rev ? ` (${code(`rev: ${o.rev}`)})` : ''}.`, '');
    }
    for (const f of failedEvents(o.tracker).slice(0, MAX_FAILURES_SHOWN)) {
        const d = f.event.diagnostics;
        out.push(`**${escapeCell(f.target.targetId)} ${escapeCell(f.event.name)}**: ${escapeCell(d?.message ?? '')}`, '');
        if (d?.logTail)
            out.push(fenced(d.logTail), '');
    }
    out.push(...instancesTable(o.tracker));
    return out;
}
/** A short summary for a deploy that never started (bad inputs, pre-flight). */
function renderNotStartedSummary(message) {
    return `## ❌ Deploy not started\n\n${paragraph(message)}\n`;
}
/**
 * Outside text as a paragraph of its own: escaped like a cell, and a leading `#`, `-`, `+`, `=` or
 * `1.` escaped too, so it cannot turn the paragraph into a heading or a list.
 */
function paragraph(text) {
    return escapeCell(text).replace(/^([#+=-]|\d+[.)])/, '\\$1');
}
function headline(r, ctx) {
    if (r.stoppedFollowing)
        return r.stoppedFollowing.reason === 'credentials-expired'
            ? 'still running when the AWS credentials expired'
            : 'still running when AWS stopped answering';
    if (r.timedOut)
        return r.stopped
            ? `stopped after ${ctx.timeoutMinutes} minutes (timeout)`
            : `still running after ${ctx.timeoutMinutes} minutes (timeout)`;
    if (r.status === 'RUNNING')
        return 'started (not waiting)';
    return r.status;
}
const statusIcon = (r) => r.status === 'SUCCEEDED' ? '✅' : r.status === 'RUNNING' && !r.timedOut && !r.stoppedFollowing ? '🚀' : '❌';
function instancesTable(d) {
    const targets = [...d.targets.values()].sort((a, b) => firstStart(a) - firstStart(b) || a.targetId.localeCompare(b.targetId));
    const all = [];
    for (const t of targets)
        for (const e of t.events)
            if (!all.includes(e.name))
                all.push(e.name);
    // Hooks no instance ran (traffic hooks without a load balancer) would only widen the table.
    const ran = (name) => targets.some((t) => t.events.some((e) => e.name === name && e.status !== 'Skipped'));
    const events = all.filter(ran);
    const skipped = all.filter((name) => !ran(name));
    const out = [`### Instances of ${escapeCell(d.deploymentId)}`, ''];
    if (d.snapshot)
        out.push(`${escapeCell(d.snapshot.status)}: ${describeOverview(d.snapshot.overview)}`, '');
    if (skipped.length && events.length)
        out.push(`Skipped on every instance: ${skipped.map(escapeCell).join(', ')}.`, '');
    if (!targets.length)
        return [...out, 'No instances reported.', ''];
    out.push(`| Instance | Status | ${events.map(escapeCell).join(' | ')} | Took |`, `|---|---|${events.map(() => '---|').join('')}---|`);
    for (const t of targets.slice(0, job_summary_MAX_ROWS)) {
        const cells = events.map((name) => cell(t.events.find((e) => e.name === name)));
        const took = tookMs(t);
        out.push(`| ${escapeCell(t.targetId)} | ${targetIcon(t.status)} ${escapeCell(t.status)} | ${cells.join(' | ')} | ${took === undefined ? '' : formatDuration(took)} |`);
    }
    if (targets.length > job_summary_MAX_ROWS)
        out.push('', `…and ${targets.length - job_summary_MAX_ROWS} more instances (see the log).`);
    out.push('');
    return out;
}
function cell(e) {
    if (!e)
        return '';
    const took = e.startTime && e.endTime ? ` ${formatDuration(e.endTime.getTime() - e.startTime.getTime())}` : '';
    switch (e.status) {
        case 'Succeeded':
            return `✅${took}`;
        case 'Failed':
            return `❌${took}`;
        case 'InProgress':
            return '⏳';
        case 'Skipped':
            return '⏭';
        case 'Pending':
            return '·';
        default:
            return '?';
    }
}
const targetIcon = (s) => s === 'Succeeded' ? '✅' : s === 'Failed' ? '❌' : s === 'Skipped' ? '⏭' : s === 'InProgress' ? '⏳' : '·';
const firstStart = (t) => Math.min(...t.events.map((e) => e.startTime?.getTime() ?? Infinity), Infinity);
function tookMs(t) {
    const start = firstStart(t);
    const end = Math.max(...t.events.map((e) => e.endTime?.getTime() ?? -Infinity));
    return Number.isFinite(start) && Number.isFinite(end) ? end - start : undefined;
}
function failedEvents(d) {
    return [...d.targets.values()].flatMap((target) => target.events.filter((e) => e.status === 'Failed').map((event) => ({ target, event })));
}
const job_summary_shortRev = (rev) => (/^[0-9a-f]{40}$/i.test(rev) ? rev.slice(0, 7) : rev);

;// CONCATENATED MODULE: ./src/deploy/saved-state.ts
/**
 * What the main step saves (core.saveState) for the post step (src/deploy-cleanup), which runs after
 * the job is cancelled (or after the main step lost touch with AWS) and stops a deploy nobody is
 * watching any more. Empty values mean "nothing to do".
 */
const STATE = {
    /** The execution being waited for, while stop-on-cancel applies. Cleared when the main step ends by itself. */
    executionArn: 'execution-arn',
    /** The region of the clients that started it. */
    region: 'region',
    /** JSON array of CodeDeploy deployment ids the execution started. */
    deploymentIds: 'deployment-ids',
    /** Why the post step should stop it, when not because the run was cancelled (the main step lost touch with AWS). */
    stopReason: 'stop-reason',
    /** GitHub deployment to mark failed, when github-deployment is on. */
    githubDeploymentId: 'github-deployment-id',
};

;// CONCATENATED MODULE: ./src/deploy/session-warning.ts

/**
 * configure-aws-credentials' sessions last 1 hour unless `role-duration-seconds` says otherwise, and
 * it cannot refresh OIDC credentials while a later step runs; `timeout-minutes` accepts days. When the
 * credentials can run out before the wait ends, following (and stopping on timeout) would fail half-way:
 * say so before anything starts.
 */
const ASSUMED_SESSION_MS = 60 * 60_000;
/** Room for the stop on timeout (and the post step) after the wait itself. */
const MARGIN_MS = 5 * 60_000;
/** The warning to print, or undefined when the credentials outlast the wait (or are long-lived keys). */
function sessionWarning(lifetime, waitMs, nowMs) {
    if (!lifetime?.session)
        return undefined;
    const needed = waitMs + MARGIN_MS;
    const atLeast = `set configure-aws-credentials' role-duration-seconds to at least ${Math.ceil(needed / 60_000) * 60} (the role's maximum session duration must allow it), or lower timeout-minutes`;
    if (lifetime.expiration) {
        const leftMs = lifetime.expiration.getTime() - nowMs;
        if (leftMs >= needed)
            return undefined;
        return `The AWS credentials expire in ${formatDuration(Math.max(0, leftMs))} (${lifetime.expiration.toISOString()}), before timeout-minutes (${formatDuration(waitMs)}) could pass: a deploy still running then can no longer be followed or stopped from this step. To wait that long, ${atLeast}.`;
    }
    if (needed <= ASSUMED_SESSION_MS)
        return undefined;
    return `The AWS credentials are a session (AWS_SESSION_TOKEN) whose expiry the action cannot see; configure-aws-credentials' sessions last 1 hour unless role-duration-seconds says otherwise, shorter than timeout-minutes (${formatDuration(waitMs)}). If the session is that short, ${atLeast}. To let the action check, export AWS_CREDENTIAL_EXPIRATION (configure-aws-credentials' aws-expiration output, with output-credentials: true).`;
}

;// CONCATENATED MODULE: ./src/aws/group-revisions.ts





const toRecord = (r) => ({
    rev: revOfBundleKey(r.key),
    bucket: r.bucket,
    key: r.key,
    ...(r.eTag ? { eTag: bareETag(r.eTag) } : {}),
    deploymentId: r.deploymentId,
    ...(r.completedAt ? { completedAt: r.completedAt } : {}),
    rollback: r.rollback,
});
/**
 * What a group runs and ran, from CodeDeploy, with the running revision's manifest read from its
 * bundle in the bucket (no other service). An unreadable manifest is reported, never thrown: the
 * diff and the order check are extras of a deploy, not conditions of it.
 */
class GroupRevisions {
    client;
    bundles;
    constructor(client, bundles) {
        this.client = client;
        this.bundles = bundles;
    }
    async running(appName, group) {
        const found = await runningRevision(this.client, appName, group);
        if (!found)
            return null;
        const running = toRecord(found);
        try {
            const bundle = await this.bundles.getBundle(found.bucket, found.key);
            if (!bundle)
                running.manifestProblem = `its bundle s3://${found.bucket}/${found.key} is gone`;
            else
                running.manifest = await readBundleManifest(bundle.bytes);
        }
        catch (err) {
            running.manifestProblem = `s3://${found.bucket}/${found.key}: ${err instanceof Error && !('$metadata' in err) ? err.message : describeError(err)}`;
        }
        return running;
    }
    async succeeded(appName, group, limit) {
        return (await succeededDeployments(this.client, appName, group, limit)).map(toRecord);
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/core/git/ancestry.ts

/** A full commit SHA (SHA-1 or SHA-256): nothing else is asked of git or GitHub (commits come from manifests: outside text). */
const isFullCommitSha = (s) => /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(s);
/** git's exit code (null when it could not run) and stdout. */
const git = (args, cwd) => new Promise((resolve) => {
    (0,external_node_child_process_.execFile)('git', args, { cwd }, (err, stdout) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout: String(stdout) });
    });
});
/**
 * Commit order from the local checkout: `git merge-base --is-ancestor`, only when both commits are in
 * it. Checkouts on runners are often shallow (actions/checkout fetches one commit by default), and a
 * shallow history can hide the path between two commits, so there only "yes, it contains it" is
 * believed; "no" is unknown rather than "diverged".
 */
class GitAncestry {
    dir;
    constructor(dir) {
        this.dir = dir;
    }
    async relate(runningCommit, requestedCommit) {
        const unknown = (why) => ({ relation: 'unknown', source: 'git', why });
        if (!isFullCommitSha(runningCommit) || !isFullCommitSha(requestedCommit))
            return unknown('a commit is not a full SHA');
        if (runningCommit === requestedCommit)
            return { relation: 'same', source: 'git' };
        const top = await git(['rev-parse', '--show-toplevel'], this.dir);
        if (top.code !== 0)
            return unknown('the working directory is not a git checkout');
        const missing = [];
        for (const c of [runningCommit, requestedCommit]) {
            if ((await git(['cat-file', '-e', `${c}^{commit}`], this.dir)).code !== 0)
                missing.push(c.slice(0, 12));
        }
        if (missing.length) {
            return unknown(`the checkout does not have commit ${missing.join(' or ')} (a shallow clone? actions/checkout with fetch-depth: 0 has them)`);
        }
        const contains = async (ancestor, descendant) => {
            const { code } = await git(['merge-base', '--is-ancestor', ancestor, descendant], this.dir);
            return code === 0 ? true : code === 1 ? false : null;
        };
        const runningContainsRequested = await contains(requestedCommit, runningCommit);
        if (runningContainsRequested)
            return { relation: 'descendant', source: 'git' };
        const requestedContainsRunning = await contains(runningCommit, requestedCommit);
        if (requestedContainsRunning)
            return { relation: 'ancestor', source: 'git' };
        if (runningContainsRequested === null || requestedContainsRunning === null)
            return unknown('git merge-base failed');
        const shallow = (await git(['rev-parse', '--is-shallow-repository'], this.dir)).stdout.trim() === 'true';
        if (shallow)
            return unknown('the checkout is shallow, so its history may be cut between the two commits');
        return { relation: 'diverged', source: 'git' };
    }
}

;// CONCATENATED MODULE: ./src/github/compare-commits.ts


const COMPARE_TIMEOUT_MS = 20_000;
/**
 * Commit order from GitHub's compare API (`GET /repos/{owner}/{repo}/compare/{base}...{head}`), for
 * checkouts without the history. Base is the requested commit and head the running one, so GitHub's
 * `ahead` means the group runs a later commit built on the requested one. A commit GitHub does not
 * know (404, 422), a token that may not read the repository (403, 401) or any other failure is
 * `unknown`: the deploy warns and goes on. The API base comes from GITHUB_API_URL (GitHub Enterprise, tests).
 */
class GithubCompare {
    options;
    constructor(options) {
        this.options = options;
    }
    async relate(runningCommit, requestedCommit) {
        const unknown = (why) => ({ relation: 'unknown', source: 'GitHub', why });
        const { token, repository } = this.options;
        if (!token)
            return unknown('no github-token to ask with');
        const [owner, repo, extra] = repository.split('/');
        if (!owner || !repo || extra !== undefined)
            return unknown('no repository (GITHUB_REPOSITORY) to ask about');
        if (!isFullCommitSha(runningCommit) || !isFullCommitSha(requestedCommit))
            return unknown('a commit is not a full SHA');
        try {
            const octokit = github/* getOctokit */.Q(token);
            const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
                owner,
                repo,
                basehead: `${requestedCommit}...${runningCommit}`,
                // Only the status is read: the least commits and files GitHub will send.
                per_page: 1,
                // An extra of the deploy: a GitHub that does not answer must not hold it up.
                request: { signal: AbortSignal.timeout(COMPARE_TIMEOUT_MS) },
            });
            switch (data.status) {
                case 'ahead':
                    return { relation: 'descendant', source: 'GitHub' };
                case 'behind':
                    return { relation: 'ancestor', source: 'GitHub' };
                case 'identical':
                    return { relation: 'same', source: 'GitHub' };
                case 'diverged':
                    return { relation: 'diverged', source: 'GitHub' };
                default:
                    return unknown(`the compare API answered status ${String(data.status)}`);
            }
        }
        catch (err) {
            const status = err.status;
            if (status === 404 || status === 422)
                return unknown(`GitHub does not know one of the commits (HTTP ${status})`);
            if (status === 401 || status === 403)
                return unknown(`the token may not read the repository (HTTP ${status}; the job needs \`permissions: contents: read\`)`);
            return unknown(`the compare API failed: ${err.message ?? String(err)}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/deploy/run.ts

































async function run(env = process.env) {
    let githubDeployment = null;
    let started = false;
    let leaveToPostStep = false;
    try {
        const parsed = await parseDeployInputs(undefined, env);
        if ('problems' in parsed) {
            throw (0,input_rules/* inputProblemsError */.b)(parsed.problems);
        }
        const { inputs } = parsed;
        // The runner masks secrets it knows; a token built or fetched in an earlier step may not be one.
        if (inputs.githubDeployment)
            core/* setSecret */.Pq(inputs.githubDeployment.token);
        if (inputs.githubToken)
            core/* setSecret */.Pq(inputs.githubToken);
        const { target } = inputs;
        const arnRegion = regionOfArn(target.mode === 'start' ? target.stateMachineArn : target.executionArn);
        const region = inputs.region || arnRegion;
        const clock = injectedClock();
        const pacer = new PollPacer(clock);
        const s3 = createS3Client({ region });
        if (!(await hasCredentials(s3)))
            throw new core_problems/* UserError */.y('No AWS credentials: add aws-actions/configure-aws-credentials before this step.');
        if (inputs.wait || target.mode === 'follow') {
            const warning = sessionWarning(await credentialLifetime(s3), inputs.timeoutMinutes * 60_000, Date.now());
            if (warning)
                core/* warning */.$e(warning, { title: 'AWS credentials may expire mid-deploy' });
        }
        // The state machine is called in its own region, whatever the job's default region.
        // Every request of the following (Step Functions and CodeDeploy, pages and retries included) spends the
        // call budget. The group check's few reads happen once, before anything starts: they do not wait for it.
        const codedeployClient = paceRequests(createCodeDeployClient({ region }), pacer);
        const bundles = new S3BundleDownload(s3);
        const ports = {
            sfn: new SfnExecutions(paceRequests(createSfnClient({ region: arnRegion ?? region }), pacer)),
            codedeploy: new CodeDeployDeployments(codedeployClient),
            bundles,
            // Pre-flight: every object the revision names is in the bucket before anything starts.
            objects: new S3ObjectPresence(s3),
            clock,
            pacer,
            classifyError: classifyPollError,
            // Re-runs, order and the diff: what the group runs, from CodeDeploy and the bucket.
            groupRevisions: new GroupRevisions(createCodeDeployClient({ region }), bundles),
            // Commit order: the checkout's own history when it has it, else GitHub's compare API.
            ancestry: firstKnown([
                new GitAncestry(env.GITHUB_WORKSPACE || process.cwd()),
                new GithubCompare({ token: inputs.githubToken, repository: env.GITHUB_REPOSITORY ?? '' }),
            ]),
        };
        const log = new DeployLog(runnerIO, region);
        const watchForCancel = target.mode === 'start' && inputs.wait && inputs.stopOnCancel;
        const deploymentIds = [];
        const emit = (e) => {
            log.handle(e);
            if (e.kind === 'execution-started' || e.kind === 'following') {
                started = true;
                // At once, so a later step (or wait: false) has it even if this one is cancelled.
                core/* setOutput */.uH('execution-arn', e.executionArn);
                if (watchForCancel) {
                    core/* saveState */.LZ(STATE.executionArn, e.executionArn);
                    core/* saveState */.LZ(STATE.region, region ?? '');
                    onCancel(() => `The workflow was cancelled: the post step stops execution ${(0,inert_text/* inert */.tJ)(e.executionArn)} (stop-on-cancel).`);
                }
            }
            if (e.kind === 'deployment-found') {
                deploymentIds.push(e.deploymentId);
                if (watchForCancel)
                    core/* saveState */.LZ(STATE.deploymentIds, JSON.stringify(deploymentIds));
            }
        };
        if (inputs.githubDeployment && target.mode === 'start') {
            githubDeployment = await createGithubDeployment(inputs.githubDeployment, target, env);
        }
        const result = await runDeploy(toRequest(inputs, env), ports, emit);
        await finish(result, inputs, region, log, githubDeployment);
        // Lost touch with AWS while the deploy may still run: leave the post step its saved state, so that
        // with stop-on-cancel it stops the execution if it is still running (the same promise as a timeout).
        leaveToPostStep = watchForCancel && result.stoppedFollowing?.reason === 'unreachable';
        if (leaveToPostStep)
            core/* saveState */.LZ(STATE.stopReason, 'the deploy step lost touch with AWS while following it (stop-on-cancel)');
    }
    catch (err) {
        const message = failureMessage(err);
        if (err instanceof core_problems/* UserError */.y)
            reportProblems(err.problems);
        core/* setFailed */.C1(message);
        await githubDeployment?.setStatus('failure', (0,inert_text/* inertOneLine */.f4)(message, 140)).catch(() => undefined);
        if (!started)
            await core/* summary */.z
                .addRaw(renderNotStartedSummary(message))
                .write()
                .catch(() => undefined);
    }
    finally {
        // The main step ended by itself (success, failure or timeout): nothing left for the post step to
        // stop, unless it lost touch with AWS (above). The GitHub Deployment's status is set either way.
        if (!leaveToPostStep)
            core/* saveState */.LZ(STATE.executionArn, '');
        core/* saveState */.LZ(STATE.githubDeploymentId, '');
    }
}
/** The step's closing error: outside text in it (AWS messages, names from inputs) made inert line by line. */
function failureMessage(err) {
    if (err instanceof core_problems/* UserError */.y)
        return (0,inert_text/* inertLines */.wi)(err.message).join('\n');
    if (classifyPollError(err).kind === 'credentials-expired') {
        return `The AWS credentials expired (${(0,inert_text/* inertOneLine */.f4)(explainAwsError(err), 300)}). Run the deploy again with fresh credentials, and give the session enough time for timeout-minutes (configure-aws-credentials' role-duration-seconds).`;
    }
    return (0,inert_text/* inertLines */.wi)(explainAwsError(err)).join('\n');
}
function toRequest(inputs, env) {
    const timeoutMs = inputs.timeoutMinutes * 60_000;
    const t = inputs.target;
    if (t.mode === 'follow')
        return { mode: 'follow', executionArn: t.executionArn, timeoutMs };
    return {
        mode: 'start',
        appName: t.appName,
        group: t.group,
        rev: t.rev,
        bucket: t.bucket,
        prefix: t.prefix,
        stateMachineArn: t.stateMachineArn,
        wait: inputs.wait,
        timeoutMs,
        stopOnCancel: inputs.stopOnCancel,
        github: githubRun(env),
        redeploy: inputs.redeploy,
        allowOlder: inputs.allowOlder,
    };
}
function githubRun(env) {
    if (!env.GITHUB_RUN_ID)
        return null;
    return {
        repository: env.GITHUB_REPOSITORY ?? '',
        runId: env.GITHUB_RUN_ID,
        runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
        sha: env.GITHUB_SHA ?? '',
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        actor: env.GITHUB_ACTOR ?? '',
    };
}
async function createGithubDeployment(settings, target, env) {
    try {
        const deployment = await GithubDeployment.create({
            token: settings.token,
            environment: settings.environment,
            sha: env.GITHUB_SHA || target.rev,
            description: `${target.appName} ${target.rev} to ${target.group}`,
            payload: { appName: target.appName, group: target.group, rev: target.rev },
        });
        await deployment.setStatus('in_progress', `Deploying ${target.rev} to ${target.group}`);
        core/* saveState */.LZ(STATE.githubDeploymentId, String(deployment.id));
        core/* info */.pq(`GitHub deployment ${deployment.id} to environment ${(0,inert_text/* inert */.tJ)(settings.environment)}`);
        return deployment;
    }
    catch (err) {
        // Bookkeeping: the deploy itself goes on.
        core/* warning */.$e(`Could not create a GitHub deployment (${(0,inert_text/* inertOneLine */.f4)(err.message ?? String(err))}); the job needs \`permissions: deployments: write\`.`, {
            title: 'GitHub deployment not created',
        });
        return null;
    }
}
async function finish(r, inputs, region, log, githubDeployment) {
    core/* setOutput */.uH('execution-arn', r.executionArn);
    core/* setOutput */.uH('status', r.status);
    core/* setOutput */.uH('deployment-id', r.deploymentId ?? '');
    core/* setOutput */.uH('lambdas', JSON.stringify(r.lambdas));
    core/* setOutput */.uH('rolled-back', String(rolledBack(r.rollback)));
    core/* setOutput */.uH('rollback-deployment-id', rollbackDeploymentId(r.rollback) ?? '');
    const t = inputs.target;
    if (r.status === 'SKIPPED' && t.mode === 'start' && r.groupCheck) {
        const rev = r.rev ?? t.rev;
        await core/* summary */.z.addRaw(renderSkippedSummary(r.groupCheck, { appName: t.appName, group: t.group, rev })).write();
        core/* info */.pq(`Nothing deployed: ${(0,inert_text/* inert */.tJ)(t.group)} already runs ${(0,inert_text/* inert */.tJ)(t.appName)} ${(0,inert_text/* inert */.tJ)(rev)} (status SKIPPED).`);
        await githubDeployment?.setStatus('success', `Already deployed: ${rev}`).catch(() => undefined);
        return;
    }
    const ctx = t.mode === 'start'
        ? { appName: t.appName, group: t.group, rev: r.rev ?? t.rev, region, timeoutMinutes: inputs.timeoutMinutes }
        : { region, timeoutMinutes: inputs.timeoutMinutes };
    await core/* summary */.z.addRaw(renderDeploySummary(r, ctx)).write();
    if (log.failuresOnlyInLog > 0)
        core/* info */.pq(`${log.failuresOnlyInLog} more failed lifecycle events are in the log only (GitHub shows 10 error annotations per step).`);
    const arn = (0,inert_text/* inert */.tJ)(r.executionArn);
    const name = (0,inert_text/* inert */.tJ)(r.executionName);
    const watched = t.mode === 'start' && inputs.wait && inputs.stopOnCancel;
    if (r.stoppedFollowing) {
        const where = lastSeen(r);
        const message = r.stoppedFollowing.reason === 'credentials-expired'
            ? `The AWS credentials expired while following execution ${name} (${(0,inert_text/* inertOneLine */.f4)(r.stoppedFollowing.error, 300)}); it was still running${where}, and goes on unwatched: this step can neither follow nor stop it. Follow it to its end from a later job with fresh credentials: the deploy action with execution-arn: ${arn} (this step's execution-arn output). To wait longer in one step, set configure-aws-credentials' role-duration-seconds above timeout-minutes.`
            : `Lost touch with AWS while following execution ${name}: every poll failed for ${formatDuration(giveUpMs(r))} (last: ${(0,inert_text/* inertOneLine */.f4)(r.stoppedFollowing.error, 300)}). It was still running${where}. ${watched
                ? "This job's post step stops it if it is still running (stop-on-cancel); to let it run on instead, set stop-on-cancel: false and follow it from a later job with execution-arn."
                : 'Follow it to its end from a later job with execution-arn:'} ${arn}`;
        core/* setFailed */.C1(message);
        await githubDeployment
            ?.setStatus('failure', r.stoppedFollowing.reason === 'credentials-expired'
            ? 'AWS credentials expired while following'
            : 'Lost touch with AWS while following')
            .catch(() => undefined);
        return;
    }
    if (r.timedOut) {
        const what = r.stopped
            ? `stopped execution ${arn}`
            : `execution ${arn} is still running${t.mode === 'start' && !inputs.stopOnCancel ? ' (stop-on-cancel is false)' : ''}: follow it with execution-arn`;
        core/* setFailed */.C1(`The deploy did not finish within ${inputs.timeoutMinutes} minutes (timeout-minutes); ${what}.`);
        await githubDeployment?.setStatus('failure', `Timed out after ${inputs.timeoutMinutes} minutes`).catch(() => undefined);
        return;
    }
    if (r.status === 'RUNNING') {
        core/* info */.pq(`Not waiting (wait: false). Follow it with execution-arn: ${arn}`);
        return;
    }
    if (r.status === 'SUCCEEDED') {
        if (r.outputProblem)
            core/* warning */.$e(`The state machine's output does not follow the contract (docs/deploy-contract.md): ${(0,inert_text/* inertOneLine */.f4)(r.outputProblem)}.`);
        const deployed = t.mode === 'start' ? ` ${(0,inert_text/* inert */.tJ)(t.appName)} ${(0,inert_text/* inert */.tJ)(r.rev ?? t.rev)} to ${(0,inert_text/* inert */.tJ)(t.group)}` : '';
        core/* info */.pq(`Deployed${deployed}: execution ${name} SUCCEEDED${r.lambdas.length ? `; lambdas ${r.lambdas.map((l) => (0,inert_text/* inert */.tJ)(l)).join(', ')}` : ''}`);
        await githubDeployment?.setStatus('success', `Deployed ${t.mode === 'start' ? (r.rev ?? t.rev) : ''}`.trim()).catch(() => undefined);
        return;
    }
    const what = describeFailure(r.error, r.cause);
    const failure = `Execution ${name} ${(0,inert_text/* inert */.tJ)(r.status)}${what ? `: ${(0,inert_text/* inert */.tJ)(what)}` : ''}`;
    const rollback = rollbackSentence(r.rollback);
    const message = rollback ? `${failure.replace(/\.$/, '')}. ${rollback}` : failure;
    core/* setFailed */.C1(message);
    await githubDeployment?.setStatus('failure', (0,inert_text/* inertOneLine */.f4)(message, 140)).catch(() => undefined);
}
/** What CodeDeploy's automatic rollback left the group running, for the step's failure message. */
function rollbackSentence(o) {
    if (!o || o.kind === 'none')
        return '';
    const group = o.group ? (0,inert_text/* inert */.tJ)(o.group) : 'the group';
    const rev = o.rev ? `revision ${(0,inert_text/* inert */.tJ)(o.rev)}` : 'its last successful revision';
    const id = (0,inert_text/* inert */.tJ)(o.rollbackDeploymentId);
    if (o.kind === 'unfinished')
        return `CodeDeploy is rolling ${group} back to ${rev} (deployment ${id}, still running when following stopped).`;
    if (o.status === 'Succeeded')
        return `CodeDeploy rolled ${group} back: it runs ${rev} again, healthy (deployment ${id}).`;
    return `The rollback failed too (deployment ${id} ${(0,inert_text/* inert */.tJ)(o.status ?? '')}): ${group} may be half-deployed; deploy a known good revision.`;
}
/** ", in state X" for the states still open when following stopped. */
function lastSeen(r) {
    const open = r.timeline ? [...r.timeline.states.values()].filter((s) => s.result === 'running').map((s) => (0,inert_text/* inert */.tJ)(s.name)) : [];
    return open.length ? `, in ${open.join(', ')}` : '';
}
const giveUpMs = (r) => r.stoppedFollowing?.failingForMs ?? 0;
/** In Actions, cancelling sends SIGINT (then SIGTERM) to this process; the post step does the stopping. */
function onCancel(say) {
    const handler = (signal) => {
        core/* info */.pq(say());
        process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
}


/***/ })

};
