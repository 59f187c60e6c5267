/**
 * Errors of the Stepwise engine itself (bad usage, bad files), as opposed to ASL failures
 * that happen inside an execution. Each says what went wrong, where, and why.
 */
export type StepwiseErrorCode =
  | 'InvalidDefinition'
  | 'InvalidInput'
  | 'InvalidMockConfig'
  | 'InvalidArgument'
  | 'ExecutionDoesNotExist'
  | 'ExecutionAlreadyExists'
  | 'TaskDoesNotExist'
  | 'ExecutionLeaseLost'
  | 'RuntimeClosed'
  | 'ActivityDoesNotExist'
  | 'StoreConflict'
  | 'StoreCorrupted'
  | 'StoreUnavailable'
  | 'StoreAppendTooLarge'
  // The Step Functions API's own error names (the HTTP endpoint returns them as they are).
  | 'InvalidName'
  | 'InvalidArn'
  | 'InvalidToken'
  | 'TaskTimedOut'
  | 'InvalidExecutionInput'
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'StateMachineTypeNotSupported'
  | 'ExecutionNotRedrivable'
  | 'ResourceNotFound'
  | 'ConflictException'
  | 'ValidationException'
  | 'TooManyTags'
  | 'MissingRequiredParameter'
  | 'InvalidLoggingConfiguration'
  | 'InvalidTracingConfiguration'
  | 'InvalidEncryptionConfiguration'
  | 'ActivityAlreadyExists'
  | 'StateMachineDeleting';

export class StepwiseError extends Error {
  readonly isStepwiseError = true;
  constructor(
    readonly code: StepwiseErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = code;
  }
}

export function isStepwiseError(value: unknown): value is StepwiseError {
  return typeof value === 'object' && value !== null && (value as { isStepwiseError?: unknown }).isStepwiseError === true;
}
