import { describe, expect, it } from 'vitest';
import { createRuntime, type StateMachineDefinition } from '../../../src/index.js';

// Recorded against AWS (2026-09), us-west-2: an inline Map's context object has Map.Item.Index
// and Map.Item.Value but no Map.Item.Source.
const items = [{ value: 1, delay: 1 }, { value: 2, delay: 0 }, { value: 3, delay: 0 }];
const nestedMap = (selector: Record<string, string>): StateMachineDefinition => ({
  StartAt: 'Nested',
  States: {
    Nested: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'BranchDelay',
          States: {
            BranchDelay: { Type: 'Wait', Seconds: 1, Next: 'NestedMap' },
            NestedMap: {
              Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ItemSelector: selector,
              ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'ItemDelay', States: {
                ItemDelay: { Type: 'Wait', SecondsPath: '$.item.delay', Next: 'ItemTransform' },
                ItemTransform: { Type: 'Pass', Parameters: { 'index.$': '$.index', 'value.$': 'States.MathAdd($.item.value, 10)' }, Next: 'ItemDone' },
                ItemDone: { Type: 'Succeed' },
              } },
              End: true,
            },
          },
        },
        { StartAt: 'InnerFirst', States: { InnerFirst: { Type: 'Pass', Result: 'first', End: true } } },
      ],
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

describe("an inline Map's $$.Map.Item", () => {
  it('has Index and Value', async () => {
    const r = await createRuntime({ clock: 'virtual' }).startExecution({ definition: nestedMap({ 'index.$': '$$.Map.Item.Index', 'item.$': '$$.Map.Item.Value' }), input: { items } }).done;
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: [[{ index: 0, value: 11 }, { index: 1, value: 12 }, { index: 2, value: 13 }], 'first'] });
  });

  it('has no Source: reading it fails the execution with States.Runtime, showing the context object, and no ParallelStateFailed', async () => {
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition: nestedMap({ 'index.$': '$$.Map.Item.Index', 'source.$': '$$.Map.Item.Source' }), input: { items } });
    const r = await execution.done;
    expect(r.error).toBe('States.Runtime');
    const entered = execution.events.find((e) => e.type === 'MapStateEntered')!;
    expect(r.cause).toMatch(new RegExp(`^An error occurred while executing the state 'NestedMap' \\(entered at the event id #${entered.id}\\)\\. The JSONPath '\\$\\$\\.Map\\.Item\\.Source' specified for the field 'source\\.\\$' could not be found in the input '\\{"Execution":`));
    expect(r.cause).toContain('"State":{"Name":"NestedMap",');
    expect(r.cause).toMatch(/"Map":\{"Item":\{"Index":0,"Value":\{"value":1,"delay":1\}\}\}\}'$/);
    // AWS: MapStateStarted, then ExecutionFailed threaded on it.
    expect(execution.events.slice(-2).map((e) => [e.type, e.previousEventId])).toEqual([['MapStateStarted', entered.id], ['ExecutionFailed', entered.id + 1]]);
  });
});

describe('a Wait state whose SecondsPath selects a string of digits', () => {
  it('waits that many seconds, as AWS did for "1"', async () => {
    const definition = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.seconds', End: true } } } as StateMachineDefinition;
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: { seconds: '1' } });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { seconds: '1' } });
    const [entered, exited] = [execution.events[1]!, execution.events[2]!];
    expect(new Date(exited.timestamp as unknown as string | number | Date).getTime() - new Date(entered.timestamp as unknown as string | number | Date).getTime()).toBe(1000);
  });
});
