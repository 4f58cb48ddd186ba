import { startCompiledCodeCache, deployFirstLine, printFirstLine } from '../github/action-start.js';

// The first line before the rest of the action loads (the AWS SDK is most of the bundle): the log
// says at once which action runs and what it is about to do. The build puts run.js and what it
// imports in a chunk of its own (dist/deploy/<id>.index.js), loaded here.
printFirstLine(deployFirstLine(process.env));
const compiledCode = await startCompiledCodeCache('deploy');
const { run } = await import('./run.js');
await run();
await compiledCode.finish();
