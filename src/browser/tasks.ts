// The shard routines a browser host runs, by task kind: in each Web Worker (src/browser/worker.ts),
// or on the page's own thread when it is not cross-origin isolated (src/browser/worker-pool.ts). Only
// word2vec's shard: the browser entry trains word2vec from text in memory, whose vocabulary pass
// runs on the page's thread.
import { runWord2VecShard, type Word2VecShardTask } from '../word2vec/shard.js';

export function runTask(task: { kind: string }): unknown {
  switch (task.kind) {
    case 'word2vec':
      return runWord2VecShard(task as Word2VecShardTask);
    default:
      throw new Error(`the browser build has no shard routine for task ${task.kind}`);
  }
}
