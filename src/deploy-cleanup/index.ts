import { startCompiledCodeCache, deployPostFirstLine, printFirstLine } from '../github/action-start.js';

// The first line before the rest of the post step loads (the AWS SDK is most of the bundle). The
// build puts run.js and what it imports in a chunk of its own (dist/deploy-cleanup/<id>.index.js).
printFirstLine(deployPostFirstLine(process.env));
const compiledCode = await startCompiledCodeCache('deploy-cleanup');
const { run } = await import('./run.js');
await run();
await compiledCode.finish();
