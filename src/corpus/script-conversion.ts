// Chinese script conversion (OpenCC's t2s and s2t, phrase-level) through opencc-js, a maintained
// pure-JavaScript OpenCC with its dictionaries bundled; loaded only when normalize asks for it.
// t2s uses opencc-js's engine with OpenCC's dictionaries as the `opencc` command ships them
// (opencc-t2s-corrections.ts), so that text converted here and by the command line agree.
import { importOptional } from './optional-package.js';
import { T2S_CORRECTIONS } from './opencc-t2s-corrections.js';

export type ScriptConversion = 't2s' | 's2t';

type Convert = (text: string) => string;

interface OpenCCModule {
  Converter(options: { from: string; to: string }): Convert;
}

interface OpenCCCore {
  ConverterFactory(...dictGroups: [string, string][][][]): Convert;
}

const converters = new Map<ScriptConversion, Promise<Convert>>();

/** opencc-js's "key value|…" dictionary with the table's entries set and removed, as pairs. */
export function correctDictionary(bundled: string, correction: { set: string; remove: string }): [string, string][] {
  const entries = new Map<string, string>();
  const load = (text: string) => {
    if (text === '') return;
    for (const entry of text.split('|')) {
      const [key, value] = entry.split(' ');
      entries.set(key, value);
    }
  };
  load(bundled);
  if (correction.remove !== '') for (const key of correction.remove.split('|')) entries.delete(key);
  load(correction.set);
  return [...entries];
}

async function loadT2s(): Promise<Convert> {
  const load = <T>(specifier: string) => importOptional<T>(specifier, 'opencc-js', 'normalize "t2s"');
  const [core, phrases, characters, compatibility] = await Promise.all([
    load<OpenCCCore>('opencc-js/core'),
    load<{ default: string }>('opencc-js/dict/TSPhrases'),
    load<{ default: string }>('opencc-js/dict/TSCharacters'),
    load<{ default: string }>('opencc-js/dict/CJK_Compatibility_Ideographs'),
  ]);
  // As opencc-js's own t2s: compatibility ideographs to unified ones, then phrases before characters.
  const normalize = core.ConverterFactory([correctDictionary(compatibility.default, { set: '', remove: '' })]);
  const convert = core.ConverterFactory([
    correctDictionary(phrases.default, T2S_CORRECTIONS.TSPhrases),
    correctDictionary(characters.default, T2S_CORRECTIONS.TSCharacters),
  ]);
  return (text) => convert(normalize(text));
}

/**
 * OpenCC's t2s.json (Traditional → Simplified: OpenCC's 't' to 'cn' without regional idioms) or
 * s2t.json. Conversion never looks across a line end or whitespace, so it can run piece by piece.
 */
export function loadScriptConverter(conversion: ScriptConversion): Promise<Convert> {
  let converter = converters.get(conversion);
  if (!converter) {
    converter = conversion === 't2s'
      ? loadT2s()
      : importOptional<OpenCCModule>('opencc-js', 'opencc-js', `normalize "${conversion}"`).then((OpenCC) => OpenCC.Converter({ from: 'cn', to: 't' }));
    converter.catch(() => converters.delete(conversion));
    converters.set(conversion, converter);
  }
  return converter;
}
