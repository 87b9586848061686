// The replica's worker script, as small as it can be: all it does is in worker-main.ts, which
// it imports. Chrome compiles a worker's own script afresh on every start, without the code
// cache it keeps for scripts, and this one is PGlite and the sync (0.7 MB): 144 ms of a warm
// start on this machine. A module the worker imports is compiled from that cache (15 ms).
import type { WorkerStart } from './channel.ts';

// What the tab says while worker-main.ts loads is said to it once it has.
const saidMeanwhile: MessageEvent<WorkerStart>[] = [];
const keep = (event: MessageEvent<WorkerStart>) => void saidMeanwhile.push(event);
addEventListener('message', keep);
const { onStartMessage } = await import('./worker-main.ts');
removeEventListener('message', keep);
addEventListener('message', onStartMessage);
for (const event of saidMeanwhile) onStartMessage(event);
