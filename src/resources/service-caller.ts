import type { JsonValue } from '../asl/json-value.js';
import type { ParsedResource } from './resource-arn.js';
import type { TaskRequest } from './task-handlers.js';

/** A Task's call to another service, as the task runner hands it to a {@link ServiceCaller}. */
export interface ServiceRequest extends TaskRequest {
  /** The Resource ARN, split: kind, `resourceType` (`lambda`, `aws-sdk:s3`), `resource` (the action), pattern. */
  target: ParsedResource;
  /**
   * A `.sync` job has started: the start call's response, which AWS records as TaskSubmitted
   * while the task waits for the job to end (recorded against AWS: glue `startJobRun.sync`,
   * `TaskStarted`, `TaskSubmitted` with the StartJobRun response, then the job's end). Given only
   * for `.sync` and `.sync:2` resources; a caller that starts the job calls it once.
   */
  submitted?: (response: JsonValue) => void;
}

/**
 * The third way a Task is answered, after a registered handler and a mock: a call to the
 * service itself. `src/` only defines this seam; the implementations that reach the network
 * live in `adapters/` (e.g. `createAwsServiceCaller` in `adapters/aws-services/`).
 *
 * `call` resolves to the task result in the shape AWS gives it (for `lambda:invoke`, the
 * invoke response with `Payload`), or throws a `TaskFailure` with AWS's error name
 * (`Lambda.ServiceException`, `States.TaskFailed`, ...). For `.waitForTaskToken` its result
 * is ignored: the task ends when the token is answered. It resolves to `undefined` when it
 * does not serve this resource, so callers can be chained.
 */
export interface ServiceCaller {
  call(request: ServiceRequest): Promise<JsonValue | undefined>;
}

/** Asks each caller in turn; the first that serves the resource answers. */
export function chainServiceCallers(...callers: (ServiceCaller | undefined)[]): ServiceCaller | undefined {
  const present = callers.filter((c): c is ServiceCaller => c !== undefined);
  if (present.length <= 1) return present[0];
  return {
    async call(request) {
      for (const caller of present) {
        const result = await caller.call(request);
        if (result !== undefined) return result;
      }
      return undefined;
    },
  };
}
