/**
 * Least privilege, checked against what the local cloud sees. One small end-to-end run (push → deploy
 * to one instance, which creates the Lambda proxies) on the local cloud, whose every AWS call is recorded
 * with who made it (each role signs with its own access key, local-cloud/index.ts LOCAL_CREDENTIALS),
 * the IAM action and the resource ARN (local-cloud/s3-server.ts, codedeploy.ts, step-functions.ts,
 * and the state machine's in-process calls). Each recorded (principal, action, resource) is then
 * evaluated against that principal's policy in infra/template.yaml, resolved with this stack's
 * parameters: nothing used may be ungranted. The reverse too: every `Resource: '*'` grant is for an
 * action that has no resource-level permissions (allowlist below, with the reason), every grant is
 * used by the run or says why not, and the workflow policy table of docs/infra.md lists exactly the
 * template's actions.
 *
 * Not modelled: the Lambda proxies' own role (they call no AWS service, so a call through one adds
 * nothing here: test/integration/e2e-local-cloud.test.ts makes it; their logs are Lambda's), the
 * CodeDeploy service role (AWS managed), the bucket policy's TLS-only Deny (the local cloud is plain
 * HTTP on loopback), and ec2:Describe* for proxies in a VPC (no VPC here).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACCOUNT,
  REGION,
  REPO_ROOT,
  startLocalCloud,
  type CloudAccess,
  type LocalCloud,
  type LocalStack,
} from '../../local-cloud/index.js';
import type { ActionResult } from '../../local-cloud/run-action.js';
import { exampleRepo, missingPrerequisites, runDeploy, runPush } from '../../local-cloud/workflow.js';
import { type Any, loadTemplate } from '../support/spec/cfn-template.js';

// infra/template.yaml, with CloudFormation's short-form tags turned into their long forms.
const template: Any = loadTemplate();

const APP = 'hello-ion';
const GROUP = 'hello-lp';
const BUCKET = 'hello-ion-least-privilege';
const PREFIX = 'ions';
const NO_VALUE = Symbol('AWS::NoValue');

/** The stack's parameters (defaults, then this test's), and what its resources resolve to in the local cloud. */
function stackValues(stack: LocalStack) {
  const params: Record<string, string> = Object.fromEntries(
    Object.entries<Any>(template.Parameters).map(([k, p]) => [k, String(p.Default ?? '')]),
  );
  Object.assign(params, { AppName: APP, GroupName: GROUP, CodePrefix: PREFIX, CodeBucketName: BUCKET });
  const stateMachineName = stack.stateMachineArn.split(':').pop()!;
  const refs: Record<string, string> = {
    ...params,
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    CodeBucket: BUCKET,
    StateMachine: stack.stateMachineArn,
    Application: APP,
  };
  const attributes: Record<string, string> = {
    'CodeBucket.Arn': `arn:aws:s3:::${BUCKET}`,
    'StateMachine.Name': stateMachineName,
    // The role ARN the local stack gives the state machine's definition (local-cloud/index.ts createStack).
    'ProxyRole.Arn': `arn:aws:iam::${ACCOUNT}:role/ion-${APP}-${GROUP}-proxy`,
  };
  return { refs, attributes };
}

/** Resolves intrinsics far enough for policies: Ref, GetAtt, Sub, If (with the template's conditions), Equals, Not. */
function resolver(values: ReturnType<typeof stackValues>) {
  const conditions = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!conditions.has(name)) conditions.set(name, Boolean(resolve(template.Conditions[name])));
    return conditions.get(name)!;
  };
  const lookup = (name: string): string => {
    const v = name.includes('.') ? values.attributes[name] : values.refs[name];
    if (v === undefined) throw new Error(`least-privilege test: no local value for ${name}; add it to stackValues()`);
    return v;
  };
  function resolve(node: Any): Any {
    if (Array.isArray(node)) return node.map(resolve).filter((v) => v !== NO_VALUE);
    if (!node || typeof node !== 'object') return node;
    const [key] = Object.keys(node);
    const arg = node[key!];
    switch (key) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? NO_VALUE : lookup(arg);
      case 'Fn::GetAtt':
        return lookup(arg.join('.'));
      case 'Fn::Sub':
        return (arg as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => lookup(name));
      case 'Fn::If':
        return resolve(condition(arg[0]) ? arg[1] : arg[2]);
      case 'Fn::Equals':
        return resolve(arg[0]) === resolve(arg[1]);
      case 'Fn::Not':
        return !resolve(arg[0]);
      case 'Condition':
        return condition(arg);
      default:
        return Object.fromEntries(
          Object.entries<Any>(node)
            .map(([k, v]) => [k, resolve(v)])
            .filter(([, v]) => v !== NO_VALUE),
        );
    }
  }
  return resolve;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (v: Any): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const normalise = (s: Any): Statement => ({ ...s, Action: list(s.Action), Resource: list(s.Resource) });

/** Each principal's identity policies, as the template grants them (the proxies' and CodeDeploy's roles are not exercised). */
function policies(resolve: (n: Any) => Any): Record<string, Statement[]> {
  const r = template.Resources;
  const inline = (role: Any): Statement[] =>
    resolve(role.Properties.Policies ?? []).flatMap((p: Any) => p.PolicyDocument.Statement.map(normalise));
  return {
    workflow: resolve(r.WorkflowPolicy.Properties.PolicyDocument).Statement.map(normalise),
    instance: inline(r.InstanceRole),
    'state-machine': inline(r.StateMachineRole),
  };
}

/** IAM's wildcard match: `*` any run of characters (including `/` and `:`), `?` one character. */
const wildcard = (pattern: string, value: string, caseInsensitive = false): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'is' : 's',
  ).test(value);

function conditionHolds(condition: Statement['Condition'], context: Record<string, string>): boolean {
  for (const [operator, tests] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(tests)) {
      const actual = context[key];
      if (actual === undefined) return false; // no ...IfExists operators are used
      const ok = list(expected).some((e) =>
        operator === 'StringEquals'
          ? e === actual
          : operator === 'StringLike'
            ? wildcard(e, actual)
            : operator === 'Bool'
              ? e === actual
              : false,
      );
      if (!ok) return false;
    }
  }
  return true;
}

/** The statements that allow this access (explicit Deny statements would win; the role policies have none). */
function allowedBy(statements: Statement[], access: CloudAccess): Statement[] {
  const applies = (s: Statement) =>
    s.Action.some((a) => wildcard(a, access.action, true)) &&
    s.Resource.some((r) => wildcard(r, access.resource)) &&
    conditionHolds(s.Condition, access.context ?? {});
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return [];
  return statements.filter((s) => s.Effect === 'Allow' && applies(s));
}

/**
 * Actions the template may grant on `Resource: '*'`, each because the action has no resource-level
 * permissions (Service Authorization Reference): anything else must name its resources.
 */
const STAR_ALLOWED: Record<string, string> = {
  'codedeploy:ListDeploymentTargets': 'no resource-level permissions; deploy lists the instances of its deployment',
  'codedeploy:BatchGetDeploymentTargets': "no resource-level permissions; deploy reads each instance's lifecycle events",
  'codedeploy:StopDeployment': 'no resource-level permissions; deploy stops its deployment when the workflow is cancelled',
  'ec2:DescribeSubnets':
    "EC2 Describe* actions support no resource-level permissions; Lambda checks a VPC proxy's subnets with the caller's permissions",
  'ec2:DescribeSecurityGroups': "no resource-level permissions; Lambda checks a VPC proxy's security groups with the caller's permissions",
  'ec2:DescribeVpcs': "no resource-level permissions; Lambda checks a VPC proxy's VPC with the caller's permissions",
};

/** Grants this run does not exercise, and why they are still needed. */
const NOT_EXERCISED: Record<string, string> = {
  'workflow s3:ListBucket':
    'no call lists: it makes S3 answer a HEAD of a missing object 404 instead of 403, so push can tell "not uploaded yet" from "forbidden"',
  'workflow states:DescribeExecution':
    'the post step reads its execution before stopping it when the workflow is cancelled (test/integration/deploy-cancel.test.ts)',
  'workflow states:StopExecution': 'deploy stops its execution when the workflow is cancelled (test/integration/deploy-cancel.test.ts)',
  'workflow codedeploy:StopDeployment': 'deploy with stop-on-cancel stops the deployment too (test/integration/deploy-cancel.test.ts)',
  'workflow codedeploy:ListDeployments': "`rev: previous` lists the group's earlier deployments (test/integration/deploy-reruns.test.ts)",
  'workflow codedeploy:BatchGetDeployments':
    '`rev: previous` reads where those deployments came from (test/integration/deploy-reruns.test.ts)',
  'state-machine lambda:UpdateFunctionCode': "the second deploy refreshes existing proxies' code (this run deploys once)",
  'state-machine lambda:UpdateFunctionConfiguration': "the second deploy refreshes existing proxies' configuration",
  'state-machine ec2:DescribeSubnets': 'proxies in a VPC only (ProxySubnetIds set; the local cloud has no VPC)',
  'state-machine ec2:DescribeSecurityGroups': 'proxies in a VPC only',
  'state-machine ec2:DescribeVpcs': 'proxies in a VPC only',
};

let cloud: LocalCloud;
let stack: LocalStack;
let access: CloudAccess[];

const expectOk = (r: ActionResult) => {
  if (r.exitCode !== 0) throw new Error(`action failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
};

beforeAll(async () => {
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`The least-privilege test cannot run:\n${missing.join('\n')}`);
  cloud = await startLocalCloud({ timeScale: 0.05 });
  stack = await cloud.createStack({ appName: APP, group: GROUP, bucket: BUCKET, prefix: PREFIX, instances: 1 });
  const repo = exampleRepo();
  const push = await runPush(cloud, stack, repo);
  expectOk(push);
  // The deploy steps on a faster clock: only the pauses between their polls shrink (workflow.ts, clockScale).
  const { main, post } = await runDeploy(cloud, stack, repo, push.outputs.rev!, { clockScale: 5 });
  expectOk(main);
  expectOk(post);
  expect(main.outputs.status).toBe('SUCCEEDED');
  // The proxy the state machine created exists; a call through it is not made here: it reaches the
  // dispatcher on the instance and no AWS service (the proxies have no AWS calls to check), and
  // test/integration/e2e-local-cloud.test.ts makes it, to the deployed code.
  expect(cloud.lambda.functions.has(`${GROUP}_greet`)).toBe(true);
  access = cloud.accessLog();
  if (process.env.LEAST_PRIVILEGE_DUMP)
    console.log([...new Set(access.map((a) => `${key(a)}  <- ${a.call.replace(/\?.*/, '')}`))].sort().join('\n'));
}, 300_000);

afterAll(async () => {
  await cloud?.close();
});

const key = (a: CloudAccess) =>
  `${a.principal} ${a.action} ${a.resource}${a.context && Object.keys(a.context).length ? ` ${JSON.stringify(a.context)}` : ''}`;

describe('least privilege: what the local cloud saw against infra/template.yaml', () => {
  test('every principal of the template was seen, and every call came from a known principal', () => {
    const principals = new Set(access.map((a) => a.principal));
    for (const p of ['workflow', 'instance', 'state-machine']) expect([p, principals.has(p)]).toEqual([p, true]);
    expect([...principals].filter((p) => p.startsWith('unknown'))).toEqual([]);
    // Each role's own calls, so a later change that moves a call to another principal shows up here.
    const actions = (p: string) => [...new Set(access.filter((a) => a.principal === p).map((a) => a.action))].sort();
    expect(actions('instance')).toEqual(['s3:GetObject', 's3:ListBucket']);
    // The operator's calls are not checked, so they must be only the stack's set-up (bucket, proxy code).
    expect([...new Set(access.filter((a) => a.principal === 'operator').map((a) => `${a.action} ${a.resource}`))].sort()).toEqual([
      `s3:CreateBucket arn:aws:s3:::${BUCKET}`,
      `s3:PutObject arn:aws:s3:::${BUCKET}/${PREFIX}/lambda-proxy/index.zip`,
    ]);
    expect(actions('workflow')).toEqual(
      expect.arrayContaining([
        's3:PutObject',
        'codedeploy:RegisterApplicationRevision',
        'states:StartExecution',
        'states:GetExecutionHistory',
      ]),
    );
    expect(actions('state-machine')).toEqual(
      expect.arrayContaining(['codedeploy:CreateDeployment', 'lambda:CreateFunction', 'iam:PassRole', 's3:GetObject']),
    );
  });

  test("nothing used is not granted: each (principal, action, resource) is allowed by that role's policy", () => {
    const resolve = resolver(stackValues(stack));
    const byPrincipal = policies(resolve);
    const misses = new Set<string>();
    for (const a of access) {
      if (a.principal === 'operator') continue; // the stack's set-up and this test's own reads
      const statements = byPrincipal[a.principal];
      if (!statements || allowedBy(statements, a).length === 0) misses.add(`${key(a)}  (from ${a.call})`);
    }
    expect([...misses].sort()).toEqual([]);
  });

  test('the check itself refuses what the roles must not do (forged accesses)', () => {
    const byPrincipal = policies(resolver(stackValues(stack)));
    const forged: CloudAccess[] = [
      {
        principal: 'workflow',
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${BUCKET}/${PREFIX}/lambda-proxy/index.zip`,
        call: 'forged',
      },
      {
        principal: 'workflow',
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${BUCKET}/${PREFIX}/other-app/revisions/x.zip`,
        call: 'forged',
      },
      {
        principal: 'workflow',
        action: 'codedeploy:CreateDeployment',
        resource: `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${APP}/${GROUP}`,
        call: 'forged',
      },
      { principal: 'workflow', action: 'states:StartExecution', resource: `${stack.stateMachineArn}-other`, call: 'forged' },
      {
        principal: 'instance',
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${BUCKET}`,
        context: { 's3:prefix': `${PREFIX}/${APP}/` },
        call: 'forged',
      },
      { principal: 'instance', action: 's3:PutObject', resource: `arn:aws:s3:::${BUCKET}/${PREFIX}/objects/x.jar`, call: 'forged' },
      {
        principal: 'state-machine',
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/admin`,
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        call: 'forged',
      },
      {
        principal: 'state-machine',
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/ion-${APP}-${GROUP}-proxy`,
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
        call: 'forged',
      },
      {
        principal: 'state-machine',
        action: 'lambda:CreateFunction',
        resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:other_greet`,
        call: 'forged',
      },
      {
        principal: 'state-machine',
        action: 'lambda:InvokeFunction',
        resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${GROUP}_greet`,
        call: 'forged',
      },
    ];
    expect(forged.filter((a) => allowedBy(byPrincipal[a.principal]!, a).length > 0).map(key)).toEqual([]);
  });

  test('nothing granted on Resource "*" that could be scoped (allowlist: actions without resource-level permissions)', () => {
    // Both branches of every condition: a grant that only appears with a VPC counts too.
    const stars: string[] = [];
    const walk = (node: Any, where: string) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          walk(n, `${where}[${i}]`);
        });
        return;
      }
      if (!node || typeof node !== 'object') return;
      if ('Effect' in node && 'Action' in node && list(node.Resource).includes('*')) {
        for (const action of list(node.Action)) if (!(action in STAR_ALLOWED)) stars.push(`${where}: ${action}`);
      }
      for (const [k, v] of Object.entries<Any>(node)) walk(v, `${where}.${k}`);
    };
    walk(template.Resources, 'Resources');
    expect(stars).toEqual([]);
    // No wildcard actions either.
    const wildActions: string[] = [];
    const walkActions = (node: Any) => {
      if (Array.isArray(node)) return node.forEach(walkActions);
      if (!node || typeof node !== 'object') return;
      if ('Effect' in node && node.Effect === 'Allow') for (const a of list(node.Action)) if (a.includes('*')) wildActions.push(a);
      Object.values<Any>(node).forEach(walkActions);
    };
    walkActions(template.Resources);
    expect(wildActions).toEqual([]);
  });

  test('every granted action is used by the run, or is listed with the reason it is not', () => {
    const resolve = resolver(stackValues(stack));
    const used = new Set(access.map((a) => `${a.principal} ${a.action.toLowerCase()}`));
    const unused: string[] = [];
    // The VPC branch too (HasVpc is false for this stack), so its grants need a reason as well.
    const raw = template.Resources;
    const allStatements = (role: Any): Any[] =>
      (role.Properties.Policies ?? []).flatMap((p: Any) =>
        p.PolicyDocument.Statement.flatMap((s: Any) => ('Fn::If' in s ? [s['Fn::If'][1], s['Fn::If'][2]] : [s])).filter(
          (s: Any) => !('Ref' in s),
        ),
      );
    const granted: [string, Any[]][] = [
      ['workflow', raw.WorkflowPolicy.Properties.PolicyDocument.Statement],
      ['instance', allStatements(raw.InstanceRole)],
      ['state-machine', allStatements(raw.StateMachineRole)],
    ];
    for (const [principal, statements] of granted) {
      for (const s of statements)
        for (const action of list(resolve(s.Action))) {
          const k = `${principal} ${action}`;
          if (!used.has(k.toLowerCase()) && !(k in NOT_EXERCISED)) unused.push(k);
        }
    }
    expect(unused).toEqual([]);
    // A reason for a grant the run does use is stale: drop it, so the list stays the truth.
    expect(Object.keys(NOT_EXERCISED).filter((k) => used.has(k.toLowerCase()))).toEqual([]);
  });

  test("docs/infra.md's table of the workflow policy lists exactly the template's workflow actions", () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'infra.md'), 'utf8');
    const start = doc.indexOf('### What the workflow policy grants');
    // The table ends where the next section of the same or a higher level begins.
    const next = doc.slice(start + 4).search(/\n#{2,3} /);
    const section = doc.slice(start, next < 0 ? undefined : start + 4 + next);
    const documented = new Set<string>();
    for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
      const cell = row.split('|')[1]!;
      let service = '';
      for (const match of cell.matchAll(/`([^`]+)`/g)) {
        const name = match[1]!;
        if (name.includes(':')) service = name.split(':')[0]!;
        documented.add(name.includes(':') ? name : `${service}:${name}`);
      }
    }
    const resolve = resolver(stackValues(stack));
    const templated = new Set(policies(resolve).workflow!.flatMap((st) => st.Action));
    expect([...documented].sort()).toEqual([...templated].sort());
  });
});

describe('the local services reject what AWS would reject', () => {
  /**
   * An awsJson request for any target (the SDK would not send an operation it does not know). The local
   * services check that a request is SigV4-signed, not the signature itself, so a well-formed header does.
   */
  async function callRaw(url: string, target: string, service: string, protocol: string) {
    const authorization = `AWS4-HMAC-SHA256 Credential=AKIDLOCALWORKFLOW/20261201/${REGION}/${service}/aws4_request, SignedHeaders=host;x-amz-target, Signature=${'0'.repeat(64)}`;
    const headers = { 'content-type': `application/x-amz-json-${protocol}`, 'x-amz-target': target, authorization };
    const res = await fetch(url, { method: 'POST', headers, body: '{}' });
    return { status: res.status, body: (await res.json()) as { __type: string } };
  }

  test('an operation the local CodeDeploy or Step Functions does not have answers 400 UnknownOperationException', async () => {
    for (const [url, target, service, protocol] of [
      [cloud.codedeploy.url, 'CodeDeploy_20141006.DeleteApplication', 'codedeploy', '1.1'],
      [cloud.codedeploy.url, 'CodeDeploy_20141006.toString', 'codedeploy', '1.1'],
      [cloud.sfn.url, 'AWSStepFunctions.DeleteStateMachine', 'states', '1.0'],
      [cloud.sfn.url, 'AWSStepFunctions.constructor', 'states', '1.0'],
    ] as const) {
      const r = await callRaw(url, target, service, protocol);
      expect([target, r.status, r.body.__type]).toEqual([target, 400, 'UnknownOperationException']);
    }
  });
});
