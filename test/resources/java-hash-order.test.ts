import { describe, expect, it } from 'vitest';
import { javaHashMapJson, javaHashMapOrder } from '../../src/resources/java-hash-order.js';

describe('javaHashMapOrder (recorded against AWS (2026-09))', () => {
  it("orders an HTTP Task's response headers as AWS answered them, whatever order they came in", () => {
    const aws = ['Connection', 'x-amzn-RequestId', 'Content-Length', 'x-owned-response', 'Date', 'X-Amzn-Trace-Id', 'Content-Type'];
    expect(javaHashMapOrder([...aws].sort())).toEqual(aws);
    // A 204 has no Content-Length: the others keep their places.
    const noContent = ['Connection', 'x-amzn-RequestId', 'x-owned-response', 'Date', 'X-Amzn-Trace-Id', 'Content-Type'];
    expect(javaHashMapOrder([...noContent].reverse().sort())).toEqual(noContent);
  });

  it("orders an optimized integration's AllHttpHeaders as AWS answered them", () => {
    // lambda:invoke and sqs:sendMessage, recorded in us-west-2.
    const lambda = ['X-Amz-Executed-Version', 'x-amzn-Remapped-Content-Length', 'Connection', 'x-amzn-RequestId', 'Content-Length', 'Date', 'X-Amzn-Trace-Id', 'Content-Type'];
    expect(javaHashMapOrder([...lambda].sort())).toEqual(lambda);
    const sqs = ['x-amzn-RequestId', 'connection', 'Content-Length', 'Date', 'Content-Type'];
    expect(javaHashMapOrder([...sqs].reverse())).toEqual(sqs);
  });

  it('grows the table past 12 keys, as HashMap does', () => {
    const keys = Array.from({ length: 13 }, (_, i) => `k${i}`);
    expect(javaHashMapOrder(keys)).toHaveLength(13);
    expect(new Set(javaHashMapOrder(keys))).toEqual(new Set(keys));
  });

  it("javaHashMapJson quotes an HTTP Task's evaluated Parameters as AWS quoted them", () => {
    // Recorded against AWS (2026-09), in the cause of a task that could not be started.
    const parameters = { ApiEndpoint: 'https://e.example/echo', Method: 'POST', Authentication: { ConnectionArn: 'arn' }, Headers: { Authorization: 'x' }, QueryParameters: {}, RequestBody: {}, Transform: { RequestBodyEncoding: 'NONE' } };
    expect(javaHashMapJson(parameters)).toBe('{"Authentication":{"ConnectionArn":"arn"},"Headers":{"Authorization":"x"},"ApiEndpoint":"https://e.example/echo","Method":"POST","QueryParameters":{},"Transform":{"RequestBodyEncoding":"NONE"},"RequestBody":{}}');
    expect(javaHashMapJson([1, 'a"b', null, true])).toBe('[1,"a\\"b",null,true]');
  });
});
