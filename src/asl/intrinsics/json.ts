import type { JsonObject, JsonValue } from '../json-value.js';
import { intrinsicFailure, type IntrinsicFunction } from './intrinsic-types.js';
import { preview, toJavaJson } from './values.js';

/**
 * Blank text parses to null: the recorded cases give null for "" and " ". A lone -0 comes
 * back as 0, as Jackson reads it as an integer.
 */
export const stringToJson: IntrinsicFunction = {
  name: 'States.StringToJson',
  params: ['string'],
  returns: 'any',
  evaluate: ([input]) => {
    const text = input!.value as string;
    if (text.trim() === '') return null;
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch (error) {
      throw intrinsicFailure(`States.StringToJson: the string is not valid JSON (${(error as Error).message}): ${preview(text)}`);
    }
    return Object.is(parsed, -0) ? 0 : parsed;
  },
};

export const jsonToString: IntrinsicFunction = {
  name: 'States.JsonToString',
  params: ['any'],
  returns: 'string',
  evaluate: ([input]) => toJavaJson(input!.value),
};

const DEEP_MERGE_UNSUPPORTED = 'States.JsonMerge: deep merge is not supported; the third argument must be false';

/**
 * Shallow merge only: on a shared key the second object's value wins outright. AWS does not
 * support deep merging, so `true` as the third argument fails.
 */
export const jsonMerge: IntrinsicFunction = {
  name: 'States.JsonMerge',
  params: ['object', 'object', 'boolean'],
  returns: 'object',
  evaluate: ([first, second, deep]) => {
    if (deep!.value === true) throw intrinsicFailure(DEEP_MERGE_UNSUPPORTED);
    return { ...(first!.value as JsonObject), ...(second!.value as JsonObject) };
  },
};
