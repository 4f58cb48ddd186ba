/**
 * A CloudFormation template checked against the CloudFormation resource specification (the JSON
 * AWS publishes and @aws-cdk/cfnspec ships): resource types, property names, property types
 * (primitive, list, map, nested property types) and required properties; Ref and Fn::GetAtt
 * (also inside Fn::Sub) name a parameter, pseudo parameter, resource or an attribute the
 * resource type has; parameter defaults satisfy their own AllowedPattern/AllowedValues.
 *
 * Intrinsic functions are resolved as far as the check needs: Fn::If is checked branch by branch
 * (AWS::NoValue counts as absent), other functions as the type they return.
 */
import { createRequire } from 'node:module';
import type { Any } from './cfn-template.js';

const require = createRequire(import.meta.url);

interface PropertySpec {
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
  Required?: boolean;
}
interface Spec {
  ResourceSpecificationVersion: string;
  ResourceTypes: Record<string, { Properties?: Record<string, PropertySpec>; Attributes?: Record<string, unknown> }>;
  PropertyTypes: Record<string, { Properties?: Record<string, PropertySpec>; PrimitiveType?: string }>;
}

let cached: Spec | undefined;
export function cfnSpec(): Spec {
  cached ??= require('@aws-cdk/cfnspec/spec/specification.json') as Spec;
  return cached;
}

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);
const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
]);
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'CreationPolicy',
  'UpdatePolicy',
]);
const POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);
const PARAMETER_TYPES =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::(Name|Value<.+>))$/;

/**
 * What `aws cloudformation package` rewrites before CloudFormation sees the template: a local path
 * in these properties becomes an S3 location of the uploaded file.
 */
const PACKAGED: Record<string, Record<string, (path: string) => Any>> = {
  'AWS::StepFunctions::StateMachine': {
    DefinitionS3Location: () => ({ Bucket: 'my-cfn-artifacts-bucket', Key: 'ion-infra/0123456789abcdef' }),
  },
  'AWS::Lambda::Function': { Code: () => ({ S3Bucket: 'my-cfn-artifacts-bucket', S3Key: 'ion-infra/0123456789abcdef' }) },
  'AWS::Serverless::Function': { CodeUri: () => 's3://my-cfn-artifacts-bucket/ion-infra/0123456789abcdef' },
};

/** The template as `aws cloudformation package` hands it to CloudFormation (local paths → S3). */
export function packaged(template: Any): Any {
  const copy = structuredClone(template);
  for (const r of Object.values<Any>(copy.Resources ?? {})) {
    for (const [prop, rewrite] of Object.entries(PACKAGED[r.Type] ?? {})) {
      if (typeof r.Properties?.[prop] === 'string' && !/^(s3|https?):\/\//.test(r.Properties[prop]))
        r.Properties[prop] = rewrite(r.Properties[prop]);
    }
  }
  return copy;
}

const intrinsicName = (v: Any): string | undefined => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::')) ? keys[0] : undefined;
};

export function checkTemplate(template: Any): string[] {
  const spec = cfnSpec();
  const problems: string[] = [];
  const resources: Record<string, Any> = template.Resources ?? {};
  const parameters: Record<string, Any> = template.Parameters ?? {};

  for (const key of Object.keys(template)) if (!TOP_LEVEL.has(key)) problems.push(`${key}: not a section of a CloudFormation template`);

  // Parameters.
  for (const [name, p] of Object.entries<Any>(parameters)) {
    if (!PARAMETER_TYPES.test(String(p.Type))) problems.push(`Parameters.${name}.Type: ${p.Type} is not a parameter type`);
    if (p.Default !== undefined) {
      if (p.AllowedPattern && !new RegExp(`^(?:${p.AllowedPattern})$`).test(String(p.Default))) {
        problems.push(
          `Parameters.${name}: the default ${JSON.stringify(p.Default)} does not match its own AllowedPattern ${p.AllowedPattern}`,
        );
      }
      if (p.AllowedValues && !p.AllowedValues.map(String).includes(String(p.Default)))
        problems.push(`Parameters.${name}: the default ${JSON.stringify(p.Default)} is not one of its AllowedValues`);
    }
  }

  // References anywhere.
  const attributeOf = (id: string, att: string, where: string) => {
    const r = resources[id];
    if (!r) return problems.push(`${where}: GetAtt ${id}.${att}: no resource ${id}`);
    const attrs = spec.ResourceTypes[r.Type]?.Attributes ?? {};
    if (!(att in attrs))
      problems.push(`${where}: GetAtt ${id}.${att}: ${r.Type} has no attribute ${att} (${Object.keys(attrs).join(', ') || 'none'})`);
  };
  const refTo = (name: string, where: string) => {
    if (!PSEUDO.has(name) && !(name in parameters) && !(name in resources))
      problems.push(`${where}: Ref ${name} names no parameter, pseudo parameter or resource`);
  };
  const walkRefs = (node: Any, where: string) => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walkRefs(n, `${where}[${i}]`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries<Any>(node)) {
      if (k === 'Ref' && typeof v === 'string') refTo(v, where);
      if (k === 'Fn::GetAtt') attributeOf(v[0], v.slice(1).join('.'), where);
      if (k === 'Fn::Sub') {
        const text: string = Array.isArray(v) ? v[0] : v;
        const locals = Array.isArray(v) ? Object.keys(v[1] ?? {}) : [];
        for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          if (locals.includes(name!)) continue;
          if (!name!.includes('::') && name!.includes('.')) {
            const [id, ...att] = name!.split('.');
            attributeOf(id!, att.join('.'), where);
          } else refTo(name!, where);
        }
      }
      walkRefs(v, `${where}.${k}`);
    }
  };
  walkRefs(template.Resources, 'Resources');
  walkRefs(template.Outputs, 'Outputs');
  walkRefs(template.Conditions, 'Conditions');

  // Resources against the specification.
  const value = (v: Any, s: PropertySpec, resourceType: string, where: string): void => {
    const fn = intrinsicName(v);
    if (fn === 'Fn::If') {
      for (const branch of [v[fn][1], v[fn][2]]) {
        if (intrinsicName(branch) === 'Ref' && branch.Ref === 'AWS::NoValue') {
          if (s.Required) problems.push(`${where}: required, but one branch of Fn::If leaves it out`);
        } else value(branch, s, resourceType, where);
      }
      return;
    }
    if (fn === 'Ref' && v.Ref === 'AWS::NoValue') return;
    if (fn) {
      // Other functions: check what they return where that is known.
      const returnsList =
        fn === 'Fn::Split' ||
        fn === 'Fn::GetAZs' ||
        fn === 'Fn::Cidr' ||
        (fn === 'Ref' && /^(CommaDelimitedList|List<)/.test(String(parameters[v.Ref]?.Type)));
      const returnsString = fn === 'Fn::Sub' || fn === 'Fn::Join' || fn === 'Fn::Base64' || (fn === 'Ref' && !returnsList);
      if (s.Type === 'List' && returnsString) problems.push(`${where}: a list, but ${fn} gives a string`);
      if (s.PrimitiveType && returnsList) problems.push(`${where}: ${s.PrimitiveType}, but ${fn} gives a list`);
      return;
    }
    if (s.PrimitiveType) {
      primitive(v, s.PrimitiveType, where);
      return;
    }
    if (s.Type === 'List') {
      if (!Array.isArray(v)) return void problems.push(`${where}: a list, not ${JSON.stringify(v)}`);
      for (const [i, item] of v.entries())
        value(item, { PrimitiveType: s.PrimitiveItemType, Type: s.ItemType }, resourceType, `${where}[${i}]`);
      return;
    }
    if (s.Type === 'Map') {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return void problems.push(`${where}: a map, not ${JSON.stringify(v)}`);
      for (const [k, item] of Object.entries(v))
        value(item, { PrimitiveType: s.PrimitiveItemType, Type: s.ItemType }, resourceType, `${where}.${k}`);
      return;
    }
    if (s.Type) {
      const typeName = spec.PropertyTypes[`${resourceType}.${s.Type}`] ? `${resourceType}.${s.Type}` : s.Type;
      const type = spec.PropertyTypes[typeName];
      if (!type) return void problems.push(`${where}: the specification has no property type ${typeName}`);
      if (type.PrimitiveType) {
        primitive(v, type.PrimitiveType, where);
        return;
      }
      properties(v, type.Properties ?? {}, resourceType, s.Type, where);
    }
  };
  const primitive = (v: Any, type: string, where: string) => {
    const ok =
      type === 'Json'
        ? v !== null && (typeof v === 'object' || typeof v === 'string')
        : type === 'Boolean'
          ? typeof v === 'boolean' || v === 'true' || v === 'false'
          : ['Integer', 'Long', 'Double'].includes(type)
            ? typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))
            : ['string', 'number', 'boolean'].includes(typeof v);
    if (!ok) problems.push(`${where}: ${type}, not ${JSON.stringify(v)}`);
  };
  const properties = (given: Any, specs: Record<string, PropertySpec>, resourceType: string, typeName: string, where: string) => {
    if (!given || typeof given !== 'object' || Array.isArray(given))
      return void problems.push(`${where}: ${typeName} is a structure, not ${JSON.stringify(given)}`);
    for (const [name, v] of Object.entries<Any>(given)) {
      const s = specs[name];
      if (!s) {
        const close = Object.keys(specs).find((k) => k.toLowerCase() === name.toLowerCase());
        problems.push(
          `${where}.${name}: ${typeName} has no property ${name}${close ? `; it is spelt ${close}` : ` (${Object.keys(specs).join(', ')})`}`,
        );
        continue;
      }
      value(v, s, resourceType, `${where}.${name}`);
    }
    for (const [name, s] of Object.entries(specs))
      if (s.Required && !(name in given)) problems.push(`${where}: ${typeName} requires ${name}`);
  };

  for (const [id, r] of Object.entries<Any>(resources)) {
    const where = `Resources.${id}`;
    for (const key of Object.keys(r))
      if (!RESOURCE_KEYS.has(key)) problems.push(`${where}.${key}: not an attribute of a resource (${[...RESOURCE_KEYS].join(', ')})`);
    for (const key of ['DeletionPolicy', 'UpdateReplacePolicy'])
      if (r[key] !== undefined && !POLICIES.has(r[key])) problems.push(`${where}.${key}: ${r[key]} is not ${[...POLICIES].join(', ')}`);
    for (const dep of [r.DependsOn ?? []].flat()) if (!(dep in resources)) problems.push(`${where}.DependsOn: no resource ${dep}`);
    if (r.Condition !== undefined && !(r.Condition in (template.Conditions ?? {})))
      problems.push(`${where}.Condition: no condition ${r.Condition}`);
    const type = spec.ResourceTypes[r.Type];
    if (!type) {
      const close = Object.keys(spec.ResourceTypes).find((t) => t.toLowerCase() === String(r.Type).toLowerCase());
      problems.push(
        `${where}.Type: ${r.Type} is not a resource type of the CloudFormation specification${close ? `; it is spelt ${close}` : ''}`,
      );
      continue;
    }
    properties(r.Properties ?? {}, type.Properties ?? {}, r.Type, r.Type, `${where}.Properties`);
  }
  return problems;
}
