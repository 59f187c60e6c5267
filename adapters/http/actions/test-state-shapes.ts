import { parseResource } from '../../../src/resources/resource-arn.js';

/**
 * The response shapes of the service integrations Stepwise answers itself, as their AWS API
 * models define them, with member names as Step Functions shows them (first letter upper case:
 * StartExecution's `executionArn` is `ExecutionArn` in a Task's result). TestState checks a
 * mocked result against them (API:MockInput fieldValidationMode). Only what the API reference
 * pages state is here: member types, required members, enum values, lengths and ranges.
 */
export type Shape =
  | { type: 'structure'; members: Record<string, Shape>; required?: readonly string[] }
  | { type: 'list'; member: Shape }
  | { type: 'map'; value: Shape }
  | { type: 'string'; min?: number; max?: number; enum?: readonly string[] }
  | { type: 'integer' | 'double'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | { type: 'blob'; min?: number; max?: number };

const string = (min?: number, max?: number): Shape => ({ type: 'string', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
const integer: Shape = { type: 'integer' };
const double: Shape = { type: 'double' };
const boolean: Shape = { type: 'boolean' };
const timestamp: Shape = { type: 'timestamp' };
const blob: Shape = { type: 'blob' };
const list = (member: Shape): Shape => ({ type: 'list', member });
const map = (value: Shape): Shape => ({ type: 'map', value });
const structure = (members: Record<string, Shape>, required?: readonly string[]): Shape => ({ type: 'structure', members, ...(required ? { required } : {}) });

/** API:Invoke (Lambda) response: none required; `Payload` is a blob, so JSON text in a mock. */
const LAMBDA_INVOKE = structure({
  StatusCode: integer,
  FunctionError: string(),
  LogResult: string(),
  Payload: blob,
  ExecutedVersion: string(1, 1024),
  DurableExecutionArn: string(1, 1024),
});

/** API:StartExecution response. */
const START_EXECUTION = structure({ ExecutionArn: string(1, 256), StartDate: timestamp }, ['ExecutionArn', 'StartDate']);

const EXECUTION_DATA_DETAILS = structure({ Included: boolean });

/** API:DescribeExecution response: what `.sync` and `.sync:2` poll (DG:test-state-isolation, "Testing Activity, .sync, and .waitForTaskToken states"). */
const DESCRIBE_EXECUTION = structure({
  ExecutionArn: string(1, 256),
  StateMachineArn: string(1, 256),
  Name: string(1, 80),
  Status: { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] },
  StartDate: timestamp,
  StopDate: timestamp,
  Input: string(undefined, 262144),
  InputDetails: EXECUTION_DATA_DETAILS,
  Output: string(undefined, 262144),
  OutputDetails: EXECUTION_DATA_DETAILS,
  TraceHeader: string(0, 256),
  MapRunArn: string(1, 2000),
  Error: string(0, 256),
  Cause: string(0, 32768),
  StateMachineVersionArn: string(1, 256),
  StateMachineAliasArn: string(1, 256),
  RedriveCount: integer,
  RedriveDate: timestamp,
  RedriveStatus: { type: 'string', enum: ['REDRIVABLE', 'NOT_REDRIVABLE', 'REDRIVABLE_BY_MAP_RUN'] },
  RedriveStatusReason: string(undefined, 262144),
}, ['ExecutionArn', 'StateMachineArn', 'Status', 'StartDate']);

/** API:SendMessage (SQS) response. */
const SQS_SEND_MESSAGE = structure({
  MD5OfMessageBody: string(),
  MD5OfMessageAttributes: string(),
  MD5OfMessageSystemAttributes: string(),
  MessageId: string(),
  SequenceNumber: string(),
});

/** API:Publish (SNS) response. */
const SNS_PUBLISH = structure({ MessageId: string(), SequenceNumber: string() });

/** API:AttributeValue (DynamoDB): one member per type; M and L nest. */
const ATTRIBUTE_VALUE: Shape = { type: 'structure', members: {} };
Object.assign((ATTRIBUTE_VALUE as { members: Record<string, Shape> }).members, {
  S: string(), N: string(), B: blob, SS: list(string()), NS: list(string()), BS: list(blob),
  M: map(ATTRIBUTE_VALUE), L: list(ATTRIBUTE_VALUE), NULL: boolean, BOOL: boolean,
});
const ITEM = map(ATTRIBUTE_VALUE);
const CAPACITY = structure({ ReadCapacityUnits: double, WriteCapacityUnits: double, CapacityUnits: double });
/** API:ConsumedCapacity (DynamoDB). */
const CONSUMED_CAPACITY = structure({
  TableName: string(1, 1024),
  CapacityUnits: double,
  ReadCapacityUnits: double,
  WriteCapacityUnits: double,
  Table: CAPACITY,
  LocalSecondaryIndexes: map(CAPACITY),
  GlobalSecondaryIndexes: map(CAPACITY),
});
const ITEM_COLLECTION_METRICS = structure({ ItemCollectionKey: ITEM, SizeEstimateRangeGB: list(double) });
/** API:PutItem, API:UpdateItem and API:DeleteItem (DynamoDB) responses. */
const DYNAMODB_WRITE = structure({ Attributes: ITEM, ConsumedCapacity: CONSUMED_CAPACITY, ItemCollectionMetrics: ITEM_COLLECTION_METRICS });
/** API:GetItem (DynamoDB) response. */
const DYNAMODB_GET_ITEM = structure({ Item: ITEM, ConsumedCapacity: CONSUMED_CAPACITY });

/** API:PutEvents (EventBridge) response. */
const EVENTS_PUT_EVENTS = structure({
  FailedEntryCount: integer,
  Entries: list(structure({ EventId: string(), ErrorCode: string(), ErrorMessage: string() })),
});

/** By `<service>:<action><pattern>` as the Task's `arn:aws:states:::` resource names it. */
const SHAPES: Record<string, Shape> = {
  'lambda:invoke': LAMBDA_INVOKE,
  'states:startExecution': START_EXECUTION,
  'states:startExecution.sync': DESCRIBE_EXECUTION,
  'states:startExecution.sync:2': DESCRIBE_EXECUTION,
  'sqs:sendMessage': SQS_SEND_MESSAGE,
  'sns:publish': SNS_PUBLISH,
  'dynamodb:getItem': DYNAMODB_GET_ITEM,
  'dynamodb:putItem': DYNAMODB_WRITE,
  'dynamodb:updateItem': DYNAMODB_WRITE,
  'dynamodb:deleteItem': DYNAMODB_WRITE,
  'events:putEvents': EVENTS_PUT_EVENTS,
};

/**
 * The shape a mocked result of this Task resource is checked against, or undefined: for an
 * integration Stepwise does not carry the API model of (`aws-sdk:*`, HTTP, other services), a
 * Lambda function ARN (its result is the function's own payload) or an activity, and for
 * `.waitForTaskToken`, whose result is whatever the callback sends.
 */
export function responseShapeOf(resource: string): Shape | undefined {
  const r = parseResource(resource);
  if (r.kind !== 'integration' || r.pattern === 'waitForTaskToken') return undefined;
  return SHAPES[`${r.resourceType}:${r.resource}`];
}
