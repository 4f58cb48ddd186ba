/**
 * AWS service models as the SDK v3 client packages carry them: every `@aws-sdk/client-<service>`
 * exports its Smithy schemas (`CreateDeployment$`: the operation; `CreateDeploymentInput$`: its
 * input structure; error shapes). These are generated from the same Smithy models AWS publishes,
 * so an operation or member missing here is missing in AWS's API.
 *
 * Schemas are read through `NormalizedSchema` from the client's own `@smithy/core` (not a second
 * reading of the array format). One detail it does not expose: which members are required. In the
 * static schema array `[3, namespace, name, traits, memberNames, memberSchemas, requiredCount]` the
 * required members come first, `requiredCount` of them.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

export type ShapeKind =
  | 'structure'
  | 'union'
  | 'list'
  | 'map'
  | 'string'
  | 'number'
  | 'boolean'
  | 'blob'
  | 'timestamp'
  | 'document'
  | 'unit';

/** The part of @smithy/core's NormalizedSchema this module uses. */
interface Normalized {
  getSchema(): unknown;
  getName(withNamespace?: boolean): string | undefined;
  isStructSchema(): boolean;
  isUnionSchema(): boolean;
  isListSchema(): boolean;
  isMapSchema(): boolean;
  isStringSchema(): boolean;
  isNumericSchema(): boolean;
  isBigIntegerSchema(): boolean;
  isBigDecimalSchema(): boolean;
  isBooleanSchema(): boolean;
  isBlobSchema(): boolean;
  isTimestampSchema(): boolean;
  isDocumentSchema(): boolean;
  isUnitSchema(): boolean;
  getMemberSchemas(): Record<string, Normalized>;
  getValueSchema(): Normalized;
}
type NormalizedSchemaClass = { of(ref: unknown): Normalized };

/** One shape of a service model: a structure's members, a list's or map's values, or a scalar. */
export class Shape {
  constructor(private readonly schema: Normalized) {}

  get name(): string {
    return this.schema.getName() ?? this.kind;
  }

  get kind(): ShapeKind {
    const s = this.schema;
    if (s.isUnitSchema()) return 'unit';
    if (s.isStructSchema()) return s.isUnionSchema() ? 'union' : 'structure';
    if (s.isListSchema()) return 'list';
    if (s.isMapSchema()) return 'map';
    if (s.isBlobSchema()) return 'blob';
    if (s.isTimestampSchema()) return 'timestamp';
    if (s.isBooleanSchema()) return 'boolean';
    if (s.isNumericSchema() || s.isBigIntegerSchema() || s.isBigDecimalSchema()) return 'number';
    if (s.isDocumentSchema()) return 'document';
    return 'string';
  }

  /** Member name → shape, as the model spells the name (CodeDeploy: `applicationName`; Lambda: `FunctionName`). */
  members(): Map<string, Shape> {
    if (this.kind !== 'structure' && this.kind !== 'union') return new Map();
    return new Map(Object.entries(this.schema.getMemberSchemas()).map(([name, s]) => [name, new Shape(s)]));
  }

  member(name: string): Shape | undefined {
    return this.members().get(name);
  }

  /** Required members (see the module comment for where this comes from). */
  required(): string[] {
    const raw = this.schema.getSchema();
    if (!Array.isArray(raw) || raw[0] !== 3) return [];
    const names = raw[4] as string[];
    const count = typeof raw[6] === 'number' ? raw[6] : 0;
    return names.slice(0, count);
  }

  /** A list's item or a map's value. */
  value(): Shape {
    return new Shape(this.schema.getValueSchema());
  }
}

export interface Operation {
  service: SdkService;
  /** As the model names it: `CreateDeployment`. */
  name: string;
  input: Shape;
  output: Shape;
}

export interface SdkService {
  /** The package suffix: `codedeploy`, `lambda`, `sfn`. */
  id: string;
  packageName: string;
  version: string;
  /** Smithy namespace, `com.amazonaws.codedeploy`. */
  namespace: string;
  operations: Map<string, Operation>;
  /** Error shape names: `ThrottlingException`, `BucketAlreadyExists`, … */
  errors: Set<string>;
  operation(name: string): Operation | undefined;
}

/** What to run when a client package the checks need is not installed. */
export class MissingClientError extends Error {}

const cache = new Map<string, SdkService>();

/** The model of `@aws-sdk/client-<id>`; throws MissingClientError naming the install line. */
export function sdkService(id: string): SdkService {
  const cached = cache.get(id);
  if (cached) return cached;
  const packageName = `@aws-sdk/client-${id}`;
  let entry: string;
  try {
    entry = requireHere.resolve(packageName);
  } catch {
    throw new MissingClientError(`${packageName} is not installed, so its model cannot be checked: npm i -D --save-exact ${packageName}`);
  }
  const requireThere = createRequire(entry);
  const exports = requireThere(packageName) as Record<string, unknown>;
  const { NormalizedSchema } = requireThere('@smithy/core/schema') as { NormalizedSchema: NormalizedSchemaClass };
  const version = (requireThere(`${packageName}/package.json`) as { version: string }).version;

  const operations = new Map<string, Operation>();
  const errors = new Set<string>();
  let namespace = '';
  const service: SdkService = { id, packageName, version, namespace, operations, errors, operation: (name) => operations.get(name) };
  for (const value of Object.values(exports)) {
    if (!Array.isArray(value)) continue;
    // [9, namespace, name, traits, () => input, () => output]: an operation.
    if (value[0] === 9 && typeof value[2] === 'string' && typeof value[4] === 'function') {
      namespace = String(value[1]);
      operations.set(value[2], {
        service,
        name: value[2],
        input: new Shape(NormalizedSchema.of(value[4])),
        output: new Shape(NormalizedSchema.of(value[5])),
      });
    }
    // [-3, namespace, name, traits, …]: an error structure.
    if (value[0] === -3 && typeof value[2] === 'string') errors.add(value[2]);
  }
  if (operations.size === 0)
    throw new Error(`${packageName}@${version} exports no operation schemas; this check reads the schemas of SDK v3 clients from 3.9xx on`);
  service.namespace = namespace;
  cache.set(id, service);
  return service;
}

export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
