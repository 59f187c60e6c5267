import { intrinsicFailure, type IntrinsicFunction } from './intrinsic-types.js';
import { toJavaString } from './values.js';

const PLACEHOLDER = '{}';
const UNMATCHED_BRACE = /\{(?!\})/;

function countMismatch(placeholders: number, values: number): string {
  return `States.Format: the template has ${placeholders} placeholder(s) but ${values} value(s) were given`;
}

/**
 * A quoted template arrives already cut at its unescaped `{}`; a template read from a path
 * or returned by a nested call has no escapes, so every `{}` in it is a placeholder.
 */
export const format: IntrinsicFunction = {
  name: 'States.Format',
  params: ['string'],
  rest: 'any',
  returns: 'string',
  evaluate: ([template, ...values]) => {
    // An unescaped `{` must open a `{}`: AWS fails the template "Hello {}, ... \\{ "name": "Bob" \\}"
    // (a backslash, then a bare brace) when the state runs, with this reason (AWS's answer quoted in
    // aws/aws-cdk#29261). A template read from a path has no escapes, so any `{` there is bare.
    const unmatched = template!.segments ? template!.unmatchedBrace : UNMATCHED_BRACE.test(template!.value as string);
    if (unmatched) throw intrinsicFailure("Invalid template in States.Format: matching '}' not found for '{'.");
    const segments = template!.segments ?? (template!.value as string).split(PLACEHOLDER);
    if (segments.length - 1 !== values.length) throw intrinsicFailure(countMismatch(segments.length - 1, values.length));
    let text = segments[0]!;
    values.forEach((value, i) => {
      text += toJavaString(value.value) + segments[i + 1]!;
    });
    return text;
  },
  checkLiterals: (args, segments) => {
    const templateSegments = segments[0];
    if (templateSegments === undefined) return null;
    return templateSegments.length - 1 === args.length - 1 ? null : countMismatch(templateSegments.length - 1, args.length - 1);
  },
};

/**
 * Every character of the second argument is a separator on its own, and empty pieces are
 * dropped (the recorded cases: ", , ," by "," gives [" ", " "], ",,,," gives []), like Java's
 * StringTokenizer. Characters are compared as code points so a separator cannot split a
 * surrogate pair.
 */
export const stringSplit: IntrinsicFunction = {
  name: 'States.StringSplit',
  params: ['string', 'string'],
  returns: 'array',
  evaluate: ([input, delimiters]) => {
    const separators = new Set(Array.from(delimiters!.value as string));
    const pieces: string[] = [];
    let current = '';
    for (const char of input!.value as string) {
      if (separators.has(char)) {
        if (current !== '') pieces.push(current);
        current = '';
      } else {
        current += char;
      }
    }
    if (current !== '') pieces.push(current);
    return pieces;
  },
};
