import { StepwiseError } from '../errors/stepwise-error.js';
import { checkLocalStateMachineName, checkName, type NamedThing } from '../registry/names.js';

const FORBIDDEN = 'none of them white space, < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : / or a control character';

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
    throw new StepwiseError('InvalidName', `${flag} '${value}' is not a valid ${what} name: it takes 1 to 80 characters, ${FORBIDDEN}.`);
  }
}

/**
 * `run --state-machine-name` names the machine a mock config's test cases are filed under, so a
 * name longer than AWS's 80 characters is taken (the AWS-recorded conformance cases file their
 * mocks under longer ones); only what would break its ARN is refused.
 */
export function stateMachineNameFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return checkLocalStateMachineName(value);
  } catch {
    throw new StepwiseError('InvalidName', `--state-machine-name '${value}' is not a valid state machine name: it takes 1 or more characters, ${FORBIDDEN}.`);
  }
}
