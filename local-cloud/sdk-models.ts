/**
 * AWS service models as the SDK v3 client packages carry them: every `@aws-sdk/client-<service>`
 * exports its Smithy schemas (`CreateDeployment$`: the operation; `CreateDeploymentInput$`: its
 * input structure; error shapes). These are generated from the same Smithy models AWS publishes,
 * so an operation or member missing here is missing in AWS's API. The local cloud validates the
 * requests it is sent against them (aws-json-server.ts, asl-interpreter.ts), and the tests check
 * the infrastructure against them (test/support/spec/).
 *
 * Schemas are read through `NormalizedSchema` from the client's own `@smithy/core` (not a second
 * reading of the array format). Two details it does not expose:
 * - which members are required: in the static schema array `[3, namespace, name, traits,
 *   memberNames, memberSchemas, requiredCount]` the required members come first, `requiredCount` of them;
 * - which string members are enums: the schemas drop that trait, but the package's own type
 *   declarations (`dist-types/models/*.d.ts`, generated from the same model) name each member's enum
 *   (`fileExistsBehavior?: FileExistsBehavior`), and the package exports each enum's values
 *   (`FileExistsBehavior = { DISALLOW: 'DISALLOW', … }`).
 * Length and pattern constraints are in neither, so they are not checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

/** Enum values of a member, as its type declaration names them: of the member itself, a list's items, a map's keys or values. */
interface MemberEnums {
  values?: readonly string[];
  keys?: readonly string[];
}

/** Which members of which structures are enums, read from the package's type declarations on first use. */
class EnumIndex {
  private index?: Map<string, Map<string, MemberEnums>>;

  constructor(
    private readonly packageDir: string,
    private readonly exports: Record<string, unknown>,
  ) {}

  of(structure: string, member: string): MemberEnums {
    this.index ??= this.read();
    return this.index.get(structure)?.get(member) ?? {};
  }

  private enumValues(typeName: string | undefined): readonly string[] | undefined {
    if (!typeName) return undefined;
    const value = this.exports[typeName];
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const values = Object.values(value as Record<string, unknown>);
    return values.length > 0 && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
  }

  private read(): Map<string, Map<string, MemberEnums>> {
    const index = new Map<string, Map<string, MemberEnums>>();
    const dir = join(this.packageDir, 'dist-types', 'models');
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.d.ts'));
    } catch {
      return index; // no declarations shipped: no enum checks
    }
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const [, name, body] of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)\n\}/gm)) {
        const members = new Map<string, MemberEnums>();
        for (const [, member, declared] of body!.matchAll(/^ {4}(\w+)\??: (.+);$/gm)) {
          const type = declared!.replace(/ \| undefined$/, '');
          const map = /^(?:Partial<)?Record<(\w+), (\w+)(?:\[\])?>>?$/.exec(type);
          const enums: MemberEnums = map
            ? { keys: this.enumValues(map[1]), values: this.enumValues(map[2]) }
            : { values: this.enumValues(/^(\w+)(?:\[\])*$/.exec(type)?.[1]) };
          if (enums.keys || enums.values) members.set(member!, enums);
        }
        if (members.size > 0) index.set(name!, members);
      }
    }
    return index;
  }
}

/** One shape of a service model: a structure's members, a list's or map's values, or a scalar. */
export class Shape {
  constructor(
    private readonly schema: Normalized,
    private readonly enumIndex?: EnumIndex,
    private readonly enums: MemberEnums = {},
  ) {}

  get name(): string {
    return this.schema.getName() ?? this.kind;
  }

  /** With the namespace (`com.amazonaws.codedeploy#CreateDeploymentInput`): unique within all models. */
  get qualifiedName(): string {
    return this.schema.getName(true) ?? this.kind;
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
    return new Map(
      Object.entries(this.schema.getMemberSchemas()).map(([name, s]) => [
        name,
        new Shape(s, this.enumIndex, this.enumIndex?.of(this.name, name)),
      ]),
    );
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
    return new Shape(this.schema.getValueSchema(), this.enumIndex, { values: this.enums.values });
  }

  /** The values a string member (or a list's items, a map's values) may take, where the model makes it an enum. */
  enumValues(): readonly string[] | undefined {
    return this.kind === 'string' ? this.enums.values : undefined;
  }

  /** The keys a map may have, where the model makes its key an enum. */
  keyEnumValues(): readonly string[] | undefined {
    return this.kind === 'map' ? this.enums.keys : undefined;
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
  /** The service's name in error names (`CodeDeploy`, `Lambda`: its `<Name>ServiceException` class); Step Functions prefixes errors with it. */
  serviceName: string;
  operations: Map<string, Operation>;
  /** Error shape names: `ThrottlingException`, `BucketAlreadyExists`, … */
  errors: Set<string>;
  operation(name: string): Operation | undefined;
  /** The AWS JSON protocols' `X-Amz-Target` prefix (`CodeDeploy_20141006`), as the client sends it; undefined for other protocols. */
  target(): string | undefined;
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
  const packageJson = requireThere.resolve(`${packageName}/package.json`);
  const version = (requireThere(packageJson) as { version: string }).version;
  const enumIndex = new EnumIndex(dirname(packageJson), exports);

  const operations = new Map<string, Operation>();
  const errors = new Set<string>();
  let namespace = '';
  let target: string | undefined | null = null;
  // `CodeDeployClient` with `CodeDeployServiceException`, the base of the package's errors.
  const serviceName =
    Object.keys(exports)
      .map((name) => /^(\w+)Client$/.exec(name)?.[1])
      .find((name) => name && `${name}ServiceException` in exports) ?? upperFirst(id);
  const service: SdkService = {
    id,
    packageName,
    version,
    namespace,
    serviceName,
    operations,
    errors,
    operation: (name) => operations.get(name),
    target: () => {
      target ??= clientTarget(exports[`${serviceName}Client`]);
      return target ?? undefined;
    },
  };
  for (const value of Object.values(exports)) {
    if (!Array.isArray(value)) continue;
    // [9, namespace, name, traits, () => input, () => output]: an operation.
    if (value[0] === 9 && typeof value[2] === 'string' && typeof value[4] === 'function') {
      namespace = String(value[1]);
      operations.set(value[2], {
        service,
        name: value[2],
        input: new Shape(NormalizedSchema.of(value[4]), enumIndex),
        output: new Shape(NormalizedSchema.of(value[5]), enumIndex),
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

/** The target prefix a client of this package signs its requests for (its protocol settings); no request is sent. */
function clientTarget(Client: unknown): string | undefined {
  if (typeof Client !== 'function') return undefined;
  const client = new (Client as new (config: object) => { config: { protocolSettings?: { serviceTarget?: string } }; destroy(): void })({
    region: 'us-east-1',
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  try {
    return client.config.protocolSettings?.serviceTarget;
  } finally {
    client.destroy();
  }
}

/**
 * The model whose clients send `X-Amz-Target: <target>.<Operation>`, among the installed
 * `@aws-sdk/client-*` packages; undefined when none does.
 */
export function sdkServiceForTarget(target: string): SdkService | undefined {
  for (const service of cache.values()) if (service.target() === target) return service;
  const ids = new Set<string>();
  for (const dir of requireHere.resolve.paths('@aws-sdk/client-sfn') ?? []) {
    try {
      for (const name of readdirSync(join(dir, '@aws-sdk'))) if (name.startsWith('client-')) ids.add(name.slice('client-'.length));
    } catch {
      // no @aws-sdk packages in this node_modules
    }
  }
  for (const id of ids) {
    try {
      const service = sdkService(id);
      if (service.target() === target) return service;
    } catch {
      // a package that is not an SDK v3 client with schemas
    }
  }
  return undefined;
}

export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

// ---- what a shape accepts: a value checked against the model ----

/**
 * How members are spelt in the value: as the model spells them (the API's own wire format), or
 * PascalCase as Step Functions' AWS SDK integrations spell every member (`aws-sdk:codedeploy:*`
 * Parameters say `DeploymentGroupName` for the API's `deploymentGroupName`). Map keys are data and keep their case.
 */
export type MemberCasing = 'model' | 'pascal';

export type JsonKind = 'string' | 'number' | 'boolean' | 'list' | 'object';

/** One way a value does not fit its shape; `path` is the member path as AWS words it (`revision.s3Location.bucket`, list items `tags.1.member`). */
export type ShapeProblem =
  | { kind: 'unknown-member'; path: string; member: string; structure: string }
  | { kind: 'missing-required'; path: string }
  | { kind: 'wrong-type'; path: string; expected: ShapeKind; got: JsonKind; value: unknown }
  | { kind: 'not-in-enum'; path: string; value: string; allowed: readonly string[] };

/** Checks a value (a request's input, a response's output) against one shape; built once per shape, then fast. */
export type ShapeValidator = (value: unknown) => ShapeProblem[];

interface Node {
  kind: ShapeKind;
  name: string;
  /** Structures: wire name → member. */
  members?: Map<string, Node>;
  /** Structures: wire names of required members. */
  required?: string[];
  /** Lists and maps: the item or value. */
  value?: Node;
  enumValues?: ReadonlySet<string>;
  keyEnumValues?: ReadonlySet<string>;
}

const validatorCache = new Map<string, ShapeValidator>();

/** The validator of `shape` with members spelt `casing`; cached per shape, so every operation's is built once per process. */
export function shapeValidator(shape: Shape, casing: MemberCasing = 'model'): ShapeValidator {
  const key = `${casing}|${shape.qualifiedName}`;
  const cached = validatorCache.get(key);
  if (cached) return cached;
  const root = compile(shape, casing, new Map());
  const validator: ShapeValidator = (value) => {
    const problems: ShapeProblem[] = [];
    check(root, value, '', problems);
    return problems;
  };
  validatorCache.set(key, validator);
  return validator;
}

function compile(shape: Shape, casing: MemberCasing, structures: Map<string, Node>): Node {
  const kind = shape.kind;
  if (kind === 'structure' || kind === 'union') {
    // Structures can nest themselves: each is compiled once, and a nested use shares the node.
    const seen = structures.get(shape.qualifiedName);
    if (seen) return seen;
    const node: Node = { kind, name: shape.name, members: new Map(), required: [] };
    structures.set(shape.qualifiedName, node);
    const wire = (name: string) => (casing === 'pascal' ? upperFirst(name) : name);
    for (const [name, member] of shape.members()) node.members!.set(wire(name), compile(member, casing, structures));
    node.required = shape.required().map(wire);
    return node;
  }
  const node: Node = { kind, name: shape.name };
  if (kind === 'list' || kind === 'map') node.value = compile(shape.value(), casing, structures);
  const values = shape.enumValues();
  if (values) node.enumValues = new Set(values);
  const keys = shape.keyEnumValues();
  if (keys) node.keyEnumValues = new Set(keys);
  return node;
}

const jsonKind = (value: unknown): JsonKind =>
  Array.isArray(value) ? 'list' : typeof value === 'object' ? 'object' : (typeof value as 'string' | 'number' | 'boolean');

const at = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** JSON kinds a shape's value may have (timestamps: epoch seconds as the AWS JSON protocols send them, or text). */
function fits(kind: ShapeKind, value: unknown): boolean {
  switch (kind) {
    case 'structure':
    case 'union':
    case 'map':
    case 'unit':
      return jsonKind(value) === 'object';
    case 'list':
      return Array.isArray(value);
    case 'string':
    case 'blob':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return typeof value === 'number' || typeof value === 'string';
    case 'document':
      return true;
  }
}

function check(node: Node, value: unknown, path: string, problems: ShapeProblem[]): void {
  // JSON null is an absent member to the AWS JSON protocols; a required one is reported by its structure.
  if (value === null || value === undefined) return;
  if (!fits(node.kind, value)) {
    problems.push({ kind: 'wrong-type', path, expected: node.kind, got: jsonKind(value), value });
    return;
  }
  switch (node.kind) {
    case 'structure':
    case 'union':
    case 'unit': {
      const object = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(object)) {
        const shape = node.members?.get(name);
        if (!shape) problems.push({ kind: 'unknown-member', path: at(path, name), member: name, structure: node.name });
        else check(shape, member, at(path, name), problems);
      }
      for (const name of node.required ?? [])
        if (object[name] === null || object[name] === undefined) problems.push({ kind: 'missing-required', path: at(path, name) });
      return;
    }
    case 'list':
      for (const [i, item] of (value as unknown[]).entries()) check(node.value!, item, at(path, `${i + 1}.member`), problems);
      return;
    case 'map':
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (node.keyEnumValues && !node.keyEnumValues.has(key))
          problems.push({ kind: 'not-in-enum', path: at(path, key), value: key, allowed: [...node.keyEnumValues] });
        check(node.value!, item, at(path, key), problems);
      }
      return;
    case 'string':
      if (node.enumValues && !node.enumValues.has(value as string))
        problems.push({ kind: 'not-in-enum', path, value: value as string, allowed: [...node.enumValues] });
      return;
    default:
      return;
  }
}
