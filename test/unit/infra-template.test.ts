/**
 * infra/template.yaml, checked structurally (there is no CloudFormation here): every reference
 * resolves, the state machine's role allows exactly the SDK calls the state machine makes, and the
 * GitHub workflow's policy grants what push and deploy call and nothing more.
 *
 * Parsed with `yaml` (installed as asl-validator's dependency) plus custom tags for CloudFormation's
 * short forms (!Ref, !Sub, …), turned into their long forms ({ Ref }, { 'Fn::Sub' }, …).
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleKey, objectKey } from '../../src/core/layout.js';
import { type Any, loadTemplate } from '../support/spec/cfn-template.js';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const TEMPLATE_PATH = join(ROOT, 'infra', 'template.yaml');
const ASL_TEXT = readFileSync(join(ROOT, 'infra', 'state-machine.asl.json'), 'utf8');

const template: Any = loadTemplate();
const resources: Record<string, Any> = template.Resources;

const statements = (policyDocument: Any): Any[] =>
  (policyDocument.Statement as Any[]).flatMap((s) => ('Fn::If' in s ? [s['Fn::If'][1], s['Fn::If'][2]] : [s])).filter((s) => !('Ref' in s));
const actionsOf = (stmts: Any[]): string[] => stmts.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
const inlineStatements = (role: Any): Any[] => (role.Properties.Policies ?? []).flatMap((p: Any) => statements(p.PolicyDocument));
const subText = (value: Any): string => (typeof value === 'string' ? value : (value?.['Fn::Sub'] ?? JSON.stringify(value)));

describe('infra/template.yaml', () => {
  test('every Ref, GetAtt, Sub variable and condition names something the template defines', () => {
    const defined = new Set([
      ...Object.keys(template.Parameters),
      ...Object.keys(resources),
      'AWS::AccountId',
      'AWS::Region',
      'AWS::Partition',
      'AWS::StackName',
      'AWS::StackId',
      'AWS::NoValue',
      'AWS::URLSuffix',
    ]);
    const conditions = new Set(Object.keys(template.Conditions));
    const problems: string[] = [];
    const walk = (node: Any, where: string) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          walk(n, `${where}[${i}]`);
        });
        return;
      }
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries<Any>(node)) {
        if (key === 'Ref' && !defined.has(value)) problems.push(`${where}: Ref ${value}`);
        if (key === 'Fn::GetAtt' && !(value[0] in resources)) problems.push(`${where}: GetAtt ${value.join('.')}`);
        if (key === 'Fn::Sub') {
          const text = Array.isArray(value) ? value[0] : value;
          const locals = Array.isArray(value) ? Object.keys(value[1]) : [];
          for (const [, name] of (text as string).matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const base = name!.includes('::') ? name! : name!.split('.')[0]!;
            if (!defined.has(base) && !locals.includes(base)) problems.push(`${where}: Sub \${${name}}`);
          }
        }
        if (
          (key === 'Fn::If' && !conditions.has(value[0])) ||
          (key === 'Condition' && typeof value === 'string' && !conditions.has(value))
        ) {
          problems.push(`${where}: condition ${key === 'Fn::If' ? value[0] : value}`);
        }
        walk(value, `${where}.${key}`);
      }
    };
    walk(template.Resources, 'Resources');
    walk(template.Outputs, 'Outputs');
    walk(template.Conditions, 'Conditions');
    expect(problems).toEqual([]);
  });

  test('code bucket: public access blocked, encrypted, no versioning (content-addressed objects never change)', () => {
    const bucket = resources.CodeBucket;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
  });

  test('CodeDeploy application and deployment group target EC2 tags or an Auto Scaling group', () => {
    expect(resources.Application.Properties).toEqual({ ApplicationName: { Ref: 'AppName' }, ComputePlatform: 'Server' });
    const group = resources.DeploymentGroup.Properties;
    expect(group.DeploymentGroupName).toEqual({ Ref: 'GroupName' });
    expect(group.AutoScalingGroups['Fn::If'][0]).toBe('UseAsg');
    expect(group.Ec2TagFilters['Fn::If'][0]).toBe('UseAsg');
  });

  test('the state machine is the local ASL file, with a substitution for every placeholder in it', () => {
    const sm = resources.StateMachine.Properties;
    expect(existsSync(join(dirname(TEMPLATE_PATH), sm.DefinitionS3Location))).toBe(true);
    const placeholders = new Set([...ASL_TEXT.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
    expect(Object.keys(sm.DefinitionSubstitutions).sort()).toEqual([...placeholders].sort());
    expect(sm.DefinitionSubstitutions.ProxyCodeKey).toEqual({ 'Fn::Sub': '${CodePrefix}/lambda-proxy/index.zip' });
  });

  test('the state machine role allows each SDK call the state machine makes, on its own app, group and proxies', () => {
    const used = [
      ...new Set(
        [...ASL_TEXT.matchAll(/arn:aws:states:::aws-sdk:([a-z]+):([A-Za-z]+)/g)].map(
          ([, service, action]) => `${service}:${action![0]!.toUpperCase()}${action!.slice(1)}`,
        ),
      ),
    ].sort();
    const stmts = inlineStatements(resources.StateMachineRole);
    const granted = actionsOf(stmts);
    for (const action of used) expect(granted).toContain(action);
    // Beyond the calls themselves, only what those calls need: CreateDeployment checks the revision and
    // the deployment config, CreateFunction with Tags needs TagResource, a role to pass, code to read,
    // and (VPC) the network to describe.
    const dependencies = [
      'codedeploy:GetApplicationRevision',
      'codedeploy:RegisterApplicationRevision',
      'codedeploy:GetDeploymentConfig',
      'lambda:TagResource',
      'iam:PassRole',
      's3:GetObject',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
    ];
    expect(granted).toEqual([...used, ...dependencies].sort());

    const byAction = (action: string) => stmts.find((s) => [s.Action].flat().includes(action));
    expect(subText(byAction('codedeploy:CreateDeployment').Resource)).toMatch(/:deploymentgroup:\$\{AppName\}\/\$\{GroupName\}$/);
    expect(subText(byAction('lambda:CreateFunction').Resource)).toMatch(/:function:\$\{GroupName\}_\*$/);
    const passRole = byAction('iam:PassRole');
    expect(passRole.Resource).toEqual({ 'Fn::GetAtt': ['ProxyRole', 'Arn'] });
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
    expect(subText(byAction('s3:GetObject').Resource)).toBe('${CodeBucket.Arn}/${CodePrefix}/lambda-proxy/*');
    // Only EC2's Describe actions, which have no resource-level permissions, get '*'.
    for (const s of stmts) if (s.Resource === '*') expect([s.Action].flat().every((a: string) => a.startsWith('ec2:Describe'))).toBe(true);
  });

  test("the workflow's policy grants what push and deploy call, and nothing more", () => {
    const policy = resources.WorkflowPolicy;
    expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
    const stmts = statements(policy.Properties.PolicyDocument);
    const push = [
      's3:GetObject',
      's3:PutObject',
      's3:ListBucket',
      'codedeploy:RegisterApplicationRevision',
      'codedeploy:GetApplication',
      'codedeploy:GetApplicationRevision',
      'codedeploy:ListDeploymentGroups',
    ];
    const deploy = [
      'states:StartExecution',
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:ListExecutions',
      'states:StopExecution',
      'codedeploy:GetDeployment',
      'codedeploy:ListDeploymentTargets',
      'codedeploy:BatchGetDeploymentTargets',
      'codedeploy:GetDeploymentGroup',
      // rev: previous reads the group's earlier successful deployments.
      'codedeploy:ListDeployments',
      'codedeploy:BatchGetDeployments',
      // stop-on-cancel: stopping the execution leaves its CodeDeploy deployment running.
      'codedeploy:StopDeployment',
      // GetApplicationRevision, ListDeploymentGroups and s3:GetObject on bundles are shared with push.
    ];
    expect(actionsOf(stmts)).toEqual([...push, ...deploy].sort());
    // "*" only for the actions that support no resource-level permissions (IAM checks them against "*").
    const NO_RESOURCE_LEVEL = ['codedeploy:BatchGetDeploymentTargets', 'codedeploy:ListDeploymentTargets', 'codedeploy:StopDeployment'];
    for (const s of stmts) {
      expect(s.Effect).toBe('Allow');
      expect(JSON.stringify(s.Action)).not.toContain('*');
      if (s.Resource === '*') expect([s.Action].flat().sort()).toEqual(NO_RESOURCE_LEVEL);
      else for (const a of [s.Action].flat()) expect([a, NO_RESOURCE_LEVEL.includes(a)]).toEqual([a, false]);
    }
    // Writes stay inside the layout push uses (src/core/layout.ts): objects and this app's bundles.
    const writes = stmts.find((s) => [s.Action].flat().includes('s3:PutObject'));
    const patterns: string[] = writes.Resource.map(subText);
    expect(patterns).toEqual(['${CodeBucket.Arn}/${CodePrefix}/objects/*', '${CodeBucket.Arn}/${CodePrefix}/${AppName}/revisions/*']);
    const asRegex = (p: string) =>
      new RegExp(
        `^${p.replace('${CodeBucket.Arn}/', '').replace('${CodePrefix}', 'ions').replace('${AppName}', 'my-app').replace(/[.]/g, '\\.').replace('*', '.*')}$`,
      );
    const sha = 'a'.repeat(64);
    for (const key of [objectKey('ions', sha, 'jar'), objectKey('ions', sha, 'dir'), bundleKey('ions', 'my-app', 'r1')]) {
      expect([key, patterns.some((p) => asRegex(p).test(key))]).toEqual([key, true]);
    }
    expect(patterns.some((p) => asRegex(p).test('ions/lambda-proxy/index.zip'))).toBe(false);
    // Deploy follows only its own state machine's executions and its own group's deployments.
    const describe = stmts.find((s) => [s.Action].flat().includes('states:DescribeExecution'));
    expect(subText(describe.Resource)).toMatch(/:execution:\$\{StateMachine\.Name\}:\*$/);
    const follow = stmts.find((s) => [s.Action].flat().includes('codedeploy:GetDeployment'));
    expect(subText(follow.Resource)).toMatch(/:deploymentgroup:\$\{AppName\}\/\$\{GroupName\}$/);
  });

  test('instances may read the objects and bundles and list only the objects prefix', () => {
    const stmts = inlineStatements(resources.InstanceRole);
    expect(actionsOf(stmts)).toEqual(['s3:GetObject', 's3:ListBucket']);
    const list = stmts.find((s) => s.Action === 's3:ListBucket');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': { 'Fn::Sub': '${CodePrefix}/objects/*' } } });
  });

  test('outputs name what the actions and the instances need', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'CodeBucketName',
        'CodePrefix',
        'StateMachineArn',
        'WorkflowPolicyArn',
        'InstanceProfileName',
        'ProxyCodeS3Uri',
      ]),
    );
  });
});
