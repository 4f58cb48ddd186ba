/**
 * infra/template.yaml, as `aws cloudformation package` hands it to CloudFormation, against the
 * CloudFormation resource specification (@aws-cdk/cfnspec; test/support/spec/cfn-spec.ts):
 * resource types, property names and types, required properties, Ref/GetAtt targets and
 * attributes, parameter defaults. Each check is also shown to catch a planted mistake.
 */
import { describe, expect, test } from '@jest/globals';
import { checkTemplate, cfnSpec, packaged } from '../support/spec/cfn-spec.js';
import { type Any, loadTemplate } from '../support/spec/cfn-template.js';

describe('infra/template.yaml against the CloudFormation resource specification', () => {
  test('has no problem after `aws cloudformation package`', () => {
    expect(cfnSpec().ResourceSpecificationVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(checkTemplate(packaged(loadTemplate()))).toEqual([]);
  });

  test('without `package` the local definition path is caught (DefinitionS3Location is an S3 location)', () => {
    expect(checkTemplate(loadTemplate())).toEqual([
      expect.stringMatching(/StateMachine\.Properties\.DefinitionS3Location: .*structure, not "state-machine\.asl\.json"/),
    ]);
  });
});

const resource = (t: Any, id: string): Any => t.Resources[id];

const PLANTED: [string, (t: Any) => void, RegExp][] = [
  [
    'a misspelt resource type',
    (t) => {
      resource(t, 'Application').Type = 'AWS::CodeDeploy::Applications';
    },
    /Application\.Type: AWS::CodeDeploy::Applications is not a resource type/,
  ],
  [
    'a resource type in the wrong case',
    (t) => {
      resource(t, 'InstanceProfile').Type = 'AWS::IAM::Instanceprofile';
    },
    /it is spelt AWS::IAM::InstanceProfile/,
  ],
  [
    'a wrong property name',
    (t) => {
      resource(t, 'DeploymentGroup').Properties.DeploymentGroupNames = 'x';
    },
    /DeploymentGroup\.Properties\.DeploymentGroupNames: AWS::CodeDeploy::DeploymentGroup has no property DeploymentGroupNames/,
  ],
  [
    'a property name in the wrong case',
    (t) => {
      const p = resource(t, 'StateMachine').Properties;
      p.RoleARN = p.RoleArn;
      delete p.RoleArn;
    },
    /StateMachine\.Properties\.RoleARN: .*; it is spelt RoleArn/,
  ],
  [
    'a wrong nested property name',
    (t) => {
      resource(t, 'CodeBucket').Properties.PublicAccessBlockConfiguration.BlockPublicAcl = true;
    },
    /PublicAccessBlockConfiguration\.BlockPublicAcl: PublicAccessBlockConfiguration has no property BlockPublicAcl/,
  ],
  [
    'a required property left out',
    (t) => {
      delete resource(t, 'StateMachine').Properties.RoleArn;
    },
    /StateMachine\.Properties: AWS::StepFunctions::StateMachine requires RoleArn/,
  ],
  [
    'a required property left out in one Fn::If branch',
    (t) => {
      resource(t, 'StateMachine').Properties.RoleArn = {
        'Fn::If': ['HasVpc', { 'Fn::GetAtt': ['StateMachineRole', 'Arn'] }, { Ref: 'AWS::NoValue' }],
      };
    },
    /RoleArn: required, but one branch of Fn::If leaves it out/,
  ],
  [
    'a list where a string goes',
    (t) => {
      resource(t, 'Application').Properties.ApplicationName = ['a'];
    },
    /Application\.Properties\.ApplicationName: String, not \["a"\]/,
  ],
  [
    'a string where a list goes',
    (t) => {
      resource(t, 'InstanceProfile').Properties.Roles = { Ref: 'InstanceRole' };
    },
    /InstanceProfile\.Properties\.Roles: a list, but Ref gives a string/,
  ],
  [
    'a boolean that is not one',
    (t) => {
      resource(t, 'DeploymentGroup').Properties.AutoRollbackConfiguration.Enabled = 'yes';
    },
    /AutoRollbackConfiguration\.Enabled: Boolean, not "yes"/,
  ],
  [
    'a Ref to nothing',
    (t) => {
      resource(t, 'Application').Properties.ApplicationName = { Ref: 'ApplicationName' };
    },
    /Ref ApplicationName names no parameter/,
  ],
  [
    'a GetAtt of an attribute the type lacks',
    (t) => {
      resource(t, 'StateMachine').Properties.RoleArn = { 'Fn::GetAtt': ['StateMachineRole', 'RoleArn'] };
    },
    /GetAtt StateMachineRole\.RoleArn: AWS::IAM::Role has no attribute RoleArn \(Arn, RoleId\)/,
  ],
  [
    'a GetAtt inside Fn::Sub of an attribute the type lacks',
    (t) => {
      resource(t, 'CodeBucketPolicy').Properties.PolicyDocument.Statement[0].Resource[1] = { 'Fn::Sub': '${CodeBucket.ARN}/*' };
    },
    /GetAtt CodeBucket\.ARN: AWS::S3::Bucket has no attribute ARN/,
  ],
  [
    'a GetAtt of a resource that does not exist',
    (t) => {
      resource(t, 'StateMachine').Properties.RoleArn = { 'Fn::GetAtt': ['DeployRole', 'Arn'] };
    },
    /GetAtt DeployRole\.Arn: no resource DeployRole/,
  ],
  [
    'a default that fails its own AllowedPattern',
    (t) => {
      t.Parameters.CodePrefix.Default = 'ions/';
    },
    /Parameters\.CodePrefix: the default "ions\/" does not match its own AllowedPattern/,
  ],
  [
    'a default outside its AllowedValues',
    (t) => {
      t.Parameters.ProxyRuntime.Default = 'nodejs18.x';
    },
    /Parameters\.ProxyRuntime: the default "nodejs18\.x" is not one of its AllowedValues/,
  ],
  [
    'a misspelt DeletionPolicy',
    (t) => {
      resource(t, 'CodeBucket').DeletionPolicy = 'Retained';
    },
    /CodeBucket\.DeletionPolicy: Retained is not/,
  ],
];

describe('each CloudFormation check fails on a planted mistake', () => {
  test.each(PLANTED)('%s', (_what, plant, expected) => {
    const t = packaged(loadTemplate());
    plant(t);
    const problems = checkTemplate(t);
    expect(problems.some((p) => expected.test(p)) ? expected : problems).toEqual(expected);
  });
});
