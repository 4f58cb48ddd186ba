import { deployPostFirstLine, enableCompileCache, printFirstLine } from '../github/action-start.js';

// The first line before the rest of the post step loads (the AWS SDK is most of the bundle). The
// build puts run.js and what it imports in a chunk of its own (dist/deploy-cleanup/<id>.index.js).
printFirstLine(deployPostFirstLine(process.env));
enableCompileCache();
const { run } = await import('./run.js');
await run();
