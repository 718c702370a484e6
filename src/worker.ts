// Entry point of every Piscina worker thread (the composition root of the worker side): routes a
// task to the shard routine of its stage by `kind`. Only this file knows every kind of task, so the
// pool (src/runtime/worker-pool.ts) stays generic and no stage imports another's shard.
import { runWord2VecShard, type Word2VecShardTask } from './word2vec/shard.js';
import { runCountShard, runMergeShard, type CountTask, type MergeTask } from './cooccur/shards.js';
import { runGloveTrain, type GloveTrainTask } from './glove/shards.js';
import { runSupervisedShard, type SupervisedShardTask } from './supervised/shard.js';
import { runTextVocabularyShard, runVocabularyShard, type TextVocabularyShardTask, type VocabularyShardTask } from './corpus/vocabulary-shard.js';
import { runSvdShard, type SvdTask } from './svd/shards.js';
import { runPhraseShard, type PhraseShardTask } from './phrases/shard.js';

export type WorkerTask =
  | Word2VecShardTask | CountTask | MergeTask | GloveTrainTask | VocabularyShardTask | TextVocabularyShardTask | SvdTask
  | SupervisedShardTask | PhraseShardTask;

export default function runTask(task: WorkerTask): unknown {
  // Tests set this to check that a failing worker fails the whole run cleanly.
  if (process.env.WASM2VEC_FAULT_INJECTION === 'worker-throws') {
    throw new Error(`injected worker failure (task ${task.kind})`);
  }
  switch (task.kind) {
    case 'word2vec':
      return runWord2VecShard(task);
    case 'cooccur-count':
      return runCountShard(task);
    case 'cooccur-merge':
      return runMergeShard(task);
    case 'glove-train':
      return runGloveTrain(task);
    case 'supervised':
      return runSupervisedShard(task);
    case 'vocabulary':
      return runVocabularyShard(task);
    case 'svd':
      return runSvdShard(task);
    case 'vocabulary-text':
      return runTextVocabularyShard(task);
    case 'phrases-count':
      return runPhraseShard(task);
    default:
      throw new Error(`unknown worker task ${(task as { kind: string }).kind}`);
  }
}
