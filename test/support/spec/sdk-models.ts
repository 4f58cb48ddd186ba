/** The SDK models moved to the local cloud, which validates requests against them: local-cloud/sdk-models.ts. */
export * from '../../../local-cloud/sdk-models.js';
