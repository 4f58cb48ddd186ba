import { enableCompileCache, printFirstLine, pushFirstLine } from '../github/action-start.js';

// The first line before the rest of the action loads (the AWS SDK is most of the bundle): the log
// says at once which action runs and what it is about to do. The build puts run.js and what it
// imports in a chunk of its own (dist/push/<id>.index.js), loaded here.
printFirstLine(pushFirstLine(process.env));
enableCompileCache();
const { run } = await import('./run.js');
await run();
