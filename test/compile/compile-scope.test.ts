import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';

// Pass, Choice, Succeed and Fail run within the step that reaches them; the machine then moves
// straight to the next state that waits (a Task, a JSONata evaluation, a Map) or to its end.
describe('states without a lifecycle', () => {
  it('run in order between states that wait, whatever chain of them leads to the next one', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:double', ({ input }) => ({ n: (input as { n: number }).n * 2 }));
    const execution = runtime.startExecution({
      input: { n: 1 },
      definition: {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'Double' },
          Double: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:double', Next: 'Check' },
          Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 8, Next: 'Again' }], Default: 'Items' },
          Again: { Type: 'Pass', Next: 'Double' },
          Items: { Type: 'Pass', Parameters: { 'items.$': 'States.ArrayRange(1, 3, 1)' }, Next: 'Each' },
          Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Q' }, Q: { Type: 'Succeed' } } }, Next: 'Late' },
          Late: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $sum($states.input) %}', Next: 'End' },
          End: { Type: 'Succeed' },
        },
      },
    });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: 6 });
    const entered = execution.events.filter((e) => e.type.endsWith('StateEntered')).map((e) => (e.stateEnteredEventDetails as { name: string }).name);
    expect(entered).toEqual(['A', 'B', 'Double', 'Check', 'Again', 'Double', 'Check', 'Again', 'Double', 'Check', 'Items', 'Each', 'P', 'Q', 'P', 'Q', 'P', 'Q', 'Late', 'End']);
    expect(execution.events.map((e) => e.id)).toEqual(execution.events.map((_, i) => i + 1));
  });

  it('fail the scope from anywhere in a chain, as the state that failed', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const result = await runtime.run({
      input: {},
      definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', InputPath: '$.missing', Next: 'C' }, C: { Type: 'Succeed' } } },
    });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
    expect(result.cause).toContain("state 'B'");
  });
});
