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

/** Guard that also works across duplicate copies of this package. */
export function isAslError(value: unknown): value is AslError {
  return typeof value === 'object' && value !== null && (value as { isAslError?: unknown }).isAslError === true;
}
