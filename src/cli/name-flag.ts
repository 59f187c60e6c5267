import { StepwiseError } from '../errors/stepwise-error.js';
import { checkName, type NamedThing } from '../registry/names.js';

/**
 * `--name` and `--state-machine-name`, checked as StartExecution and CreateStateMachine check
 * them. Each becomes the last part of an ARN, so a ':', '/' or space in it made an ARN that the
 * HTTP API and the UI cannot parse back, and `--name ''` silently chose a random name.
 */
export function nameFlag(flag: string, value: string | undefined, what: NamedThing): string | undefined {
  if (value === undefined) return undefined;
  try {
    return checkName(value, what);
  } catch {
    throw new StepwiseError(
      'InvalidName',
      `${flag} '${value}' is not a valid ${what} name: it takes 1 to 80 characters, none of them white space, ` +
        '< > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : / or a control character.',
    );
  }
}
