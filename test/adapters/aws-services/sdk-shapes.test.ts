import { NormalizedSchema } from '@smithy/core/schema';
import { describe, expect, it } from 'vitest';
import { javaServiceName, sdkActionFailure } from '../../../adapters/aws-services/aws-errors.js';
import { inputFromJson, instantText, javaMemberName, outputToJson, type ShapeSchema } from '../../../adapters/aws-services/sdk-shapes.js';

// Hand-written Smithy schemas in the SDK v3 form ([3 = structure, namespace, name, traits, member
// names, member schemas]; 0 string, 1 number, 2 boolean, 4 timestamp, 21 blob, 42 streaming blob,
// 64|x list of x, 128|x map to x), shaped like S3 and SQS operations.
const of = (schema: unknown) => NormalizedSchema.of(schema as never) as unknown as ShapeSchema;
const GetObjectOutput = of([3, 's3', 'GetObjectOutput', 0,
  ['Body', 'ServerSideEncryption', 'LastModified', 'ETag', 'Metadata', 'AcceptRanges', 'ContentLength'],
  [[42, { httpPayload: 1 }], 0, 4, 0, 128 | 0, 0, 1]]);
const PutObjectRequest = of([3, 's3', 'PutObjectRequest', 0, ['Bucket', 'Key', 'Body', 'Expires', 'ContentType'], [0, 0, [42, { httpPayload: 1 }], 4, [0, { httpHeader: 'Content-Type' }]]]);
const ListObjectsV2Request = of([3, 's3', 'ListObjectsV2Request', 0, ['Bucket', 'FetchOwner'], [0, 2]]);
const MessageAttributeValue = [3, 'sqs', 'MessageAttributeValue', 0, ['StringValue', 'BinaryValue', 'DataType'], [0, 21, 0]];
const Message = [3, 'sqs', 'Message', 0,
  ['MessageId', 'ReceiptHandle', 'MD5OfBody', 'Body', 'Attributes', 'MD5OfMessageAttributes', 'MessageAttributes'],
  [0, 0, 0, 0, 128 | 0, 0, [() => [2, 'sqs', 'Attrs', 0, 0, MessageAttributeValue], 0]]];
const ReceiveMessageResult = of([3, 'sqs', 'ReceiveMessageResult', 0, ['Messages'], [[() => [1, 'sqs', 'MessageList', 0, Message], 0]]]);
const SendMessageRequest = of([3, 'sqs', 'SendMessageRequest', 0, ['QueueUrl', 'MessageBody', 'MessageAttributes'],
  [0, 0, [() => [2, 'sqs', 'Attrs', 0, 0, MessageAttributeValue], 0]]]);

describe('aws-sdk:* results as Step Functions writes them (recorded against AWS (2026-09))', () => {
  it('names members as the Java SDK v2 does', () => {
    expect(javaMemberName('MD5OfMessageBody')).toBe('Md5OfMessageBody');
    expect(javaMemberName('MD5OfMessageAttributes')).toBe('Md5OfMessageAttributes');
    expect(javaMemberName('ETag')).toBe('ETag');
    expect(javaMemberName('ChecksumCRC32')).toBe('ChecksumCRC32');
    expect(javaMemberName('SSEKMSKeyId')).toBe('SsekmsKeyId');
  });

  it('writes timestamps as Java Instants: no fraction when there is none', () => {
    expect(instantText(new Date('2026-09-23T22:15:03.000Z'))).toBe('2026-09-23T22:15:03Z');
    expect(instantText(new Date('2026-09-23T22:15:03.250Z'))).toBe('2026-09-23T22:15:03.250Z');
  });

  it('s3:getObject: members in alphabetical order, the body as text after them, the metadata map as S3 sent it', () => {
    const output = outputToJson(
      { Body: {}, ServerSideEncryption: 'AES256', LastModified: new Date('2026-09-23T22:15:03Z'), ETag: '"c6ec"', Metadata: { 'mixed-key': 'MixedValue', 'a-key': 'x' }, AcceptRanges: 'bytes', ContentLength: 11 },
      GetObjectOutput,
      new Map([['Body', '"hello\\nπ"']]),
    );
    // AWS: {"AcceptRanges":"bytes","ContentLength":11,...,"LastModified":"2026-09-23T22:15:03Z","Metadata":{"mixed-key":"MixedValue"},"ServerSideEncryption":"AES256","Body":"\"hello\\nπ\""}
    expect(JSON.stringify(output)).toBe('{"AcceptRanges":"bytes","ContentLength":11,"ETag":"\\"c6ec\\"","LastModified":"2026-09-23T22:15:03Z","Metadata":{"mixed-key":"MixedValue","a-key":"x"},"ServerSideEncryption":"AES256","Body":"\\"hello\\\\nπ\\""}');
  });

  it('sqs:receiveMessage: Java names, binary attributes as base64, the Attributes map in the order SQS sent it', () => {
    const output = outputToJson({
      Messages: [{
        MessageId: 'm1', ReceiptHandle: 'r', MD5OfBody: 'ff0f', Body: 'sdk-message', MD5OfMessageAttributes: '1ee8',
        Attributes: { SenderId: 'AROA', ApproximateFirstReceiveTimestamp: '1790201716404', ApproximateReceiveCount: '1', SentTimestamp: '1790201716284' },
        MessageAttributes: { Binary: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255, 65, 66, 10]) }, Str: { DataType: 'String', StringValue: 'mixed' } },
      }],
    }, ReceiveMessageResult);
    expect(JSON.stringify(output)).toBe(
      '{"Messages":[{"Attributes":{"SenderId":"AROA","ApproximateFirstReceiveTimestamp":"1790201716404","ApproximateReceiveCount":"1","SentTimestamp":"1790201716284"},' +
      '"Body":"sdk-message","Md5OfBody":"ff0f","Md5OfMessageAttributes":"1ee8","MessageAttributes":{"Binary":{"BinaryValue":"AP9BQgo=","DataType":"Binary"},"Str":{"DataType":"String","StringValue":"mixed"}},' +
      '"MessageId":"m1","ReceiptHandle":"r"}]}',
    );
  });
});

describe('aws-sdk:* parameters as Step Functions sends them (recorded against AWS (2026-09))', () => {
  it('s3:putObject sends the JSON text of Body: a string with its quotes (11 bytes for "hello\\nπ"), null as null', () => {
    expect(inputFromJson({ Bucket: 'b', Key: 'text', Body: 'hello\nπ' }, PutObjectRequest)).toMatchObject({ Body: '"hello\\nπ"' });
    expect(Buffer.byteLength((inputFromJson({ Bucket: 'b', Key: 'k', Body: 'hello\nπ' }, PutObjectRequest) as { Body: string }).Body)).toBe(11);
    expect(inputFromJson({ Bucket: 'b', Key: 'k', Body: 'AP9BQgo=' }, PutObjectRequest)).toMatchObject({ Body: '"AP9BQgo="' });
    expect(inputFromJson({ Bucket: 'b', Key: 'k', Body: null }, PutObjectRequest)).toMatchObject({ Body: 'null' });
    expect(inputFromJson({ Bucket: 'b', Key: 'k', Body: { message: 'sdk-checksum-control' } }, PutObjectRequest)).toMatchObject({ Body: '{"message":"sdk-checksum-control"}' });
    expect((inputFromJson({ Bucket: 'b', Key: 'k', Expires: '2030-01-02T03:04:05Z' }, PutObjectRequest) as { Expires: Date }).Expires.toISOString()).toBe('2030-01-02T03:04:05.000Z');
  });

  it('s3:putObject sends its Body as text/plain; charset=UTF-8 unless ContentType is given', () => {
    // headObject of an object put with Body {"message":"sdk-checksum-control"} and no ContentType: "ContentType":"text/plain; charset=UTF-8", "ContentLength":34.
    expect(inputFromJson({ Bucket: 'b', Key: 'k', Body: { message: 'sdk-checksum-control' } }, PutObjectRequest)).toEqual({ Bucket: 'b', Key: 'k', Body: '{"message":"sdk-checksum-control"}', ContentType: 'text/plain; charset=UTF-8' });
    expect(inputFromJson({ Bucket: 'b', Key: 'k', Body: 'x', ContentType: 'application/json' }, PutObjectRequest)).toMatchObject({ ContentType: 'application/json' });
    expect(inputFromJson({ Bucket: 'b', Key: 'k' }, PutObjectRequest)).toEqual({ Bucket: 'b', Key: 'k' });
  });

  it('a binary SQS attribute is base64 text, decoded', () => {
    const input = inputFromJson({ QueueUrl: 'q', MessageBody: 'm', MessageAttributes: { Binary: { DataType: 'Binary', BinaryValue: 'AP9BQgo=' } } }, SendMessageRequest) as { MessageAttributes: { Binary: { BinaryValue: Uint8Array } } };
    expect([...input.MessageAttributes.Binary.BinaryValue]).toEqual([0, 255, 65, 66, 10]);
  });

  it('a boolean given as text or number is read as Jackson reads it (FetchOwner)', () => {
    const fetchOwner = (v: unknown) => (inputFromJson({ Bucket: 'b', FetchOwner: v as never }, ListObjectsV2Request) as { FetchOwner?: unknown }).FetchOwner;
    // Owner listed for true, "true", 1, -1, " TRUE "; not for "false", 0, "", "null".
    expect([true, 'true', 1, -1, ' TRUE '].map(fetchOwner)).toEqual([true, true, true, true, true]);
    expect(['false', 0].map(fetchOwner)).toEqual([false, false]);
    expect(['', 'null'].map(fetchOwner)).toEqual([undefined, undefined]);
  });
});

describe('aws-sdk:* errors (recorded against AWS (2026-09))', () => {
  it('names the service as the Java SDK v2 does', () => {
    expect(['SQS', 'S3', 'Lambda', 'DynamoDB', 'EC2', 'CloudWatchLogs', 'RDSData'].map(javaServiceName)).toEqual(['Sqs', 'S3', 'Lambda', 'DynamoDb', 'Ec2', 'CloudWatchLogs', 'RdsData']);
  });

  it('an error the model declares keeps its name; another is <Service>.<Service>Exception; the cause is in the SDK v2 form', () => {
    const sqs = sdkActionFailure('SQS', false, {
      name: 'InvalidParameterValue', $fault: 'client', message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      $metadata: { httpStatusCode: 400, requestId: '1cc84c1a-87ef-4604-a94d-8fb7f419657d' },
    });
    expect(sqs.error).toBe('Sqs.SqsException');
    expect(sqs.causeText).toBe('Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900. (Service: Sqs, Status Code: 400, Request ID: 1cc84c1a-87ef-4604-a94d-8fb7f419657d) (SDK Attempt Count: 1)');
    const s3 = sdkActionFailure('S3', true, {
      name: 'NoSuchKey', $fault: 'client', message: 'The specified key does not exist.',
      $metadata: { httpStatusCode: 404, requestId: '35P6VBTV74BX3X9G', extendedRequestId: '51rkmA7y=' },
    });
    expect(s3.error).toBe('S3.NoSuchKeyException');
    expect(s3.causeText).toBe('The specified key does not exist. (Service: S3, Status Code: 404, Request ID: 35P6VBTV74BX3X9G, Extended Request ID: 51rkmA7y=) (SDK Attempt Count: 1)');
  });
});
