import { describe, expect, it } from 'vitest';
import { fieldsAddedByStepFunctions, refusedIntegrationFields } from '../../src/asl/integration-fields.js';

describe('fields an integration sets itself', () => {
  it('are Count and StartedBy for ecs:runTask.sync, in the payload order, named without .$', () => {
    const sync = 'arn:aws:states:::ecs:runTask.sync';
    expect(refusedIntegrationFields(sync, { 'StartedBy.$': '$.by', Cluster: 'c', Count: 1 })).toEqual(['StartedBy', 'Count']);
    expect(refusedIntegrationFields('arn:aws:states:us-east-1:123456789012:ecs:runTask.sync', { Count: 1 })).toEqual(['Count']);
    expect(refusedIntegrationFields('arn:aws:states:::ecs:runTask', { Count: 2, StartedBy: 'me' })).toEqual([]);
    expect(refusedIntegrationFields('arn:aws:states:::ecs:runTask.waitForTaskToken', { Count: 2 })).toEqual([]);
  });

  it('are added to the .sync request only: StartedBy "AWS Step Functions" (recorded against AWS (2026-09))', () => {
    expect(fieldsAddedByStepFunctions('arn:aws:states:::ecs:runTask.sync')).toEqual({ StartedBy: 'AWS Step Functions' });
    expect(fieldsAddedByStepFunctions('arn:aws:states:::ecs:runTask')).toBeUndefined();
    expect(fieldsAddedByStepFunctions('arn:aws:states:::ecs:runTask.waitForTaskToken')).toBeUndefined();
    expect(fieldsAddedByStepFunctions('arn:aws:states:::lambda:invoke')).toBeUndefined();
  });
});
