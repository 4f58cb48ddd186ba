export const id = 644;
export const ids = [644];
export const modules = {

/***/ 5644:
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
        const out = await client.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group }));
        deploymentId = out.deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId;
    }
    catch (err) {
        if (hasErrorName(err, 'DeploymentGroupDoesNotExistException') || hasErrorName(err, 'ApplicationDoesNotExistException'))
            return null;
        throw err;
    }
    if (!deploymentId)
        return null;
    const out = await client.send(new GetDeploymentCommand({ deploymentId }));
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

;// CONCATENATED MODULE: ./src/core/sdk-errors.ts
const sdk_errors_errorName = (err) => {
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
const httpStatus = (err) => err?.$metadata?.httpStatusCode;
/** `Name (HTTP nnn): message` in one line, for messages that then say what to do next. */
function sdk_errors_describeError(err) {
    const name = sdk_errors_errorName(err);
    const status = httpStatus(err);
    const message = errorMessage(err).replace(/\s+/g, ' ').trim();
    const head = status === undefined ? name : `${name} (HTTP ${status})`;
    // Errors without a body (HeadObject's) have only the status name, or UnknownError, as their message.
    return message && message !== name && message !== 'UnknownError' ? `${head}: ${message}` : head;
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
    if (sdk_errors_hasErrorName(err, 'CredentialsProviderError') || /Could not load credentials/i.test(message)) {
        return 'No usable AWS credentials: add aws-actions/configure-aws-credentials before this step.';
    }
    if (sdk_errors_hasErrorName(err, 'AccessDenied', 'AccessDeniedException') || status === 403) {
        return `AWS denied access (${sdk_errors_describeError(err)}). Give the workflow's role the permissions listed in docs/infra.md.`;
    }
    if (sdk_errors_hasErrorName(err, 'NoSuchBucket'))
        return `${sdk_errors_describeError(err)}: check the \`bucket\` input and the region.`;
    if (status !== undefined)
        return sdk_errors_describeError(err);
    // Not from AWS: most likely a bug of ours, so keep the stack for the report.
    return err?.stack ?? `${sdk_errors_errorName(err)}: ${message}`;
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

// EXTERNAL MODULE: ./src/core/problems.ts
var problems = __webpack_require__(8155);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var node_modules_yauzl = __webpack_require__(663);
;// CONCATENATED MODULE: ./src/core/deploy/bundle-manifest.ts


/** Reads ion-manifest.json from a revision bundle (a zip in memory). Throws with a readable message. */
async function bundle_manifest_readBundleManifest(bytes) {
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
function clock_formatDuration(ms) {
    if (ms < 1000)
        return `${Math.max(0, Math.round(ms))}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const totalS = Math.round(ms / 1000);
    if (totalS < 3600)
        return `${Math.floor(totalS / 60)}m ${String(totalS % 60).padStart(2, '0')}s`;
    return `${Math.floor(totalS / 3600)}h ${String(Math.floor((totalS % 3600) / 60)).padStart(2, '0')}m`;
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
function print_clip(text, max = 100) {
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
const names_lambdaFunctionName = (group, lambda) => `${group}_${lambda}`;
const names_LAMBDA_FUNCTION_NAME_MAX = 64;
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
        const max = names_LAMBDA_FUNCTION_NAME_MAX - 2;
        if (fullName.length > max) {
            return `lambda name :${name} is ${fullName.length} characters long; at most ${max} leaves room for the "<group>_" prefix of its Lambda function name (${names_LAMBDA_FUNCTION_NAME_MAX} characters at most)`;
        }
        return null;
    }
    const tooLong = groups.map((g) => names_lambdaFunctionName(g, fullName)).filter((f) => f.length > names_LAMBDA_FUNCTION_NAME_MAX);
    if (tooLong.length > 0) {
        const examples = tooLong.map((f) => `${clip(f, 100)} (${f.length})`).join(', ');
        return `lambda name :${name} makes Lambda function names longer than ${names_LAMBDA_FUNCTION_NAME_MAX} characters: ${examples}; shorten the lambda name or the deployment group name`;
    }
    // CodeDeploy allows group names that a Lambda function name does not (a '.', for one).
    for (const group of groups) {
        const badInGroup = firstBadChar(group, /[A-Za-z0-9_-]/);
        if (badInGroup) {
            return `Lambda function name ${clip(names_lambdaFunctionName(group, name), 100)} of lambda :${name} contains ${badInGroup} (from deployment group "${clip(group)}"), which a Lambda function name cannot; rename the deployment group with only letters, digits, '_' and '-'`;
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

;// CONCATENATED MODULE: ./src/core/deploy/execution-input.ts


/** The document the state machine receives (docs/deploy-contract.md). */
function execution_input_buildExecutionInput(p) {
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
const execution_input_overlongFunctionNames = (input) => input.lambdas.map((l) => l.functionName).filter((name) => name.length > LAMBDA_FUNCTION_NAME_MAX);
/** Reads the execution's input back (another deploy's), to tell which group it deploys. */
function execution_input_readExecutionTarget(input) {
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
function execution_input_readExecutionOutput(output) {
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
const LIST_AFTER_FREED_MS = (/* unused pure expression or super */ null && ([0, 1_000, 3_000]));
/**
 * Follows one CodeDeploy deployment and reports each change once. Cheap per poll whatever the group's
 * size: it reads the lifecycle events of the instances in progress only (one BatchGetDeploymentTargets
 * per 25), lists every target once (the list does not change during a deployment), looks for newly
 * started instances (ListDeploymentTargets filtered on InProgress) when a slot frees up (see listDue),
 * and asks for the overview every ~30 s or when nothing is in progress.
 */
class deployment_tracker_DeploymentTracker {
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
const execution_timeline_VISITS_SHOWN = 2;
/** Whether the log shows a line for the change (the visit after the shown ones gets one saying so). */
const execution_timeline_isShown = (change) => (change.kind !== 'state-entered' && change.kind !== 'state-exited') || change.visit <= execution_timeline_VISITS_SHOWN + 1;
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
class execution_timeline_ExecutionTimeline {
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
class follow_schedule_FollowSchedule {
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

;// CONCATENATED MODULE: ./src/core/deploy/follow-execution.ts




/**
 * Follows an execution to its end (or the deadline): its history, and every CodeDeploy deployment a
 * state's output names. Throttling, 5xx, dropped connections and garbled answers slow it down, up to
 * the schedule's give-up time; expired credentials end it at once; other errors are thrown.
 */
async function follow_execution_followExecution(o) {
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
function follow_rollback_failedDeployment(trackers) {
    const last = trackers[trackers.length - 1];
    const status = last?.snapshot?.status;
    return status === 'Failed' || status === 'Stopped' ? last : undefined;
}
/**
 * Waits (bounded) for CodeDeploy to name the rollback of `failed`, then follows it to its end, the
 * deadline, or until AWS stops answering. Never throws for AWS errors: the deploy has failed already,
 * and the rollback is reported as far as it could be followed.
 */
async function follow_rollback_followRollback(failed, o) {
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
async function group_queue_waitForGroup(o) {
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

;// CONCATENATED MODULE: ./src/core/deploy/running-revision.ts





/** How many succeeded deployments `rev: previous` looks through (redeploys of the current revision are passed over). */
const PREVIOUS_SEARCH_LIMIT = 50;
const record = (r) => {
    const { manifest: _m, manifestProblem: _p, ...rest } = r;
    return rest;
};
/** `rev: previous` → the revision the group ran before its current one (a one-step rollback). */
async function running_revision_resolvePrevious(request, ports, emit) {
    const { appName, group } = request;
    const current = await ports.groupRevisions.running(appName, group);
    if (!current) {
        throw new UserError(`rev: previous: deployment group ${group} of ${appName} has no successful deployment (or does not exist), so there is no previous revision to go back to. Set \`rev\` to a pushed revision.`);
    }
    const history = await ports.groupRevisions.succeeded(appName, group, PREVIOUS_SEARCH_LIMIT);
    const previous = pickPrevious(current, history);
    if (!previous) {
        throw new UserError(`rev: previous: deployment group ${group} has run only ${current.rev} (in its last ${history.length} successful deployments), so there is no previous revision to go back to. Set \`rev\` to a pushed revision.`);
    }
    const expected = bundleKey(request.prefix, appName, previous.rev);
    if (previous.bucket !== request.bucket || previous.key !== expected) {
        throw new UserError(`rev: previous: the revision ${group} ran before its current one is s3://${previous.bucket}/${previous.key}, not a bundle of s3://${request.bucket}/${expected.replace(/[^/]+$/, '')}. Set \`bucket\` and \`prefix\` to where it was pushed, or set \`rev\` to the revision to deploy.`);
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
async function running_revision_checkGroup(request, next, ports, emit) {
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
        throw new UserError(`Refusing to deploy ${rev} (commit ${o.requestedCommit}) to ${group}: the group runs ${running.rev} (commit ${o.runningCommit}), a later commit that already contains it (${o.source ?? 'ancestry'}). Deploying it would put an older revision over a newer one. To roll back on purpose, set \`allow-older: true\` (or deploy with \`rev: previous\`).`);
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
async function verify_revision_objects_verifyRevisionObjects(manifest, port, where) {
    const entries = [...new Map(manifest.classpath.map((e) => [e.key, e])).values()];
    const limit = pLimit(CONCURRENCY);
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
    throw new UserError([
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
            throw new UserError(`Execution ${request.executionArn} does not exist: check \`execution-arn\` (and that the job's AWS region is the execution's).`);
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
        throw new UserError(`Another deploy to ${request.group} was still running after ${formatDuration(request.timeoutMs)} (timeout-minutes); nothing was started. Re-run when it has finished, or raise timeout-minutes.`);
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
    const neverPushed = (detail) => new UserError(`Revision ${rev} was never pushed for app ${appName} (${detail}). Run the push action for this commit first (uses: …/ion-actions/push with bucket: ${bucket}), or set \`rev\` to a revision that was pushed (push's \`rev\` output).`);
    const bundle = await ports.bundles.getBundle(bucket, key);
    if (!bundle)
        throw neverPushed(`no bundle at s3://${bucket}/${key}; check \`bucket\` and \`prefix\` if it was pushed elsewhere`);
    let manifest;
    try {
        manifest = await readBundleManifest(bundle.bytes);
    }
    catch (e) {
        throw new UserError(`s3://${bucket}/${key} is not a revision bundle: ${e.message}. Push the revision again.`);
    }
    if (manifest.appName !== appName || manifest.rev !== rev) {
        throw new UserError(`s3://${bucket}/${key} holds revision ${manifest.rev} of ${manifest.appName}, not ${rev} of ${appName}. Push the revision again.`);
    }
    if (ports.objects) {
        const verified = await verifyRevisionObjects(manifest, ports.objects, { prefix: request.prefix });
        emit({ kind: 'objects-verified', bucket: manifest.bucket, objects: verified.objects });
    }
    const revision = await ports.codedeploy.getApplicationRevision({ applicationName: appName, bucket, key, eTag: bundle.eTag });
    if (!revision.found && revision.missing === 'application') {
        throw new UserError(`CodeDeploy application ${appName} does not exist in this account and region: check \`app-name\` (or :app-name in datomic/ion-config.edn) and the region.`);
    }
    if (!revision.found)
        throw neverPushed(`CodeDeploy has no revision s3://${bucket}/${key}`);
    emit({ kind: 'revision-registered', appName, rev, registeredAt: revision.registeredAt });
    if (!(await ports.codedeploy.deploymentGroupExists(appName, group))) {
        const groups = await ports.codedeploy.listDeploymentGroups(appName);
        const known = groups.length ? `its groups are: ${groups.join(', ')}` : 'it has no deployment groups yet';
        throw new UserError(`Deployment group ${group} does not exist in CodeDeploy application ${appName}; ${known}. Set \`group\` to one of them.`);
    }
    emit({ kind: 'group-found', appName, group });
    const input = buildExecutionInput({ appName, group, rev, bucket, key, eTag: bundle.eTag, manifest, github: request.github });
    const overlong = overlongFunctionNames(input);
    if (overlong.length) {
        throw new UserError(`Lambda function names longer than 64 characters: ${overlong.join(', ')}. Shorten the lambda names in ion-config or the group name.`);
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
                throw new UserError(`State machine ${request.stateMachineArn} does not exist: set \`state-machine-arn\` to the deploy state machine's ARN (infra/ creates it).`);
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
        emit({ kind: 'stop-failed', what: `execution ${executionArn}`, error: sdk_errors_describeError(err) });
    }
    for (const id of deploymentIds) {
        try {
            await ports.codedeploy.stopDeployment(id, true);
        }
        catch (err) {
            // Already finished between our last poll and now: nothing to stop.
            if (sdk_errors_errorName(err) !== 'DeploymentAlreadyCompletedException')
                emit({ kind: 'stop-failed', what: `deployment ${id}`, error: sdk_errors_describeError(err) });
        }
    }
    return stopped;
}

// EXTERNAL MODULE: ./src/github/inert-text.ts
var inert_text = __webpack_require__(5475);
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
function revision_diff_diffManifests(running, next) {
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
                io.info(`Still waiting for ${deploy_log_t(e.executionArn)} (${clock_formatDuration(e.waitedMs)})`);
                return;
            case 'group-free':
                io.info(`${deploy_log_t(e.executionArn)} ended (${deploy_log_t(e.status)}) after ${clock_formatDuration(e.waitedMs)} of waiting`);
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
                if (e.visit <= execution_timeline_VISITS_SHOWN)
                    io.info(`${this.stamp(e.at)}▶ ${deploy_log_t(e.state)}`);
                else if (e.visit === execution_timeline_VISITS_SHOWN + 1)
                    io.info(`${this.stamp(e.at)}▶ ${deploy_log_t(e.state)} (visit ${e.visit}; later visits are counted in the job summary, not shown)`);
                return;
            case 'state-exited':
                this.open.delete(e.state);
                if (e.visit <= execution_timeline_VISITS_SHOWN)
                    io.info(`${this.stamp(e.at)}✔ ${deploy_log_t(e.state)} (${clock_formatDuration(e.durationMs)})`);
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
                io.info(`${this.stamp(e.at)}  ${deploy_log_t(e.targetId)} ${status}${e.durationMs !== undefined ? ` (${clock_formatDuration(e.durationMs)})` : ''}`);
                return;
            }
            case 'deployment-finished': {
                const info = e.errorInformation ? `: ${(0,inert_text/* inertOneLine */.f4)(`${e.errorInformation.code ?? ''} ${e.errorInformation.message ?? ''}`)}` : '';
                io.info(`${this.stamp(e.at)}  ${deploy_log_t(e.deploymentId)} ${deploy_log_t(e.status)}: ${describeOverview(e.overview)}${info}`);
                return;
            }
            case 'execution-finished': {
                const took = this.startMs === undefined ? '' : ` after ${clock_formatDuration(e.at.getTime() - this.startMs)}`;
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
                    io.info(`${what} (${(0,inert_text/* inertOneLine */.f4)(e.error, 300)}); slowing down, next try in ${clock_formatDuration(e.retryInMs)}${e.streak > 1 ? ` (${e.streak} in a row)` : ''}`);
                }
                return;
            case 'recovered':
                io.info(`AWS answers again (after ${e.streak} failed ${e.streak === 1 ? 'poll' : 'polls'})`);
                return;
            case 'heartbeat':
                io.info(`${this.stamp(e.at)}… still running${this.open.size ? ` in ${[...this.open].map((s) => deploy_log_t(s)).join(', ')}` : ''} (no change for ${clock_formatDuration(e.quietMs)})`);
                return;
            case 'timed-out':
                io.info(`Gave up waiting after ${clock_formatDuration(e.timeoutMs)} (timeout-minutes)`);
                return;
            case 'stopped-following':
                io.info(e.reason === 'credentials-expired'
                    ? `Stopped following ${deploy_log_t(e.executionArn)}: the AWS credentials expired (${(0,inert_text/* inertOneLine */.f4)(e.error, 300)})`
                    : `Stopped following ${deploy_log_t(e.executionArn)}: AWS did not answer properly for ${clock_formatDuration(e.failingForMs ?? 0)} (last: ${(0,inert_text/* inertOneLine */.f4)(e.error, 300)})`);
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
                io.info(`${this.stamp(e.at)}Deployment ${deploy_log_t(e.failedDeploymentId)} failed; waiting up to ${clock_formatDuration(e.withinMs)} for CodeDeploy's automatic rollback to start`);
                return;
            case 'rollback-none':
                if (e.why === 'auto-rollback-off') {
                    io.info(`No automatic rollback: it is off for deployment ${deploy_log_t(e.failedDeploymentId)} (the group's AutoRollback). Instances it reached may run the failed revision: deploy a known good revision to be sure what the group runs.`);
                }
                else if (e.message) {
                    io.info(`No automatic rollback of ${deploy_log_t(e.failedDeploymentId)}: CodeDeploy says ${(0,inert_text/* inertOneLine */.f4)(e.message, 400)}`);
                }
                else {
                    io.info(`CodeDeploy started no rollback of ${deploy_log_t(e.failedDeploymentId)}${e.waitedMs !== undefined ? ` within ${clock_formatDuration(e.waitedMs)}` : ''} (there is none when the group never had a successful deployment). Instances it reached may run the failed revision.`);
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
                io.info(`${where} ✔ ${deploy_log_t(e.event)}${e.durationMs !== undefined ? ` (${clock_formatDuration(e.durationMs)})` : ''}`);
                return;
            case 'Failed':
                io.info(`${where} ✖ ${deploy_log_t(e.event)} FAILED${e.durationMs !== undefined ? ` (${clock_formatDuration(e.durationMs)})` : ''}${e.diagnostics?.errorCode ? `: ${(0,inert_text/* inertOneLine */.f4)(e.diagnostics.errorCode, 100)}` : ''}`);
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

;// CONCATENATED MODULE: ./src/deploy-cleanup/run.ts












/**
 * The deploy action's post step. It runs at the end of every job that used the action, cancelled ones
 * included; the main step leaves an execution ARN in its saved state only while it is waiting with
 * stop-on-cancel, and clears it when it ends by itself. So a non-empty ARN means the main step was
 * killed (cancelled, or the step's own timeout-minutes) while the deploy went on, or that it lost touch
 * with AWS while following (then STATE.stopReason says so): stop it if it still runs.
 */
async function run() {
    const executionArn = core/* getState */.Gu(STATE.executionArn);
    const githubDeploymentId = core/* getState */.Gu(STATE.githubDeploymentId);
    if (executionArn)
        await stopIfRunning(executionArn);
    else
        core/* info */.pq('Nothing to stop: the deploy step ended by itself.');
    if (githubDeploymentId) {
        const token = core/* getInput */.V4('github-token');
        core/* setSecret */.Pq(token);
        await GithubDeployment.attach(token, Number(githubDeploymentId))
            .setStatus('failure', 'Cancelled')
            .catch((err) => core/* warning */.$e(`Could not mark GitHub deployment ${(0,inert_text/* inert */.tJ)(githubDeploymentId)} failed: ${(0,inert_text/* inertOneLine */.f4)(err.message ?? String(err))}`));
    }
}
async function stopIfRunning(executionArn) {
    try {
        const region = regionOfArn(executionArn) ?? (core/* getState */.Gu(STATE.region) || undefined);
        const sfn = new SfnExecutions(createSfnClient({ region }));
        const described = await sfn.describeExecution(executionArn);
        if (described?.status !== 'RUNNING') {
            core/* info */.pq(`Execution ${(0,inert_text/* inert */.tJ)(executionArn)} is ${described ? (0,inert_text/* inert */.tJ)(described.status) : 'gone'}: nothing to stop.`);
        }
        else {
            const codedeploy = new CodeDeployDeployments(createCodeDeployClient({ region: core/* getState */.Gu(STATE.region) || region }));
            const deploymentIds = parseIds(core/* getState */.Gu(STATE.deploymentIds));
            const log = new DeployLog(runnerIO, region);
            const reason = core/* getState */.Gu(STATE.stopReason) || 'the workflow run was cancelled';
            if (await stopDeploy({ sfn, codedeploy }, log.handle, executionArn, deploymentIds, reason)) {
                core/* info */.pq(`Stopped execution ${(0,inert_text/* inert */.tJ)(executionArn)}.`);
            }
            else {
                core/* setFailed */.C1(`Could not stop execution ${(0,inert_text/* inert */.tJ)(executionArn)}; stop it in the Step Functions console.`);
            }
        }
    }
    catch (err) {
        core/* setFailed */.C1(`Could not stop execution ${(0,inert_text/* inert */.tJ)(executionArn)}: ${(0,inert_text/* inertLines */.wi)(explainAwsError(err)).join('\n')}`);
    }
}
function parseIds(text) {
    try {
        const parsed = JSON.parse(text || '[]');
        return Array.isArray(parsed) ? parsed.filter((x) => typeof x === 'string') : [];
    }
    catch {
        return [];
    }
}


/***/ })

};
