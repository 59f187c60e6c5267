import { describe, expect, it } from 'vitest';
import { createRuntime, validateDefinition, type StateMachineDefinition } from '../../../src/index.js';

describe('Wait timestamps AWS accepts, as localstack/localstack threads quote it', () => {
  it('accepts a Timestamp with nanoseconds and waits on it', async () => {
    // As AWS answered it, quoted in localstack/localstack#11997: this definition is valid.
    const definition: StateMachineDefinition = {
      StartAt: 'pass',
      States: {
        pass: { Type: 'Pass', Next: 'wait' },
        wait: { Type: 'Wait', Timestamp: '2024-12-05T21:29:29.243167252Z', Next: 'pass1' },
        pass1: { Type: 'Pass', Result: 1, End: true },
      },
    };
    expect(validateDefinition(definition)).toEqual([]);
    expect(await createRuntime({ clock: 'virtual' }).startExecution({ definition, input: {} }).done).toMatchObject({ status: 'SUCCEEDED', output: 1 });
  });

  it('reads a TimestampPath value with a +00:00 offset', async () => {
    // As AWS answered it, quoted in localstack/localstack#10523: the same machine and input work on AWS.
    const definition: StateMachineDefinition = {
      StartAt: 'Wait for Expiration Date',
      States: { 'Wait for Expiration Date': { Type: 'Wait', TimestampPath: '$.request.expirationDate', End: true } },
    };
    const input = { request: { expirationDate: '2024-03-15T23:27:00+00:00', startDate: '2024-03-12T00:00:00+00:00' } };
    expect(await createRuntime({ clock: 'virtual' }).startExecution({ definition, input }).done).toMatchObject({ status: 'SUCCEEDED', output: input });
  });
});
