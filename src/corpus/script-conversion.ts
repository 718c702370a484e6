// Chinese script conversion (OpenCC's t2s and s2t, phrase-level) through opencc-js, a maintained
// pure-JavaScript OpenCC with its dictionaries bundled; loaded only when normalize asks for it.
import { importOptional } from './optional-package.js';

export type ScriptConversion = 't2s' | 's2t';

interface OpenCCModule {
  Converter(options: { from: string; to: string }): (text: string) => string;
}

const converters = new Map<ScriptConversion, Promise<(text: string) => string>>();

/**
 * OpenCC's t2s.json (Traditional → Simplified: OpenCC's 't' to 'cn' without regional idioms) or
 * s2t.json. Conversion never looks across a line end or whitespace, so it can run piece by piece.
 */
export function loadScriptConverter(conversion: ScriptConversion): Promise<(text: string) => string> {
  let converter = converters.get(conversion);
  if (!converter) {
    converter = importOptional<OpenCCModule>('opencc-js', 'opencc-js', `normalize "${conversion}"`).then((OpenCC) =>
      conversion === 't2s' ? OpenCC.Converter({ from: 't', to: 'cn' }) : OpenCC.Converter({ from: 'cn', to: 't' }),
    );
    converter.catch(() => converters.delete(conversion));
    converters.set(conversion, converter);
  }
  return converter;
}
