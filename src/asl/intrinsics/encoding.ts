import { intrinsicFailure, type IntrinsicFunction } from './intrinsic-types.js';

/** AWS limits the input of both Base64 intrinsics to this many characters. */
export const BASE64_MAX_INPUT_CHARS = 10_000;

// Standard alphabet only; padding, when present, must complete the last 4-character group.
const BASE64 = /^[A-Za-z0-9+/]*$/;

function checkLength(name: string, text: string): void {
  if (text.length > BASE64_MAX_INPUT_CHARS) {
    throw intrinsicFailure(
      `${name}: the input is ${text.length} characters long, more than the maximum of ${BASE64_MAX_INPUT_CHARS}`,
    );
  }
}

export const base64Encode: IntrinsicFunction = {
  name: 'States.Base64Encode',
  params: ['string'],
  returns: 'string',
  evaluate: ([input]) => {
    const text = input!.value as string;
    checkLength('States.Base64Encode', text);
    return Buffer.from(text, 'utf8').toString('base64');
  },
};

/**
 * Node's decoder silently skips characters outside the alphabet; AWS (Java's basic decoder)
 * rejects them, so the text is checked first. Missing padding is accepted, as Java does.
 */
export const base64Decode: IntrinsicFunction = {
  name: 'States.Base64Decode',
  params: ['string'],
  returns: 'string',
  evaluate: ([input]) => {
    const text = input!.value as string;
    checkLength('States.Base64Decode', text);
    const body = text.replace(/={1,2}$/, '');
    const padded = body.length !== text.length;
    if (!BASE64.test(body) || body.length % 4 === 1 || (padded && text.length % 4 !== 0)) {
      throw intrinsicFailure(`States.Base64Decode: the input is not valid Base64: '${text.length > 100 ? `${text.slice(0, 97)}...` : text}'`);
    }
    return Buffer.from(body, 'base64').toString('utf8');
  },
};
