import { describe, expect, it } from 'vitest';
import type { ExecutionMetadata } from '../../src/store/event-store.js';
import { applyExecutionEvent } from '../../ui/logic/execution-rows.js';
import { formatDuration, namesOfArn } from '../../ui/logic/format.js';
import { parseJsonInput } from '../../ui/logic/json-input.js';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:Orders:ord-1';

describe('the execution list, kept current by live events', () => {
  it('adds a started execution at the top, then takes its end from the event itself', () => {
    let rows: ExecutionMetadata[] = [];
    rows = applyExecutionEvent(rows, { executionArn: ARN, type: 'ExecutionStarted', timestamp: 1000 });
    expect(rows).toEqual([{ executionArn: ARN, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders', name: 'ord-1', status: 'RUNNING', startDate: 1000 }]);
    expect(applyExecutionEvent(rows, { executionArn: ARN, type: 'ExecutionStarted', timestamp: 1000 })).toBe(rows);
    rows = applyExecutionEvent(rows, { executionArn: ARN, type: 'ExecutionFailed', timestamp: 1500 });
    expect(rows[0]).toMatchObject({ status: 'FAILED', stopDate: 1500 });
    rows = applyExecutionEvent(rows, { executionArn: ARN, type: 'ExecutionRedriven', timestamp: 2000 });
    expect(rows[0]!.status).toBe('RUNNING');
    expect(rows[0]!.stopDate).toBeUndefined();
  });

  it('ignores events of executions it does not list', () => {
    const rows: ExecutionMetadata[] = [];
    expect(applyExecutionEvent(rows, { executionArn: ARN, type: 'ExecutionSucceeded', timestamp: 1 })).toBe(rows);
  });
});

describe('display helpers', () => {
  it('reads names out of an execution ARN, even with colons in the name', () => {
    expect(namesOfArn('arn:aws:states:eu-west-1:1:execution:M:a:b')).toEqual({ stateMachineName: 'M', name: 'a:b' });
  });

  it('formats durations for people', () => {
    expect([formatDuration(12), formatDuration(1500), formatDuration(125000), formatDuration(undefined)]).toEqual(['12 ms', '1.50 s', '2 min 5 s', '']);
  });

  it('checks an edited input as JSON and says why it is not', () => {
    expect(parseJsonInput('{ "amount": 50 }')).toEqual({ ok: true, value: { amount: 50 } });
    expect(parseJsonInput('  ')).toEqual({ ok: false, message: expect.stringContaining('empty') });
    const bad = parseJsonInput('{ "amount": 50,');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Not valid JSON: /);
  });
});
