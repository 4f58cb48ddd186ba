import type { ManifestLambda } from '../manifest/schema.js';
import type { NsDeclaration } from './ns-declarations.js';

/** `:http-direct`; fields the config leaves out are absent (Datomic's defaults apply). */
export interface HttpDirectConfig {
  handlerFn: string;
  pendingOpsQueueLength?: number;
  processingConcurrency?: number;
  pendingOpsExceededMessage?: string;
  pendingOpsExceededCode?: number;
}

export interface IonConfig {
  appName: string;
  /** Qualified symbols, `ns/name`. */
  allow: string[];
  xforms: string[];
  /** In the order of the `:lambdas` map, with defaults applied. */
  lambdas: ManifestLambda[];
  httpDirect: HttpDirectConfig | null;
  /** the whole config as JSON: keywords/symbols as strings without ':' (e.g. "app-name", "my.ns/f"), maps as objects, vectors/lists/sets as arrays */
  json: Record<string, unknown>;
}

export interface ValidationContext {
  /** All namespaces available on the classpath; null skips the "symbol resolves to a namespace" check (e.g. when only the app name is wanted). */
  namespaces: ReadonlySet<string> | null;
  /** CodeDeploy deployment group names when known: each `<group>_<lambda>` must be a valid Lambda function name. */
  groups?: readonly string[];
  /**
   * What the file behind each namespace declares, keyed by resource path without extension
   * (`my_lib/core`, see readNsDeclarations): a symbol whose namespace differs from the declared one
   * is an error. Namespaces left out are not checked this way.
   */
  declarations?: ReadonlyMap<string, NsDeclaration>;
}
