import { ENCRYPTION_TYPES, type EncryptionConfiguration } from '../../src/registry/encryption.js';
import type { Tag } from '../../src/registry/registry-types.js';
import { ApiError, validationError } from './aws-json-protocol.js';

/** Half a surrogate pair: no character at all (a pair is one astral character, which is allowed). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Reads members of a request body with AWS's validation messages
 * ("1 validation error detected: Value null at 'name' failed to satisfy constraint: ...").
 */
export class RequestFields {
  /** `path`: where `body` is in the request (`tags.1.member.`), for the messages. */
  constructor(private readonly body: Record<string, unknown>, private readonly path = '') {}

  /** A JSON payload member (input, output): AWS counts its limit in UTF-8 bytes. */
  optionalPayload(key: string, maxBytes: number): string | undefined {
    const v = this.optionalString(key);
    if (v !== undefined && Buffer.byteLength(v, 'utf8') > maxBytes) {
      throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must have length less than or equal to ${maxBytes}`);
    }
    return v;
  }

  string(key: string, options: { max?: number; min?: number } = {}): string {
    const v = this.optionalString(key, options);
    if (v === undefined) throw validationError(`1 validation error detected: Value null at '${this.path}${key}' failed to satisfy constraint: Member must not be null`);
    return v;
  }

  optionalString(key: string, options: { max?: number; min?: number } = {}): string | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must be a string`);
    if (options.max !== undefined && v.length > options.max) {
      throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must have length less than or equal to ${options.max}`);
    }
    if (options.min !== undefined && v.length < options.min) {
      throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must have length greater than or equal to ${options.min}`);
    }
    return v;
  }

  /**
   * A resource name (state machine, execution, activity); the other rules are the registry's.
   * One holding half a surrogate pair is InvalidName: the event log wrote it as U+FFFD in stream
   * names but escaped in events, so a restarted server found no history for such an execution.
   */
  optionalName(key = 'name'): string | undefined {
    const v = this.optionalString(key);
    if (v !== undefined && LONE_SURROGATE.test(v)) throw new ApiError('InvalidName', `Invalid Name: '${v}'`);
    return v;
  }

  name(key = 'name'): string {
    return this.optionalName(key) ?? this.string(key);
  }

  optionalBoolean(key: string): boolean | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must be a boolean`);
    return v;
  }

  /** `integer`: a whole number; `min`/`max`: the bounds, in AWS's constraint wording. */
  optionalNumber(key: string, options: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || (options.integer && !Number.isInteger(v))) {
      throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must be ${options.integer ? 'an integer' : 'a number'}`);
    }
    if (options.min !== undefined && v < options.min) throw validationError(`1 validation error detected: Value '${v}' at '${this.path}${key}' failed to satisfy constraint: Member must have value greater than or equal to ${options.min}`);
    if (options.max !== undefined && v > options.max) throw validationError(`1 validation error detected: Value '${v}' at '${this.path}${key}' failed to satisfy constraint: Member must have value less than or equal to ${options.max}`);
    return v;
  }

  optionalEnum<T extends string>(key: string, values: readonly T[]): T | undefined {
    const v = this.optionalString(key);
    if (v === undefined) return undefined;
    if (!values.includes(v as T)) {
      throw validationError(`1 validation error detected: Value '${v}' at '${this.path}${key}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
    }
    return v as T;
  }

  optionalObject<T>(key: string): T | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must be an object`);
    return v as T;
  }

  /** An object member, read with the same checks; messages name its members `key.member`. */
  optionalFields(key: string): RequestFields | undefined {
    const v = this.optionalObject<Record<string, unknown>>(key);
    return v === undefined ? undefined : new RequestFields(v, `${this.path}${key}.`);
  }

  /** A list of objects, each read with the same checks; messages name them `key.N.member`. */
  optionalObjectList(key: string): RequestFields[] | undefined {
    return this.optionalList<unknown>(key)?.map((v, i) => {
      const at = `${this.path}${key}.${i + 1}.member`;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw validationError(`1 validation error detected: Value at '${at}' failed to satisfy constraint: Member must be an object`);
      return new RequestFields(v as Record<string, unknown>, `${at}.`);
    });
  }

  optionalList<T>(key: string): T[] | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw validationError(`1 validation error detected: Value at '${this.path}${key}' failed to satisfy constraint: Member must be a list`);
    return v as T[];
  }

  list<T>(key: string): T[] {
    const v = this.optionalList<T>(key);
    if (v === undefined) throw validationError(`1 validation error detected: Value null at '${this.path}${key}' failed to satisfy constraint: Member must not be null`);
    return v;
  }

  /**
   * A list of strings (UntagResource's `tagKeys`), each within `max` characters: checked before
   * anything is changed with them.
   */
  stringList(key: string, options: { max: number }): string[] {
    const list = this.list<unknown>(key);
    list.forEach((v, i) => {
      const at = `${this.path}${key}.${i + 1}.member`;
      if (typeof v !== 'string') throw validationError(`1 validation error detected: Value at '${at}' failed to satisfy constraint: Member must be a string`);
      if (v.length < 1 || v.length > options.max) throw validationError(`1 validation error detected: Value '${v}' at '${at}' failed to satisfy constraint: Member must have length between 1 and ${options.max}`);
    });
    return list as string[];
  }

  /**
   * `tags` as AWS's Tag shape (a key of 1 to 128 characters, a value of at most 256), checked
   * before the resource they are given with is created: an activity was made, then refused.
   */
  optionalTags(key = 'tags'): Tag[] | undefined {
    for (const tag of this.optionalObjectList(key) ?? []) {
      tag.string('key', { min: 1, max: 128 });
      tag.optionalString('value', { max: 256 });
    }
    return this.optionalList<Tag>(key);
  }

  /**
   * API:EncryptionConfiguration with its request-shape constraints (a required `type`, a key of 1
   * to 2,048 characters, a reuse period of 60 to 900 seconds), in AWS's words (recorded 2026-09);
   * what the values mean is the registry's to check (src/registry/encryption.ts).
   */
  optionalEncryptionConfiguration(key = 'encryptionConfiguration'): EncryptionConfiguration | undefined {
    const c = this.optionalFields(key);
    if (!c) return undefined;
    const type = c.optionalEnum('type', ENCRYPTION_TYPES) ?? (c.string('type') as never);
    const kmsKeyId = c.optionalString('kmsKeyId', { min: 1, max: 2048 });
    const reuse = c.optionalNumber('kmsDataKeyReusePeriodSeconds', { integer: true, min: 60, max: 900 });
    return { type, ...(kmsKeyId !== undefined ? { kmsKeyId } : {}), ...(reuse !== undefined ? { kmsDataKeyReusePeriodSeconds: reuse } : {}) };
  }

  /**
   * maxResults (0 to 1000; a negative one was refused as over 1000) and nextToken; AWS caps the
   * token at 1,024 characters, or 3,096 for executions and history.
   */
  page(maxTokenLength = 1024): { maxResults?: number; nextToken?: string } {
    const maxResults = this.optionalNumber('maxResults', { integer: true, min: 0, max: 1000 });
    const nextToken = this.optionalString('nextToken');
    if (nextToken !== undefined && nextToken.length > maxTokenLength) {
      throw validationError(`1 validation error detected: Value '${nextToken}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to ${maxTokenLength}`);
    }
    return { ...(maxResults !== undefined ? { maxResults } : {}), ...(nextToken !== undefined ? { nextToken } : {}) };
  }
}

/**
 * API:DescribeStateMachine's `includedData`: METADATA_ONLY leaves the (possibly encrypted)
 * definition out, which AWS answers as the text `{}` (recorded 2026-09, for customer managed and
 * AWS owned keys alike).
 */
export function includedData(f: RequestFields): 'ALL_DATA' | 'METADATA_ONLY' {
  return f.optionalEnum('includedData', ['ALL_DATA', 'METADATA_ONLY'] as const) ?? 'ALL_DATA';
}
