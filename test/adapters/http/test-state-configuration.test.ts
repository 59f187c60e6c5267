import { describe, expect, it } from 'vitest';
import { ROLE, testStateServer } from './sfn-test-server.js';

const { send, refused } = testStateServer();

const mockedError = { errorOutput: { error: 'Lambda.ServiceException', cause: 'Service error' } };
const lambdaTask = (extra: object) => JSON.stringify({
  Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, Next: 'Done', ...extra,
});
const retrier = { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2.0 };

const THRESHOLD = { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' };
const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'ProcessItem', States: { ProcessItem: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } };
const distributedMap = (extra: object) => JSON.stringify({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: processor, ResultPath: '$.results', End: true, ...extra });
const items = (n: number) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => i) });

describe('TestState stateConfiguration.retrierRetryCount', () => {
  it('is RETRIABLE while the retrier has attempts left, with the backoff of that attempt', async () => {
    // DG:test-state-isolation, "Simulating retry attempts": 2 × 2.0^1 = 4 seconds, the first Retry.
    const r = await send({ definition: lambdaTask({ Retry: [retrier] }), input: '{}', inspectionLevel: 'DEBUG', mock: mockedError, stateConfiguration: { retrierRetryCount: 1 } });
    expect(r).toMatchObject({ status: 'RETRIABLE', error: 'Lambda.ServiceException', cause: 'Service error' });
    expect(r.output).toBeUndefined();
    expect(r.nextState).toBeUndefined();
    expect(r.inspectionData!.errorDetails).toEqual({ retryBackoffIntervalSeconds: 4, retryIndex: 0 });
    const first = await send({ definition: lambdaTask({ Retry: [retrier] }), input: '{}', inspectionLevel: 'DEBUG', mock: mockedError });
    expect(first.inspectionData!.errorDetails).toEqual({ retryBackoffIntervalSeconds: 2, retryIndex: 0 });
  });

  it('names the first retrier that matches, and caps the backoff at MaxDelaySeconds', async () => {
    const retry = [{ ErrorEquals: ['Other'], MaxAttempts: 9 }, { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 5, MaxDelaySeconds: 30 }];
    const r = await send({ definition: lambdaTask({ Retry: retry }), input: '{}', inspectionLevel: 'TRACE', mock: mockedError, stateConfiguration: { retrierRetryCount: 2 } });
    expect(r.status).toBe('RETRIABLE');
    expect(r.inspectionData!.errorDetails).toEqual({ retryBackoffIntervalSeconds: 30, retryIndex: 1 });
  });

  it('lets the error through once MaxAttempts retries were made: FAILED, or CAUGHT_ERROR by a catcher, with the retrier still named', async () => {
    // As AWS's recording (MaxAttempts 5, retrierRetryCount 5): FAILED, errorDetails { retryIndex: 0 }.
    const failed = await send({ definition: lambdaTask({ Retry: [retrier] }), input: '{}', inspectionLevel: 'DEBUG', mock: mockedError, stateConfiguration: { retrierRetryCount: 3 } });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException', cause: 'Service error' });
    expect(failed.inspectionData!.errorDetails).toEqual({ retryIndex: 0 });
    const caught = await send({
      definition: lambdaTask({ Retry: [retrier], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handle' }] }),
      input: '{"a":1}', inspectionLevel: 'DEBUG', mock: mockedError, stateConfiguration: { retrierRetryCount: 3 },
    });
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Lambda.ServiceException', nextState: 'Handle' });
    expect(JSON.parse(caught.output!)).toEqual({ a: 1, error: { Error: 'Lambda.ServiceException', Cause: 'Service error' } });
    expect(caught.inspectionData!.errorDetails).toEqual({ retryIndex: 0, catchIndex: 0 });
  });

  it('is refused where there is no Retry to count, and out of its range', async () => {
    await refused({ definition: JSON.stringify({ Type: 'Pass', End: true }), stateConfiguration: { retrierRetryCount: 1 } }, /retrierRetryCount .*a Pass state has no Retry/);
    await refused(
      { definition: lambdaTask({}), mock: mockedError, stateConfiguration: { retrierRetryCount: -1 } },
      "1 validation error detected: Value '-1' at 'stateConfiguration.retrierRetryCount' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
  });
});

describe('TestState stateConfiguration.errorCausedByState', () => {
  it("takes a mocked error as the Map's or Parallel's own, for its Retry and Catch", async () => {
    const map = await send({
      definition: distributedMap({}), roleArn: ROLE, input: items(3), inspectionLevel: 'DEBUG',
      mock: { errorOutput: { error: 'MockException', cause: 'Mock the cause of the error.' } }, stateConfiguration: { errorCausedByState: 'ProcessItem' },
    });
    expect(map).toMatchObject({ status: 'FAILED', error: 'MockException', cause: 'Mock the cause of the error.' });
    // Lists each element's JSON text joined by ", ", as recorded against AWS (2026-09).
    expect(map.inspectionData).toMatchObject({ maxConcurrency: 0, afterItemsPath: '[0, 1, 2]' });
    const parallel = await send({
      definition: JSON.stringify({
        Type: 'Parallel', Next: 'Done',
        Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } }],
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Recover' }],
      }),
      input: '{}', inspectionLevel: 'DEBUG', mock: { errorOutput: { error: 'States.TaskFailed', cause: 'Task execution failed' } }, stateConfiguration: { errorCausedByState: 'B' },
    });
    expect(parallel).toMatchObject({ status: 'CAUGHT_ERROR', error: 'States.TaskFailed', cause: 'Task execution failed', nextState: 'Recover' });
    expect(parallel.inspectionData!.errorDetails).toEqual({ catchIndex: 0 });
  });

  it('is required for a mocked error on a Parallel (not a Map), names a state inside it, and is refused elsewhere', async () => {
    const errorMock = { errorOutput: { error: 'MockException', cause: 'c' } };
    // Recorded against AWS (2026-09): a Map's mocked error without errorCausedByState is the Map's error, FAILED.
    expect(await send({ definition: distributedMap({}), input: items(1), mock: errorMock })).toMatchObject({ status: 'FAILED', error: 'MockException', cause: 'c' });
    const parallel = JSON.stringify({ Type: 'Parallel', End: true, Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }] });
    await refused({ definition: parallel, mock: errorMock }, /errorCausedByState is required when mocking an error for a Parallel state/);
    await refused({ definition: distributedMap({}), input: items(1), mock: errorMock, stateConfiguration: { errorCausedByState: 'Elsewhere' } }, "stateConfiguration.errorCausedByState: 'Elsewhere' is not a state inside the Map state 'StateName'.");
    await refused({ definition: distributedMap({}), input: items(1), mock: { result: '[]' }, stateConfiguration: { errorCausedByState: 'ProcessItem' } }, /it needs mock.errorOutput/);
    await refused({ definition: lambdaTask({}), mock: errorMock, stateConfiguration: { errorCausedByState: 'ProcessItem' } }, /applies to a Map or Parallel state .* is a Task state/);
    await refused(
      { definition: distributedMap({}), mock: errorMock, stateConfiguration: { errorCausedByState: '' } },
      "1 validation error detected: Value at 'stateConfiguration.errorCausedByState' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });
});

describe('TestState stateConfiguration.mapIterationFailureCount', () => {
  const catcher = { Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'TooManyFailed' }] };

  it('fails the Map with States.ExceedToleratedFailureThreshold past ToleratedFailureCount, which Catch and Retry then handle', async () => {
    const within = await send({ definition: distributedMap({ ToleratedFailureCount: 1, ...catcher }), input: items(3), inspectionLevel: 'DEBUG', mock: { result: '["a","b","c"]' }, stateConfiguration: { mapIterationFailureCount: 1 } });
    expect(within.status).toBe('SUCCEEDED');
    expect(JSON.parse(within.output!)).toEqual({ items: [0, 1, 2], results: ['a', 'b', 'c'] });
    expect(within.inspectionData).toMatchObject({ toleratedFailureCount: 1, maxConcurrency: 0 });
    const past = await send({ definition: distributedMap({ ToleratedFailureCount: 1, ...catcher }), input: items(3), inspectionLevel: 'DEBUG', mock: { result: '["a","b","c"]' }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(past).toMatchObject({ status: 'CAUGHT_ERROR', ...THRESHOLD, nextState: 'TooManyFailed' });
    expect(past.inspectionData!.errorDetails).toEqual({ catchIndex: 0 });
    const retried = await send({
      definition: distributedMap({ ToleratedFailureCount: 1, Retry: [{ ErrorEquals: ['MockException'] }, { ErrorEquals: ['States.ExceedToleratedFailureThreshold'], MaxAttempts: 2 }] }),
      input: items(3), inspectionLevel: 'DEBUG', mock: { result: '[1,1,1]' }, stateConfiguration: { mapIterationFailureCount: 2 },
    });
    expect(retried).toMatchObject({ status: 'RETRIABLE', ...THRESHOLD });
    expect(retried.inspectionData!.errorDetails).toEqual({ retryBackoffIntervalSeconds: 1, retryIndex: 1 });
  });

  it('counts against ToleratedFailurePercentage of the items, and only against a threshold the Map declares', async () => {
    const pct = (n: number) => send({ definition: distributedMap({ ToleratedFailurePercentage: 50 }), input: items(4), inspectionLevel: 'DEBUG', mock: { result: '[1,2,3,4]' }, stateConfiguration: { mapIterationFailureCount: n } });
    const half = await pct(2);
    expect(half.status).toBe('SUCCEEDED');
    expect(half.inspectionData!.toleratedFailurePercentage).toBe(50);
    expect(await pct(3)).toMatchObject({ status: 'FAILED', ...THRESHOLD });
    // AWS's recording: a Map that declares no threshold succeeds with 2 failed iterations of 3.
    const undeclared = await send({ definition: distributedMap({}), input: items(3), mock: { result: '[1,2,3]' }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(undeclared.status).toBe('SUCCEEDED');
  });

  it('is refused above the number of items and on other state types', async () => {
    // AWS's words, recorded against AWS (2026-09).
    await refused({ definition: distributedMap({ ToleratedFailureCount: 1 }), input: items(3), mock: { result: '[]' }, stateConfiguration: { mapIterationFailureCount: 4 } }, 'Map iteration failure count must be less than or equal to the number of Map iterations');
    await refused({ definition: lambdaTask({}), mock: { result: '{}' }, stateConfiguration: { mapIterationFailureCount: 1 } }, 'MapIterationFailureCount is only supported when testing a Map state.');
  });
});

describe('TestState stateConfiguration.mapItemReaderData', () => {
  const readerMap = (readerConfig: object, extra: object = {}) => JSON.stringify({
    Type: 'Map', End: true,
    ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: readerConfig, Parameters: { Bucket: 'orders', Key: 'orders.csv' } },
    ItemProcessor: processor, ...extra,
  });

  it("feeds the ItemReader: the items read show through ItemSelector and ItemBatcher, as the reader's InputType reads them", async () => {
    const csv = await send({
      definition: readerMap({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, { MaxConcurrency: 2, ItemSelector: { 'order.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index' } }),
      input: '{}', inspectionLevel: 'DEBUG', mock: { result: '["ok","ok"]' }, stateConfiguration: { mapItemReaderData: 'id,qty\n17,1\n18,4\n' },
    });
    expect(csv.status).toBe('SUCCEEDED');
    expect(csv.output).toBe('["ok","ok"]');
    expect(JSON.parse(csv.inspectionData!.afterItemSelector!)).toEqual([{ order: '17', index: 0 }, { order: '18', index: 1 }]);
    expect(csv.inspectionData!.maxConcurrency).toBe(2);
    const jsonl = await send({
      definition: readerMap({ InputType: 'JSONL' }, { ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { source: 'orders' } } }),
      input: '{}', inspectionLevel: 'DEBUG', mock: { result: '["a","b"]' }, stateConfiguration: { mapItemReaderData: '{"id":1}\n{"id":2}\n{"id":3}\n' },
    });
    // Each item of a batch as its JSON text, as recorded against AWS (2026-09).
    expect(JSON.parse(jsonl.inspectionData!.afterItemBatcher!)).toEqual([
      { BatchInput: { source: 'orders' }, Items: ['{"id":1}', '{"id":2}'] },
      { BatchInput: { source: 'orders' }, Items: ['{"id":3}'] },
    ]);
  });

  it("bounds mapIterationFailureCount by the items read, in a JSONata Map too", async () => {
    const machine = JSON.stringify({
      QueryLanguage: 'JSONata', StartAt: 'State0',
      States: { State0: { Type: 'Map', MaxConcurrency: 1, ToleratedFailureCount: 0, End: true, ItemProcessor: processor,
        ItemReader: { ReaderConfig: { InputType: 'JSON' }, Resource: 'arn:aws:states:::s3:getObject', Arguments: { Bucket: '{% $states.input.Bucket %}', Key: '{% $states.input.Key %}' } } } },
    });
    const input = '{"Bucket":"test-bucket","Key":"test-key"}';
    // As AWS's recording: the mock is the output, the inspection data the input and MaxConcurrency.
    const ok = await send({ stateName: 'State0', definition: machine, input, inspectionLevel: 'DEBUG', mock: { result: '[1,4,9]' }, stateConfiguration: { mapItemReaderData: '[1,2,3]' } });
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: '[1,4,9]' });
    expect(ok.inspectionData).toMatchObject({ input, maxConcurrency: 1, toleratedFailureCount: 0 });
    expect(await send({ stateName: 'State0', definition: machine, input, mock: { result: '[]' }, stateConfiguration: { mapItemReaderData: '[1,2,3]', mapIterationFailureCount: 1 } })).toMatchObject({ status: 'FAILED', ...THRESHOLD });
    await refused({ stateName: 'State0', definition: machine, input, mock: { result: '[]' }, stateConfiguration: { mapItemReaderData: '[1,2,3]', mapIterationFailureCount: 4 } }, 'Map iteration failure count must be less than or equal to the number of Map iterations');
  });

  it("is refused when it is not what the reader reads, or the state has no ItemReader", async () => {
    await refused({ definition: readerMap({ InputType: 'JSON' }), mock: { result: '[]' }, stateConfiguration: { mapItemReaderData: '{"not":"an array"}' } }, /mapItemReaderData is not what the Map's ItemReader reads: Attempting to map over non-iterable node\./);
    await refused({ definition: distributedMap({}), mock: { result: '[]' }, stateConfiguration: { mapItemReaderData: '[1]' } }, /a Map state without ItemReader/);
  });
});
