import { prefetchGitState } from '../core/git/read-git-state.js';
import { exitOnceFlushed, printFirstLine, pushEarlyInputs, pushFirstLine, startCompiledCodeCache } from '../github/action-start.js';

// The first line before the rest of the action loads (the AWS SDK is most of the bundle): the log
// says at once which action runs and what it is about to do. The build puts run.js and what it
// imports in a chunk of its own (dist/push/<id>.index.js), loaded here.
printFirstLine(pushFirstLine(process.env));
// With a given classpath, nothing runs in the project before push reads git (no `clojure -Spath`,
// which may write .cpcache/ into the tree): git can run now, while the rest of the action loads.
const early = pushEarlyInputs(process.env);
if (early.classpathGiven) prefetchGitState(early.projectDir);
const compiledCode = await startCompiledCodeCache('push');
const { run } = await import('./run.js');
await run();
await compiledCode.finish();
// run() has written everything (outputs, summary, jar cache) and never throws: what is left is Node's
// teardown, and the SDK's idle sockets and timers, which the step need not wait for.
await exitOnceFlushed();
