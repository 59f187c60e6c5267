import { describe, expect, it } from 'vitest';
import { parseResource } from '../../src/resources/resource-arn.js';

describe('parseResource', () => {
  it('recognises a Lambda function ARN', () => {
    expect(parseResource('arn:aws:lambda:us-east-1:123456789012:function:f').kind).toBe('lambda-function');
  });
  it('splits optimized and SDK integrations into resourceType and resource', () => {
    expect(parseResource('arn:aws:states:::lambda:invoke')).toMatchObject({ kind: 'integration', resourceType: 'lambda', resource: 'invoke' });
    expect(parseResource('arn:aws:states:::sqs:sendMessage.waitForTaskToken')).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', pattern: 'waitForTaskToken' });
    expect(parseResource('arn:aws:states:::aws-sdk:s3:getObject')).toMatchObject({ resourceType: 'aws-sdk:s3', resource: 'getObject' });
    expect(parseResource('arn:aws:states:::states:startExecution.sync:2')).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync:2', pattern: 'sync:2' });
  });
  it('recognises an activity ARN', () => {
    expect(parseResource('arn:aws:states:us-east-1:123456789012:activity:work').kind).toBe('activity');
  });
});
