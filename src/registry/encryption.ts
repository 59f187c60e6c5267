import { randomUUID } from 'node:crypto';
import { StepwiseError } from '../errors/stepwise-error.js';

/**
 * API:EncryptionConfiguration of a state machine or activity. Stepwise keeps no data encrypted
 * and calls no KMS: the configuration is checked as AWS checks it without KMS, kept, and
 * described back as AWS describes it.
 */
export interface EncryptionConfiguration {
  type: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KMS_KEY';
  kmsKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
}

export const ENCRYPTION_TYPES = ['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY'] as const;

/** Recorded against AWS (2026-09): none given describes as `{ type: 'AWS_OWNED_KEY' }`, with no kms fields. */
export const AWS_OWNED_KEY: EncryptionConfiguration = Object.freeze({ type: 'AWS_OWNED_KEY' });

/** API:EncryptionConfiguration: "Default: 300", when a customer managed key is given without it. */
const DEFAULT_REUSE_SECONDS = 300;

/** A key ID as KMS issues them: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;

/**
 * The configuration as Describe* shows it, or InvalidEncryptionConfiguration in AWS's words
 * (recorded 2026-09). A key ID becomes the key's ARN, as AWS describes it; a key ARN is kept. An
 * alias stays as given: AWS describes the key it names, which only KMS knows. Whether the key
 * exists, is enabled and symmetric is KMS's to say and is not checked.
 */
export function checkEncryption(c: EncryptionConfiguration | undefined, place: { region: string; accountId: string }): EncryptionConfiguration {
  if (!c) return AWS_OWNED_KEY;
  if (c.type === 'AWS_OWNED_KEY') {
    if (c.kmsKeyId !== undefined) throw invalid('Invalid Encryption Configuration: Custom kmsKeyId is not allowed when selecting AWS_OWNED_KEY.');
    if (c.kmsDataKeyReusePeriodSeconds !== undefined) throw invalid('Invalid Encryption Configuration: Custom kmsDataKeyReusePeriodSeconds is not allowed when selecting AWS_OWNED_KEY.');
    return AWS_OWNED_KEY;
  }
  if (c.kmsKeyId === undefined || c.kmsKeyId === '') throw invalid('Invalid Encryption Configuration: Must set a valid kmsKeyId.');
  // KMS refuses an ARN of another Region before it looks the key up; AWS passes its words on.
  const region = /^arn:aws[a-z-]*:kms:([^:]*):/.exec(c.kmsKeyId)?.[1];
  if (region !== undefined && region !== place.region) throw invalid(`Invalid arn ${region} (Service: Kms, Status Code: 400, Request ID: ${randomUUID()}) (SDK Attempt Count: 1)`);
  const kmsKeyId = KEY_ID.test(c.kmsKeyId) ? `arn:aws:kms:${place.region}:${place.accountId}:key/${c.kmsKeyId}` : c.kmsKeyId;
  // In the order AWS's DescribeStateMachine and DescribeActivity list the members.
  return { kmsKeyId, kmsDataKeyReusePeriodSeconds: c.kmsDataKeyReusePeriodSeconds ?? DEFAULT_REUSE_SECONDS, type: 'CUSTOMER_MANAGED_KMS_KEY' };
}

/** Two checked configurations are the same one (CreateStateMachine and CreateActivity idempotency). */
export function sameEncryption(a: EncryptionConfiguration | undefined, b: EncryptionConfiguration | undefined): boolean {
  const x = a ?? AWS_OWNED_KEY;
  const y = b ?? AWS_OWNED_KEY;
  return x.type === y.type && x.kmsKeyId === y.kmsKeyId && x.kmsDataKeyReusePeriodSeconds === y.kmsDataKeyReusePeriodSeconds;
}

function invalid(message: string): StepwiseError {
  return new StepwiseError('InvalidEncryptionConfiguration', message);
}
