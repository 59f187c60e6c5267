import { StatesErrors } from '../../src/errors/error-names.js';
import { TaskFailure } from '../../src/resources/task-handlers.js';

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
 * A failed SDK call as Step Functions reports it (DG:supported-services-awssdk): the error is
 * `<Service>.<ErrorName>` in PascalCase, always with the `Exception` suffix
 * (`Lambda.ResourceNotFoundException`, `S3.NoSuchKeyException`), and the cause is the
 * service's message with its status code, error code and request id. A call that never got
 * an answer (no endpoint listening, DNS, TLS) is `<Service>.SdkClientException`.
 */
export function serviceFailure(serviceId: string, e: unknown): TaskFailure {
  if (e instanceof TaskFailure) return e;
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  if (err.$fault === undefined || status === undefined) {
    return new TaskFailure(`${serviceId}.SdkClientException`, `Unable to execute HTTP request: ${err.message ?? String(e)}`);
  }
  const code = err.Code ?? err.name ?? 'Unknown';
  const name = code.endsWith('Exception') ? code : `${code}Exception`;
  const label = SERVICE_LABELS[serviceId] ?? serviceId;
  const cause = `${err.message ?? code} (Service: ${label}; Status Code: ${status}; Error Code: ${code}; Request ID: ${err.$metadata?.requestId ?? ''}; Proxy: null)`;
  return new TaskFailure(`${serviceId}.${name}`, cause);
}

/** A parameter the integration needs is missing or of the wrong type. */
export function badParameters(resource: string, why: string): TaskFailure {
  return new TaskFailure(StatesErrors.Runtime, `The parameters of '${resource}' are not valid: ${why}.`);
}
