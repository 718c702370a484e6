import { describe, expect, it } from 'vitest';
import { evaluateAnalogiesText, evaluateWordPairsText } from '../../src/model/evaluate.js';
import { KeyedVectors } from '../../src/model/index.js';

// Chinese analogy and word-pair files (zh-analogy.txt's Google format, Chinese words): upper-casing
// leaves CJK as it is, so case-insensitive evaluation (the default, as gensim) neither merges nor
// loses Chinese words, and OOV questions and pairs are counted as gensim counts them.
// 男人 (1,0,1,0), 女人 (0,1,1,0), 国王 (1,0,0,1), 王后 (0,1,0,1): 男人 : 国王 :: 女人 : 王后 exactly.
const MODEL = () =>
  new KeyedVectors(['男人', '女人', '国王', '王后', '北京', 'Beijing'], 4, Float32Array.from([
    1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0.1,
  ]));

describe('evaluation in Chinese', () => {
  it('answers Chinese analogy questions case-insensitively and counts the OOV ones as gensim', () => {
    const text = [': family', '男人 国王 女人 王后', '女人 王后 男人 国王', '男人 国王 女人 公主', ': capital', '北京 中国 东京 日本', 'BEIJING 北京 男人 女人'].join('\n');
    const result = evaluateAnalogiesText(MODEL(), text);
    expect(result.questions).toBe(5);
    expect(result.oov).toBe(2); // 公主, then 中国 / 东京 / 日本 are not in the model
    expect(result.oovRatio).toBeCloseTo(40);
    expect(result.total.correct + result.total.incorrect).toBe(3);
    expect(result.sections[0]).toMatchObject({ section: 'family', correct: 2, incorrect: 0 });
  });

  it('reads Chinese word pairs and reports OOV pairs as gensim', () => {
    const result = evaluateWordPairsText(MODEL(), ['男人\t女人\t8.0', '国王\t王后\t7.5', '男人\t王后\t2.0', '北京\t上海\t9.0'].join('\n'));
    expect(result.pairs).toBe(3);
    expect(result.oov).toBe(1);
    expect(result.oovRatio).toBeCloseTo(25);
  });
});
