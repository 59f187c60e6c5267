/**
 * `$formatNumber` as AWS's evaluator answers it. The library's own function reads a sub-picture
 * with no active character (no digit, `#`, separator) as having no prefix at all and fails with a
 * TypeError; AWS takes the whole sub-picture as its active part and refuses it by the XPath
 * picture rules the library applies (F&O 4.7.3): `$formatNumber(1, "x")` fails with D3086, as
 * measured against AWS (floci-io/floci#2737). With an empty prefix and suffix those rules give
 * D3093 when the sub-picture holds an exponent separator (no digit can follow it), D3086 when it
 * holds anything else, D3085 when it is empty. Every other picture is the library's to format.
 */

export type FormatNumber = (value: unknown, picture: unknown, options?: unknown) => unknown;

const DEFAULTS: Record<string, string> = {
  'decimal-separator': '.', 'grouping-separator': ',', 'exponent-separator': 'e', 'zero-digit': '0', digit: '#', 'pattern-separator': ';',
};

export async function formatNumber(builtin: FormatNumber, value: unknown, picture: unknown, options?: unknown): Promise<unknown> {
  if (value === undefined || typeof picture !== 'string') return builtin(value, picture, options);
  const p = { ...DEFAULTS, ...(typeof options === 'object' && options !== null ? (options as Record<string, string>) : {}) };
  const zero = p['zero-digit']!.charCodeAt(0);
  const active = new Set([...Array.from({ length: 10 }, (_, i) => String.fromCharCode(zero + i)), p['decimal-separator'], p['grouping-separator'], p.digit, p['pattern-separator']]);
  const subPictures = picture.split(p['pattern-separator']!);
  const lacksActive = (sub: string) => !Array.from(sub).some((ch) => active.has(ch));
  if (subPictures.length > 2 || !subPictures.some(lacksActive)) return builtin(value, picture, options);
  // The library checks the sub-pictures in order, so one before the faulty one answers first.
  for (const sub of subPictures) {
    if (lacksActive(sub)) throw { code: sub.includes(p['exponent-separator']!) ? 'D3093' : sub === '' ? 'D3085' : 'D3086' };
    await builtin(value, sub, options);
  }
  return builtin(value, picture, options);
}
