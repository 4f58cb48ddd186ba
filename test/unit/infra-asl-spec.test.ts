/**
 * infra/state-machine.asl.json against what Step Functions and the services it calls accept:
 * operations, parameter names and casing, required members and literal types from the models the
 * AWS SDK v3 clients carry; error names from those models; paths, context fields and intrinsic
 * functions as Step Functions defines them (test/support/spec/asl-spec.ts). asl-validator's schema
 * check stays in state-machine.test.ts; this adds what a schema cannot know.
 *
 * Every check is also shown to fail: each planted mistake below is caught, with a line that says
 * where and what.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkIntrinsic, checkPath, checkStateMachine, taskTarget } from '../support/spec/asl-spec.js';
import { sdkService } from '../../local-cloud/sdk-models.js';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const ASL_TEXT = readFileSync(join(ROOT, 'infra', 'state-machine.asl.json'), 'utf8');

type Any = any; // a state machine definition, mutated by the planted mistakes
const machine = (): Any => JSON.parse(ASL_TEXT);
const lambdaState = (m: Any, name: string): Any => m.States.EnsureLambdaProxies.ItemProcessor.States[name];

/** Every Task state, inner machines included. */
function tasks(m: Any, prefix = ''): [string, Any][] {
  return Object.entries<Any>(m.States).flatMap(([name, s]) => [
    ...(s.Type === 'Task' ? [[`${prefix}${name}`, s] as [string, Any]] : []),
    ...(s.ItemProcessor ? tasks(s.ItemProcessor, `${name} › `) : []),
  ]);
}

describe('infra/state-machine.asl.json against the service models', () => {
  test('has no problem: operations, parameters, result paths, error names, paths and intrinsics all check out', () => {
    expect(checkStateMachine(machine())).toEqual([]);
  });

  test('every Task is an AWS service integration the check resolves to a model operation (none skipped)', () => {
    const resolved = tasks(machine()).map(([name, s]) => {
      const target = taskTarget(s.Resource, name);
      return [name, target && !Array.isArray(target) ? `${target.service.id}:${target.operation.name}` : target];
    });
    expect(resolved).toEqual([
      ['CreateDeployment', 'codedeploy:CreateDeployment'],
      ['CreateDeploymentPinned', 'codedeploy:CreateDeployment'],
      ['GetDeployment', 'codedeploy:GetDeployment'],
      ['EnsureLambdaProxies › GetFunction', 'lambda:GetFunction'],
      ['EnsureLambdaProxies › CreateFunction', 'lambda:CreateFunction'],
      ['EnsureLambdaProxies › UpdateFunctionCode', 'lambda:UpdateFunctionCode'],
      ['EnsureLambdaProxies › UpdateFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'],
      ['EnsureLambdaProxies › PutConcurrency', 'lambda:PutFunctionConcurrency'],
      ['EnsureLambdaProxies › DeleteConcurrency', 'lambda:DeleteFunctionConcurrency'],
    ]);
  });

  test('the models are the SDK clients of this checkout (CodeDeploy and Lambda)', () => {
    for (const id of ['codedeploy', 'lambda']) {
      const s = sdkService(id);
      expect([id, s.namespace, s.operations.size > 20]).toEqual([id, `com.amazonaws.${id}`, true]);
    }
  });
});

/** [what is planted, how, the problem it must produce]. */
const PLANTED: [string, (m: Any) => void, RegExp][] = [
  [
    'a parameter in camelCase',
    (m) => {
      const p = m.States.CreateDeployment.Parameters;
      p['applicationName.$'] = p['ApplicationName.$'];
      delete p['ApplicationName.$'];
    },
    /CreateDeployment\.Parameters\.applicationName\.\$: CreateDeploymentInput has no member applicationName; Step Functions spells it ApplicationName/,
  ],
  [
    'a nested parameter in the wrong case',
    (m) => {
      const loc = m.States.CreateDeployment.Parameters.Revision.S3Location;
      loc.bundleType = loc.BundleType;
      delete loc.BundleType;
    },
    /Revision\.S3Location\.bundleType: S3Location has no member bundleType; Step Functions spells it BundleType/,
  ],
  [
    'a parameter the operation does not have',
    (m) => {
      lambdaState(m, 'CreateFunction').Parameters.MemorySizeMb = 256;
    },
    /CreateFunction\.Parameters\.MemorySizeMb: CreateFunctionRequest has no member MemorySizeMb/,
  ],
  [
    'a misspelt action',
    (m) => {
      m.States.GetDeployment.Resource = 'arn:aws:states:::aws-sdk:codedeploy:getDeploymnet';
    },
    /GetDeployment\.Resource: .*has no operation GetDeploymnet/,
  ],
  [
    'an action in PascalCase',
    (m) => {
      m.States.GetDeployment.Resource = 'arn:aws:states:::aws-sdk:codedeploy:GetDeployment';
    },
    /the action in .* is camelCase: getDeployment/,
  ],
  [
    'a service whose client is not installed',
    (m) => {
      m.States.GetDeployment.Resource = 'arn:aws:states:::aws-sdk:codedeployx:getDeployment';
    },
    /@aws-sdk\/client-codedeployx is not installed.*npm i -D --save-exact @aws-sdk\/client-codedeployx/,
  ],
  [
    'a required member left out',
    (m) => {
      delete lambdaState(m, 'CreateFunction').Parameters.Role;
    },
    /CreateFunction\.Parameters: CreateFunctionRequest requires Role/,
  ],
  [
    'a literal of the wrong type',
    (m) => {
      lambdaState(m, 'CreateFunction').Parameters.MemorySize = '256';
    },
    /MemorySize: CreateFunctionRequest\.MemorySize is number, not string/,
  ],
  [
    'an intrinsic returning the wrong type',
    (m) => {
      lambdaState(m, 'CreateFunction').Parameters.VpcConfig['SubnetIds.$'] = "States.Format('{}', $.group)";
    },
    /VpcConfig\.SubnetIds\.\$: VpcConfig\.SubnetIds is list, but States\.Format returns string/,
  ],
  [
    'a result path that is not in the output',
    (m) => {
      m.States.GetDeployment.ResultSelector['info.$'] = '$.deploymentInfo';
    },
    /GetDeployment\.ResultSelector\.info\.\$: \$\.deploymentInfo: GetDeploymentOutput has no member deploymentInfo; Step Functions spells it DeploymentInfo/,
  ],
  [
    'an error name without the Exception suffix',
    (m) => {
      lambdaState(m, 'GetFunction').Catch[0].ErrorEquals = ['Lambda.ResourceNotFound'];
    },
    /Lambda\.ResourceNotFound: Step Functions names service errors with the Exception suffix/,
  ],
  [
    'a misspelt error name',
    (m) => {
      m.States.CreateDeployment.Retry[0].ErrorEquals = ['CodeDeploy.ThrotlingException'];
    },
    /CodeDeploy\.ThrotlingException: @aws-sdk\/client-codedeploy has no error ThrotlingException/,
  ],
  [
    'a States error that does not exist',
    (m) => {
      m.States.CreateDeployment.Catch[0].ErrorEquals = ['States.All'];
    },
    /States\.All is not an error Step Functions raises/,
  ],
  [
    'a misspelt intrinsic function',
    (m) => {
      m.States.CreateDeployment.Parameters['Description.$'] = "States.Fromat('deploy {}', $.rev)";
    },
    /States\.Fromat is not an intrinsic function of Step Functions/,
  ],
  [
    'an intrinsic with the wrong number of arguments',
    (m) => {
      lambdaState(m, 'CreateFunction').Parameters.VpcConfig['SubnetIds.$'] = "States.StringSplit('${ProxySubnetIds}')";
    },
    /States\.StringSplit takes 2 arguments, not 1/,
  ],
  [
    'States.Format with more {} than values',
    (m) => {
      m.States.CreateDeployment.Parameters['Description.$'] = "States.Format('deploy of {} rev {} at {}', $.appName, $.rev)";
    },
    /States\.Format has 3 \{\} but 2 values/,
  ],
  [
    'an intrinsic that does not parse',
    (m) => {
      m.States.CreateDeployment.Parameters['Description.$'] = "States.Format('deploy {}', $.rev";
    },
    /is not an intrinsic function call Step Functions can parse/,
  ],
  [
    'a .$ value that is neither a path nor an intrinsic',
    (m) => {
      m.States.CreateDeployment.Parameters['Description.$'] = 'rev';
    },
    /Description\.\$: "rev" is neither a path/,
  ],
  [
    'a context-object field that does not exist',
    (m) => {
      m.States.EnsureLambdaProxies.ItemSelector['lambda.$'] = '$$.Map.Item.Valeu';
    },
    /\$\$\.Map\.Item\.Valeu names no field of the context object/,
  ],
  [
    'a malformed path',
    (m) => {
      m.States.DeploymentCreated.InputPath = '$.created..';
    },
    /DeploymentCreated\.InputPath: \$\.created\.\. is not a JSONPath/,
  ],
  [
    'a wildcard in a ResultPath',
    (m) => {
      m.States.GetDeployment.ResultPath = '$.deployment[*]';
    },
    /GetDeployment\.ResultPath: .* is not a reference path/,
  ],
  [
    'a wildcard in a Catch ResultPath',
    (m) => {
      m.States.CreateDeployment.Catch[0].ResultPath = '$.error[*]';
    },
    /CreateDeployment\.Catch\[0\]\.ResultPath: .* is not a reference path/,
  ],
  [
    'a Choice variable that is not a path',
    (m) => {
      m.States.DeploymentStatus.Choices[0].Variable = 'deployment.info.Status';
    },
    /DeploymentStatus\.Choices\[0\]\.Variable: deployment\.info\.Status is not a JSONPath/,
  ],
  [
    'a bad intrinsic in a Fail state CausePath',
    (m) => {
      m.States.DeploymentFailed.CausePath = 'States.JsonToString($.failure, $.more)';
    },
    /DeploymentFailed\.CausePath: States\.JsonToString takes 1 arguments, not 2/,
  ],
];

describe('each check fails on a planted mistake', () => {
  test.each(PLANTED)('%s', (_what, plant, expected) => {
    const m = machine();
    plant(m);
    const problems = checkStateMachine(m);
    expect(problems.some((p) => expected.test(p)) ? expected : problems).toEqual(expected);
  });

  test('paths and intrinsics on their own: what Step Functions accepts passes', () => {
    expect([
      ...checkPath('$.a.b[0]', 'x'),
      ...checkPath("$['a b'].c", 'x'),
      ...checkPath('$$.Execution.Input.anything.below', 'x'),
      ...checkPath('$$.Map.Item.Index', 'x'),
      ...checkIntrinsic("States.Format('a \\{\\} {}', $.b)", 'x'),
      ...checkIntrinsic('States.JsonMerge($.a, $.b, false)', 'x'),
      ...checkIntrinsic("States.Hash($.a, 'SHA-256')", 'x'),
      ...checkIntrinsic('States.ArrayGetItem(States.Array(1, 2), 0)', 'x'),
      ...checkIntrinsic('States.UUID()', 'x'),
    ]).toEqual([]);
    expect(checkIntrinsic("States.Hash($.a, 'SHA256')", 'x')).toEqual([expect.stringMatching(/SHA256 is not one of/)]);
  });
});
