import { MAX_JSON_DEPTH } from '../../src/asl/json-value.js';

/**
 * Whether a JSON text nests arrays and objects more than {@link MAX_JSON_DEPTH} levels deep,
 * counted over its characters (string contents skipped) without parsing it. `JSON.parse`
 * takes any depth, but the definition validator, `JSON.stringify` and the stores walk parsed
 * values recursively, so a request nested some thousands of levels deep ended in a RangeError
 * (HTTP 500) instead of AWS's refusal. Not a JSON check: a broken text is left to `JSON.parse`.
 */
export function nestsTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** The wording of a refusal, after AWS's "Invalid ... : '<why>'" messages. */
export const TOO_DEEP = `it nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;
