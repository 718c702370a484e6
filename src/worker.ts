// Entry point of every Piscina worker thread: dispatches a task to the job it belongs to.
import { runWord2VecShard, type Word2VecShardTask } from './word2vec/shard.js';
import { runGloveCount, runGloveMerge, runGloveTrain, type GloveCountTask, type GloveMergeTask, type GloveTrainTask } from './glove/shards.js';
import { runVocabularyShard, type VocabularyShardTask } from './corpus/vocabulary-shard.js';

export type WorkerTask = Word2VecShardTask | GloveCountTask | GloveMergeTask | GloveTrainTask | VocabularyShardTask;

export interface WorkerResult {
  aborted: boolean;
  words: number;
}

export default function runTask(task: WorkerTask): WorkerResult {
  // Tests set this to check that a failing worker fails the whole run cleanly.
  if (process.env.WASM2VEC_FAULT_INJECTION === 'worker-throws') {
    throw new Error(`injected worker failure (task ${task.kind})`);
  }
  switch (task.kind) {
    case 'word2vec':
      return runWord2VecShard(task);
    case 'glove-count':
      return runGloveCount(task);
    case 'glove-merge':
      return runGloveMerge(task);
    case 'glove-train':
      return runGloveTrain(task);
    case 'vocabulary':
      return runVocabularyShard(task);
    default:
      throw new Error(`unknown worker task ${(task as { kind: string }).kind}`);
  }
}
