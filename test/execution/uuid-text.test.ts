import { describe, expect, it } from 'vitest';
import { HEX_CODES, uuidV4Text } from '../../src/execution/uuid-text.js';

describe('uuidV4Text', () => {
  it('writes 16 bytes from an offset as a UUID, with the version 4 and RFC 4122 variant bits set', () => {
    const bytes = new Uint8Array(20);
    for (let i = 0; i < 16; i++) bytes[i + 4] = 0xf0 + i;
    expect(uuidV4Text(bytes, 4)).toBe('f0f1f2f3-f4f5-46f7-b8f9-fafbfcfdfeff');
    expect(uuidV4Text(new Uint8Array(16), 0)).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('uses lowercase hex digits', () => {
    expect(String.fromCharCode(...HEX_CODES)).toBe('0123456789abcdef');
  });
});
