import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-helpers.js';
import { GZIP_ROWS } from '../compile/states/item-reader-parquet-fixtures.js';

describe('stepwise run: a Distributed Map reading a Parquet file', () => {
  it('reads the rows of the file a mock gives as base64, one child per row (the bundled CLI loads the Parquet reader)', () => {
    const definition = tempFile('def.json', JSON.stringify({
      StartAt: 'Read',
      States: {
        Read: {
          Type: 'Map', End: true,
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'PARQUET' }, Parameters: { Bucket: 'lake', Key: 'rows.parquet' } },
          ItemSelector: { 'value.$': '$$.Map.Item.Value.s', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        },
      },
    }));
    const mocks = tempFile('mocks.json', JSON.stringify({
      StateMachines: { Lake: { TestCases: { Rows: { Read: 'ParquetFile' } } } },
      MockedResponses: { ParquetFile: { '0': { Return: { Body: GZIP_ROWS } } } },
    }));
    const r = runCli(['run', definition, '--mock-config', mocks, '--test-case', 'Rows', '--state-machine-name', 'Lake', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'SUCCEEDED', output: [{ value: 'x', index: 0 }, { value: 'y', index: 1 }] });
  });
});
