import { describe, expect, it } from 'vitest';
import { ROLE, testStateServer } from './sfn-test-server.js';

const { send, refused } = testStateServer();

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const EXPRESS_ARN = /^arn:aws:states:us-east-1:123456789012:express:([^:]+):([^:]+)$/;

/** A lambda:invoke Task whose ResultSelector shows the context object next to the mocked result. */
const showContext = (path = '$$', resource = 'arn:aws:states:::lambda:invoke') => JSON.stringify({
  Type: 'Task', Resource: resource, Parameters: { FunctionName: 'f' }, ResultSelector: { 'context.$': path, 'result.$': '$' }, End: true,
});

describe('TestState context object without `context`', () => {
  it('is the synthetic one AWS shows: an Express execution, State.Name "StateName", RoleArn null without a role, no RedriveCount', async () => {
    const r = await send({
      definition: JSON.stringify({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.context %}', End: true }), input: '{"a":1}',
    });
    const ctx = JSON.parse(r.output!);
    expect(Object.keys(ctx)).toEqual(['Execution', 'StateMachine', 'State']);
    expect(Object.keys(ctx.Execution)).toEqual(['Id', 'Input', 'Name', 'RoleArn', 'StartTime']);
    const [, machine, execution] = EXPRESS_ARN.exec(ctx.Execution.Id)!;
    expect(ctx.Execution).toMatchObject({ Input: { a: 1 }, Name: execution, RoleArn: null, StartTime: expect.stringMatching(ISO) });
    expect(ctx.StateMachine).toEqual({ Id: `arn:aws:states:us-east-1:123456789012:stateMachine:${machine}`, Name: machine });
    // A Pass state never retries: no RetryCount (as AWS recorded for a state without Retry).
    expect(ctx.State).toEqual({ Name: 'StateName', EnteredTime: ctx.Execution.StartTime });
  });

  it('has the role, and RetryCount 0 for a state that can retry; a state inside a Map gets its first iteration', async () => {
    const task = await send({ definition: showContext(), roleArn: ROLE, input: '{}', mock: { result: '{"StatusCode":200}' } });
    const { context } = JSON.parse(task.output!);
    expect(context.Execution.RoleArn).toBe(ROLE);
    expect(context.State).toEqual({ Name: 'StateName', EnteredTime: expect.stringMatching(ISO), RetryCount: 0 });
    expect(context.Map).toBeUndefined();
    const machine = JSON.stringify({
      StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', Parameters: { 'item.$': '$$.Map.Item', 'state.$': '$$.State.Name' }, End: true } } } } },
    });
    const inner = await send({ definition: machine, stateName: 'Inner', input: '{"sku":"x"}' });
    // DG:test-state-isolation, "Automatic Context population": index 0, the input as the value.
    expect(JSON.parse(inner.output!)).toEqual({ item: { Index: 0, Value: { sku: 'x' } }, state: 'StateName' });
  });
});

describe('TestState `context`', () => {
  const full = {
    Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1', Input: { order: 7 }, Name: 'run-1', RoleArn: ROLE, StartTime: '2025-01-15T10:30:00.000Z' },
    State: { EnteredTime: '2025-01-15T10:30:01.500Z', Name: 'Charge', RetryCount: 2 },
    StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders', Name: 'Orders' },
  };

  it('is the context object the state sees, in JSONPath and JSONata, nothing added', async () => {
    const r = await send({ definition: showContext(), input: '{}', inspectionLevel: 'DEBUG', context: JSON.stringify(full), mock: { result: '{"StatusCode":200}' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output!)).toEqual({ context: full, result: { StatusCode: 200 } });
    expect(JSON.parse(r.inspectionData!.afterResultSelector!)).toEqual({ context: full, result: { StatusCode: 200 } });
    const input = await send({ definition: showContext('$$.Execution.Input.order'), input: '{}', context: JSON.stringify(full), mock: { result: '{}' } });
    expect(JSON.parse(input.output!).context).toBe(7);
    const jsonata = await send({
      definition: JSON.stringify({ Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f' }, Output: '{% $states.context.State %}', End: true }),
      context: JSON.stringify(full), mock: { result: '{}' },
    });
    expect(JSON.parse(jsonata.output!)).toEqual(full.State);
    for (const empty of [{}, { Execution: {}, State: {}, StateMachine: {} }]) {
      const e = await send({ definition: showContext(), context: JSON.stringify(empty), mock: { result: '{}' } });
      expect(JSON.parse(e.output!).context).toEqual(empty);
    }
  });

  it("gives an ARN without region or account the caller's, as AWS's recording shows", async () => {
    const bare = { Execution: { Id: 'arn:aws:states:::execution:Orders:run-1', RoleArn: 'arn:aws:iam:::role/Runner' }, StateMachine: { Id: 'arn:aws:states:::stateMachine:Orders' } };
    const r = await send({ definition: showContext(), context: JSON.stringify(bare), mock: { result: '{}' } });
    expect(JSON.parse(r.output!).context).toEqual({
      Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1', RoleArn: 'arn:aws:iam::123456789012:role/Runner' },
      StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders' },
    });
  });

  it('carries Task.Token for a .waitForTaskToken or .sync Task', async () => {
    const r = await send({
      definition: JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'TaskToken.$': '$$.Task.Token' } }, ResultPath: '$.SQS', Next: 'After' }),
      inspectionLevel: 'DEBUG', context: JSON.stringify({ ...full, Task: { Token: 'abcd123' } }), mock: { result: '{"done":true}' },
    });
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'After' });
    expect(JSON.parse(r.inspectionData!.afterParameters!)).toEqual({ QueueUrl: 'q', MessageBody: { TaskToken: 'abcd123' } });
    expect(JSON.parse(r.output!)).toEqual({ SQS: { done: true } });
  });

  it("is refused without a mock, and where AWS refuses its content", async () => {
    await refused({ definition: JSON.stringify({ Type: 'Pass', End: true }), context: '{}' }, 'context may only be specified if a mock is specified in the same request.');
    const withMock = (context: unknown, definition = showContext()) => ({ definition, context: typeof context === 'string' ? context : JSON.stringify(context), mock: { result: '{}' } });
    await refused(withMock({ Map: {} }), "Invalid Context object provided: 'Map' field is not supported when mocking a Context object");
    await refused(withMock({ Pokedex: {} }), "Invalid Context object provided: Field 'Pokedex' is not allowed");
    await refused(withMock({ Execution: { pokemon: 'squirtle' } }), "Invalid Context object provided: Field 'pokemon' is not allowed");
    await refused(withMock({ Execution: { Id: 1 } }), 'Invalid Context object provided: Execution.Id must be a string');
    await refused(withMock({ State: { RetryCount: 'one' } }), 'Invalid Context object provided: State.RetryCount must be an integer');
    await refused(withMock({ Task: { Token: 't' } }), "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern");
    await refused(withMock('{not json'), expect.stringMatching(/^Invalid Context object provided: it is not valid JSON/) as unknown as string);
    // The mock is refused first on a state that takes none.
    await refused(withMock(full, JSON.stringify({ Type: 'Pass', End: true })), "State type 'Pass' is not supported when a mock is specified");
  });
});
