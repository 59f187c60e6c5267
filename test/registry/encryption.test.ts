import { describe, expect, it } from 'vitest';
import { checkEncryption, sameEncryption } from '../../src/registry/encryption.js';

const PLACE = { region: 'us-west-2', accountId: '000000000000' };
const KEY_ID = '3bdd536d-bb54-4488-b0fd-0c25e1cb1ddb';
const KEY_ARN = `arn:aws:kms:us-west-2:000000000000:key/${KEY_ID}`;

/** As recorded against AWS (2026-09): encryption_admission.json. */
describe('checkEncryption', () => {
  it('describes none as AWS_OWNED_KEY, and a key ID as its key ARN with a reuse period of 300', () => {
    expect(checkEncryption(undefined, PLACE)).toEqual({ type: 'AWS_OWNED_KEY' });
    expect(checkEncryption({ type: 'AWS_OWNED_KEY' }, PLACE)).toEqual({ type: 'AWS_OWNED_KEY' });
    expect(checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }, PLACE)).toEqual({ kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300, type: 'CUSTOMER_MANAGED_KMS_KEY' });
    expect(checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }, PLACE)).toEqual({ kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60, type: 'CUSTOMER_MANAGED_KMS_KEY' });
  });

  it('refuses a key for AWS_OWNED_KEY, none for a customer managed key, and a key ARN of another Region', () => {
    const refused = (message: string | RegExp) => ({ code: 'InvalidEncryptionConfiguration', message: typeof message === 'string' ? message : expect.stringMatching(message) });
    expect(() => checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY' }, PLACE)).toThrow(expect.objectContaining(refused('Invalid Encryption Configuration: Must set a valid kmsKeyId.')));
    expect(() => checkEncryption({ type: 'AWS_OWNED_KEY', kmsKeyId: KEY_ARN }, PLACE)).toThrow(expect.objectContaining(refused('Invalid Encryption Configuration: Custom kmsKeyId is not allowed when selecting AWS_OWNED_KEY.')));
    expect(() => checkEncryption({ type: 'AWS_OWNED_KEY', kmsDataKeyReusePeriodSeconds: 300 }, PLACE)).toThrow(expect.objectContaining(refused('Invalid Encryption Configuration: Custom kmsDataKeyReusePeriodSeconds is not allowed when selecting AWS_OWNED_KEY.')));
    expect(() => checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: `arn:aws:kms:us-east-1:000000000000:key/${KEY_ID}` }, PLACE)).toThrow(expect.objectContaining(refused(/^Invalid arn us-east-1 \(Service: Kms, Status Code: 400, Request ID: /)));
  });

  it('finds a key ID and its ARN, and an omitted and a 300-second reuse period, the same', () => {
    const a = checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }, PLACE);
    const b = checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 }, PLACE);
    expect(sameEncryption(a, b)).toBe(true);
    expect(sameEncryption(a, checkEncryption({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }, PLACE))).toBe(false);
    expect(sameEncryption(undefined, checkEncryption({ type: 'AWS_OWNED_KEY' }, PLACE))).toBe(true);
    expect(sameEncryption(undefined, a)).toBe(false);
  });
});
