/**
 * infra/template.yaml read as CloudFormation reads it: the YAML short forms (!Ref, !Sub, …) turned
 * into their long forms, and, for the IAM checks, resolved for one set of parameter values the way
 * CloudFormation resolves it at deploy time — conditions evaluated, Fn::If branches chosen,
 * AWS::NoValue removed, Ref/GetAtt/Sub replaced by sample values of the right form (an ARN where
 * CloudFormation returns an ARN).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type Any = any; // a CloudFormation document: shapes vary by resource type

export const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..');
export const TEMPLATE_PATH = join(ROOT, 'infra', 'template.yaml');

export const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};
type Collection = { toJSON(): unknown };
const customTags = Object.entries(INTRINSICS).flatMap(([short, long]) => [
  { tag: `!${short}`, resolve: (value: string) => ({ [long]: long === 'Fn::GetAtt' ? value.split('.') : value }) },
  { tag: `!${short}`, collection: 'seq' as const, resolve: (seq: Collection) => ({ [long]: seq.toJSON() }) },
  { tag: `!${short}`, collection: 'map' as const, resolve: (map: Collection) => ({ [long]: map.toJSON() }) },
]);

export function parseTemplate(text: string): Any {
  return parse(text, { customTags });
}

export const loadTemplate = (): Any => parseTemplate(readFileSync(TEMPLATE_PATH, 'utf8'));

export const SAMPLE = { partition: 'aws', region: 'us-east-1', account: '123456789012', stackName: 'ion-my-app-prod' };

const PSEUDO: Record<string, string> = {
  'AWS::Partition': SAMPLE.partition,
  'AWS::Region': SAMPLE.region,
  'AWS::AccountId': SAMPLE.account,
  'AWS::StackName': SAMPLE.stackName,
  'AWS::StackId': `arn:aws:cloudformation:${SAMPLE.region}:${SAMPLE.account}:stack/${SAMPLE.stackName}/0b6c5a40-0000-0000-0000-000000000000`,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Marks a property CloudFormation leaves out (Ref AWS::NoValue). */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * What Ref and Fn::GetAtt return for each resource type the template uses ("Return values" on each
 * resource's page of the CloudFormation user guide). A type missing here fails the resolution, so
 * a new resource type cannot slip past the IAM ARN checks with a made-up value.
 */
const RETURNS: Record<string, { ref: (id: string, p: Any) => string; atts?: Record<string, (id: string, p: Any) => string> }> = {
  'AWS::S3::Bucket': {
    ref: (id, p) => p.BucketName ?? `${SAMPLE.stackName}-${id.toLowerCase()}-1a2b3c4d5e6f`,
    atts: { Arn: (id, p) => `arn:aws:s3:::${RETURNS['AWS::S3::Bucket']!.ref(id, p)}` },
  },
  'AWS::S3::BucketPolicy': { ref: (id) => `${SAMPLE.stackName}-${id}` },
  'AWS::IAM::Role': {
    ref: (id, p) => p.RoleName ?? `${SAMPLE.stackName}-${id}-ABCDEF123456`,
    atts: {
      Arn: (id, p) => `arn:aws:iam::${SAMPLE.account}:role/${RETURNS['AWS::IAM::Role']!.ref(id, p)}`,
      RoleId: () => 'AROAEXAMPLEID',
    },
  },
  'AWS::IAM::InstanceProfile': {
    ref: (id, p) => p.InstanceProfileName ?? `${SAMPLE.stackName}-${id}-ABCDEF123456`,
    atts: { Arn: (id, p) => `arn:aws:iam::${SAMPLE.account}:instance-profile/${RETURNS['AWS::IAM::InstanceProfile']!.ref(id, p)}` },
  },
  'AWS::IAM::ManagedPolicy': {
    ref: (id, p) => `arn:aws:iam::${SAMPLE.account}:policy/${p.ManagedPolicyName ?? `${SAMPLE.stackName}-${id}-ABCDEF123456`}`,
  },
  'AWS::CodeDeploy::Application': { ref: (id, p) => p.ApplicationName ?? `${SAMPLE.stackName}-${id}-ABCDEF123456` },
  'AWS::CodeDeploy::DeploymentGroup': { ref: (id, p) => p.DeploymentGroupName ?? `${SAMPLE.stackName}-${id}-ABCDEF123456` },
  'AWS::StepFunctions::StateMachine': {
    ref: (id, p) =>
      `arn:aws:states:${SAMPLE.region}:${SAMPLE.account}:stateMachine:${RETURNS['AWS::StepFunctions::StateMachine']!.atts!.Name!(id, p)}`,
    atts: {
      Name: (id, p) => p.StateMachineName ?? `${id}-ABCDEF123456`,
      Arn: (id, p) => RETURNS['AWS::StepFunctions::StateMachine']!.ref(id, p),
    },
  },
};

export interface Resolved {
  parameters: Record<string, string>;
  conditions: Record<string, boolean>;
  /** Resources whose Condition holds, with Properties resolved. */
  resources: Record<string, { Type: string; Properties: Any }>;
}

/**
 * The template as CloudFormation would deploy it with these parameter values (defaults filled in).
 * Resources are resolved in dependency order as they are referenced.
 */
export function resolveTemplate(template: Any, given: Record<string, string>): Resolved {
  const parameters: Record<string, string> = {};
  for (const [name, p] of Object.entries<Any>(template.Parameters ?? {})) {
    const value = given[name] ?? p.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no default: give it a value`);
    parameters[name] = String(value);
  }
  const conditions: Record<string, boolean> = {};
  const resolvedProps = new Map<string, Any>();

  const condition = (name: string): boolean => {
    if (!(name in conditions)) {
      const def = template.Conditions?.[name];
      if (def === undefined) throw new Error(`condition ${name} is not defined`);
      conditions[name] = Boolean(value(def));
    }
    return conditions[name]!;
  };
  const resourceProps = (id: string): Any => {
    if (!resolvedProps.has(id)) resolvedProps.set(id, value(template.Resources[id].Properties ?? {}));
    return resolvedProps.get(id);
  };
  const ref = (name: string): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in PSEUDO) return PSEUDO[name];
    if (name in parameters) return parameters[name];
    const r = template.Resources?.[name];
    if (!r) throw new Error(`Ref ${name} names nothing`);
    const returns =
      RETURNS[r.Type] ?? fail(`what Ref returns for ${r.Type} is not known to cfn-template.ts: add it from the CloudFormation user guide`);
    return returns.ref(name, resourceProps(name));
  };
  const getAtt = (id: string, att: string): string => {
    const r = template.Resources?.[id] ?? fail(`GetAtt ${id}.${att}: no such resource`);
    const fn =
      RETURNS[r.Type]?.atts?.[att] ??
      fail(`what GetAtt ${r.Type}.${att} returns is not known to cfn-template.ts: add it from the CloudFormation user guide`);
    return fn(id, resourceProps(id));
  };
  const sub = (text: string, locals: Record<string, unknown>): string =>
    text.replace(/\$\{([^!}][^}]*)\}/g, (_, name: string) => {
      if (name in locals) return String(locals[name]);
      if (!name.includes('::') && name.includes('.')) {
        const [id, ...att] = name.split('.');
        return getAtt(id!, att.join('.'));
      }
      return String(ref(name));
    });

  const value = (node: Any): Any => {
    if (Array.isArray(node)) return node.map(value).filter((v) => v !== NO_VALUE);
    if (!node || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = node[k];
      switch (k) {
        case 'Ref':
          return ref(arg);
        case 'Fn::GetAtt':
          return getAtt(arg[0], arg.slice(1).join('.'));
        case 'Fn::Sub':
          return Array.isArray(arg) ? sub(arg[0], value(arg[1])) : sub(arg, {});
        case 'Fn::If':
          return value(condition(arg[0]) ? arg[1] : arg[2]);
        case 'Fn::Equals':
          return String(value(arg[0])) === String(value(arg[1]));
        case 'Fn::Not':
          return !value(arg[0]);
        case 'Fn::And':
          return arg.every((a: Any) => value(a));
        case 'Fn::Or':
          return arg.some((a: Any) => value(a));
        case 'Condition':
          return condition(arg);
        case 'Fn::Join':
          return (value(arg[1]) as unknown[]).join(arg[0]);
        case 'Fn::Split':
          return String(value(arg[1])).split(arg[0]);
        case 'Fn::Select':
          return (value(arg[1]) as unknown[])[Number(value(arg[0]))];
      }
    }
    const out: Any = {};
    for (const [k, v] of Object.entries(node)) {
      const resolved = value(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  };

  const resources: Resolved['resources'] = {};
  for (const [id, r] of Object.entries<Any>(template.Resources ?? {})) {
    if (r.Condition && !condition(r.Condition)) continue;
    resources[id] = { Type: r.Type, Properties: resourceProps(id) };
  }
  for (const name of Object.keys(template.Conditions ?? {})) condition(name);
  return { parameters, conditions, resources };
}

function fail(message: string): never {
  throw new Error(message);
}
