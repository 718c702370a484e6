// The kernels module: everything here is compiled into build/kernels.wasm.
export { trainWord2VecChunk, initWord2VecMatrix, initWord2VecRows } from './w2v';
export * from './exports';
export * from './similarity';
export * from './cooccur';
export * from './glove';
export { trainSupervisedChunk, updateSupervised, softmaxScores, meanOfRows, initSupervisedMatrix } from './supervised';
export { countWords, rehashWords } from './wordcount';
export { echoWord2VecConfig, echoWord2VecWorker, echoGloveConfig } from './abi-echo';
export { lossTermOf } from './losses';
export { rowsToF32, spmmRowsF32, transposeCsr, gramRows, multiplySmall } from './spmm';
export { scanPhrases, internStrings, mergePairs, addPairCount, exportPairs, rehashPairs, rehashStrings, materializePairs, addSplitPairs, applyPhrases } from './bigrams';
