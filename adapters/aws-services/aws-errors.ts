import { StatesErrors } from '../../src/errors/error-names.js';
import { javaSdkFailure, TaskFailure } from '../../src/resources/task-handlers.js';

/** How the services name themselves in the causes AWS records (from its Java SDK). */
const SERVICE_LABELS: Record<string, string> = {
  Lambda: 'AWSLambda', SQS: 'AmazonSQS', SNS: 'AmazonSNS', DynamoDB: 'AmazonDynamoDBv2', EventBridge: 'AmazonEventBridge',
};

interface SdkError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  Code?: string;
}

/**
 * The AWS SDK for Java v1's exception class for a service's errors its model does not declare:
 * an optimized integration reports such an error under that name (recorded against AWS by
 * LocalStack's snapshots: `SQS.AmazonSQSException` for MissingParameter,
 * `DynamoDB.AmazonDynamoDBException` for ValidationException).
 */
const UNMODELED_ERRORS: Record<string, string> = {
  Lambda: 'AWSLambdaException', SQS: 'AmazonSQSException', SNS: 'AmazonSNSException', DynamoDB: 'AmazonDynamoDBException', EventBridge: 'AmazonEventBridgeException',
};

/**
 * A failed SDK call as Step Functions reports it (DG:supported-services-awssdk): the error is
 * `<Service>.<ErrorName>` in PascalCase, always with the `Exception` suffix
 * (`Lambda.ResourceNotFoundException`, `S3.NoSuchKeyException`), or the service's generic
 * exception for an error the SDK's model does not declare (`modeled` false), and the cause is
 * the service's message with its status code, error code and request id. A call that never got
 * an answer (no endpoint listening, DNS, TLS) is `<Service>.SdkClientException`.
 */
export function serviceFailure(serviceId: string, e: unknown, modeled = true): TaskFailure {
  if (e instanceof TaskFailure) return e;
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  if (err.$fault === undefined || status === undefined) {
    return new TaskFailure(`${serviceId}.SdkClientException`, `Unable to execute HTTP request: ${err.message ?? String(e)}`);
  }
  const code = err.Code ?? err.name ?? 'Unknown';
  const generic = modeled ? undefined : UNMODELED_ERRORS[serviceId];
  return javaSdkFailure(serviceId, SERVICE_LABELS[serviceId] ?? serviceId, status, code, err.message ?? code, err.$metadata?.requestId ?? '', generic);
}

/** A parameter the integration needs is missing or of the wrong type. */
export function badParameters(resource: string, why: string): TaskFailure {
  return new TaskFailure(StatesErrors.Runtime, `The parameters of '${resource}' are not valid: ${why}.`);
}

/**
 * The service's name as the AWS SDK for Java v2 writes it, which `aws-sdk:*` Tasks use in their
 * errors and causes (recorded against AWS (2026-09): `Sqs.SqsException`, `(Service: Sqs, ...)`,
 * `S3.NoSuchKeyException`): each word of the SDK client's name with only its first letter in
 * upper case (`SQS` → `Sqs`, `DynamoDB` → `DynamoDb`, `EC2` → `Ec2`, `S3` → `S3`).
 */
export function javaServiceName(clientName: string): string {
  const words = clientName.match(/[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? [clientName];
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
}

/**
 * A failed `aws-sdk:<service>:<action>` call as recorded against AWS (2026-09): an error the
 * service's model declares is `<Service>.<Name>Exception` (`S3.NoSuchKeyException`), any other
 * `<Service>.<Service>Exception` (`Sqs.SqsException` for SQS's InvalidParameterValue); the cause
 * is the message in the Java SDK v2's form:
 * `<message> (Service: Sqs, Status Code: 400, Request ID: <id>) (SDK Attempt Count: 1)`, with
 * `, Extended Request ID: <id>` after the request id when the service sends one (S3).
 */
export function sdkActionFailure(clientName: string, modeled: boolean, e: unknown): TaskFailure {
  if (e instanceof TaskFailure) return e;
  const service = javaServiceName(clientName);
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as SdkError & { $metadata?: { extendedRequestId?: string } };
  const status = err.$metadata?.httpStatusCode;
  if (err.$fault === undefined || status === undefined) {
    return new TaskFailure(`${service}.SdkClientException`, `Unable to execute HTTP request: ${err.message ?? String(e)}`);
  }
  const code = err.Code ?? err.name ?? 'Unknown';
  const name = modeled ? (code.endsWith('Exception') ? code : `${code}Exception`) : `${service}Exception`;
  const extended = err.$metadata?.extendedRequestId ? `, Extended Request ID: ${err.$metadata.extendedRequestId}` : '';
  const cause = `${err.message ?? code} (Service: ${service}, Status Code: ${status}, Request ID: ${err.$metadata?.requestId ?? ''}${extended}) (SDK Attempt Count: 1)`;
  return new TaskFailure(`${service}.${name}`, cause);
}
