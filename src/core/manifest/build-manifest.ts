import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from './schema.js';
import type { IonConfig } from '../ion-config/validate.js';

export type ManifestInput = Pick<Manifest, 'appName' | 'rev' | 'bucket' | 'commit' | 'reproducible' | 'classpath'> & {
  /** The `-A` form (":prod:ion") or empty. */
  aliases: string;
  ionConfig: IonConfig;
};

/** Pure: no timestamps or machine-specific paths, so the same code gives the same manifest bytes. */
export function buildManifest(input: ManifestInput): Manifest {
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    appName: input.appName,
    rev: input.rev,
    bucket: input.bucket,
    commit: input.commit,
    reproducible: input.reproducible,
    aliases: aliasNames(input.aliases),
    classpath: input.classpath,
    lambdas: input.ionConfig.lambdas,
    ionConfig: input.ionConfig.json,
  };
}

export const serializeManifest = (manifest: Manifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** ":prod:my/ion" → ["prod", "my/ion"]. */
export const aliasNames = (aliases: string): string[] => aliases.split(':').filter((a) => a !== '');
