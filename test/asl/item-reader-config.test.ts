import { describe, expect, it } from 'vitest';
import { validateDefinition, type Diagnostic } from '../../src/asl/validate-definition.js';

/**
 * The validator's ReaderConfig checks, as DG:input-output-itemreader states them: its fields and
 * their values; "When set to LOAD_AND_FLATTEN, you must also set InputType"; "If set to
 * S3_INVENTORY, you must not also specify InputType"; ATHENA_DATA takes InputType "CSV, JSONL,
 * or Parquet".
 */

type Obj = Record<string, unknown>;

const distributedMap = (reader: Obj, queryLanguage?: string): Obj => ({
  ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}),
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map', End: true, ItemReader: reader,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    },
  },
});
const list = (config: Obj): Obj => ({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b', Prefix: 'p/' }, ReaderConfig: config });
const get = (config: Obj): Obj => ({ Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' }, ReaderConfig: config });

const errors = (def: unknown): Diagnostic[] => validateDefinition(def).filter((d) => d.severity === 'ERROR');
const at = '/States/M/ItemReader/ReaderConfig';

describe('ReaderConfig', () => {
  it('accepts what AWS documents: LOAD_AND_FLATTEN with each InputType, manifests, Parquet, CSVDelimiter, ItemsPointer', () => {
    for (const InputType of ['CSV', 'JSON', 'JSONL', 'PARQUET']) expect(errors(distributedMap(list({ InputType, Transformation: 'LOAD_AND_FLATTEN' })))).toEqual([]);
    expect(errors(distributedMap(list({ Transformation: 'NONE' })))).toEqual([]);
    for (const InputType of ['CSV', 'JSONL', 'PARQUET']) expect(errors(distributedMap(get({ ManifestType: 'ATHENA_DATA', InputType })))).toEqual([]);
    expect(errors(distributedMap(get({ ManifestType: 'ATHENA_DATA', InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['a', 'b'], CSVDelimiter: 'TAB' })))).toEqual([]);
    expect(errors(distributedMap(get({ ManifestType: 'S3_INVENTORY' })))).toEqual([]);
    expect(errors(distributedMap(get({ InputType: 'MANIFEST' })))).toEqual([]);
    expect(errors(distributedMap(get({ InputType: 'PARQUET', MaxItems: 100000000 })))).toEqual([]);
    expect(errors(distributedMap(get({ InputType: 'JSON', ItemsPointer: '/inventory/products/featured' })))).toEqual([]);
    expect(errors(distributedMap({ Resource: 'arn:aws:states:::s3:listObjectsV2', Arguments: { Bucket: 'b', Prefix: '{% $states.input.prefix %}' }, ReaderConfig: { InputType: 'JSON', Transformation: 'LOAD_AND_FLATTEN' } }, 'JSONata'))).toEqual([]);
  });

  it('refuses LOAD_AND_FLATTEN without an InputType, or with MANIFEST', () => {
    expect(errors(distributedMap(list({ Transformation: 'LOAD_AND_FLATTEN' })))).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "The field 'InputType' is required when Transformation is 'LOAD_AND_FLATTEN'", location: at },
    ]);
    expect(errors(distributedMap(list({ Transformation: 'LOAD_AND_FLATTEN', InputType: 'MANIFEST' })))).toEqual([
      expect.objectContaining({ code: 'SCHEMA_VALIDATION_FAILED', location: `${at}/InputType` }),
    ]);
  });

  it('refuses an InputType with S3_INVENTORY, and ATHENA_DATA without CSV, JSONL or PARQUET', () => {
    expect(errors(distributedMap(get({ ManifestType: 'S3_INVENTORY', InputType: 'CSV' })))).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "The field 'InputType' must not be set when ManifestType is 'S3_INVENTORY'", location: at },
    ]);
    expect(errors(distributedMap(get({ ManifestType: 'ATHENA_DATA' })))).toEqual([
      expect.objectContaining({ message: "The field 'InputType' is required when ManifestType is 'ATHENA_DATA'", location: at }),
    ]);
    expect(errors(distributedMap(get({ ManifestType: 'ATHENA_DATA', InputType: 'JSON' })))).toEqual([
      expect.objectContaining({ message: "InputType must be one of CSV, JSONL, PARQUET when ManifestType is 'ATHENA_DATA'; got JSON", location: `${at}/InputType` }),
    ]);
  });

  it('refuses values outside the enums, a malformed ItemsPointer and unknown fields', () => {
    const one = (config: Obj) => errors(distributedMap(get(config))).map((d) => [d.location, d.message]);
    expect(one({ InputType: 'CSV', Transformation: 'FLATTEN' })).toEqual([[`${at}/Transformation`, "Transformation must be one of NONE, LOAD_AND_FLATTEN; got FLATTEN"]]);
    expect(one({ ManifestType: 'GLUE' })).toEqual([[`${at}/ManifestType`, "ManifestType must be one of ATHENA_DATA, S3_INVENTORY; got GLUE"]]);
    expect(one({ InputType: 'CSV', CSVDelimiter: ';' })).toEqual([[`${at}/CSVDelimiter`, "CSVDelimiter must be one of COMMA, PIPE, SEMICOLON, SPACE, TAB; got ;"]]);
    expect(one({ InputType: 'PARQUET2' })).toEqual([[`${at}/InputType`, "InputType must be one of CSV, JSON, JSONL, MANIFEST, PARQUET; got PARQUET2"]]);
    expect(one({ InputType: 'JSON', ItemsPointer: 'inventory' })).toEqual([[`${at}/ItemsPointer`, "ItemsPointer must be a JSON Pointer (starting with '/')"]]);
    expect(one({ InputType: 'JSON', ItemsPointer: 3 })).toEqual([[`${at}/ItemsPointer`, 'ItemsPointer must be a string, not number']]);
    expect(one({ InputType: 'CSV', CSVHeader: 'FIRST_ROW' })).toEqual([[at, "Field 'CSVHeader' is not supported"]]);
  });
});
