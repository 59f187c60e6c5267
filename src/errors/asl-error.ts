import { StatesErrors } from './error-names.js';

/**
 * An ASL failure: what a state raises and what Retry/Catch match on.
 * `error` is the ASL error name (e.g. `States.Runtime`), `cause` the human text AWS shows.
 * Inside an execution errors travel as data ({ Error, Cause }); this class is the typed edge.
 */
export class AslError extends Error {
  readonly isAslError = true;
  constructor(
    readonly error: string,
    readonly causeText: string | undefined,
    /**
     * The cause is whole as AWS words it: a state's failure shows it without the "An error
     * occurred while executing the state …" prefix other errors raised in a state get.
     */
    readonly causeIsWhole = false,
  ) {
    super(causeText ?? error);
    this.name = 'AslError';
  }
}

/**
 * A field whose expression evaluated, but to a value the field cannot take (a JSONata Wait's
 * Timestamp that is no timestamp): States.QueryEvaluationError, which AWS records after the
 * state's entered event, with the field as its EvaluationFailed location.
 */
export class FieldValueError extends AslError {
  constructor(
    causeText: string,
    readonly field: string,
  ) {
    super(StatesErrors.QueryEvaluationError, causeText);
  }
}

/** Guard that also works across duplicate copies of this package. */
export function isAslError(value: unknown): value is AslError {
  return typeof value === 'object' && value !== null && (value as { isAslError?: unknown }).isAslError === true;
}
