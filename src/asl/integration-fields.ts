/**
 * Request fields an optimized integration sets itself: it refuses them in a definition's
 * Parameters or Arguments, and adds its own values to the request it sends (which
 * TaskScheduled's `parameters` record).
 *
 * `ecs:runTask.sync` starts one task and waits for it to stop: Step Functions runs a single task
 * and starts it with `StartedBy` "AWS Step Functions", the value its managed EventBridge rule
 * (StepFunctionsGetEventsForECSTaskRule) matches. Recorded against AWS (2026-09):
 * CreateStateMachine and ValidateStateMachineDefinition refuse `Count` (even 1), `Count.$`, a
 * JSONata `Count` and `StartedBy` with "The field 'Count' is not supported by Step Functions" at
 * the Parameters (or Arguments) object, while `ecs:runTask` and `ecs:runTask.waitForTaskToken`
 * take `Count` and add nothing; the `.sync` TaskScheduled's parameters end with
 * `"StartedBy":"AWS Step Functions"`.
 */
interface SetByStepFunctions {
  resource: RegExp;
  refused: readonly string[];
  added: Readonly<Record<string, string>>;
}

const SET_BY_STEP_FUNCTIONS: readonly SetByStepFunctions[] = [
  { resource: /^arn:[^:]+:states:[^:]*:[^:]*:ecs:runTask\.sync$/, refused: ['Count', 'StartedBy'], added: { StartedBy: 'AWS Step Functions' } },
];

const entryFor = (resource: string) => SET_BY_STEP_FUNCTIONS.find((e) => e.resource.test(resource));

/** The fields of `payload` (a Parameters or Arguments object) that `resource` refuses, named without `.$`, in the payload's order. */
export function refusedIntegrationFields(resource: string, payload: Record<string, unknown>): string[] {
  const refused = entryFor(resource)?.refused;
  if (!refused) return [];
  return Object.keys(payload).map((key) => (key.endsWith('.$') ? key.slice(0, -2) : key)).filter((name) => refused.includes(name));
}

/** The fields Step Functions adds to `resource`'s request, or undefined when it adds none. */
export function fieldsAddedByStepFunctions(resource: string): Readonly<Record<string, string>> | undefined {
  return entryFor(resource)?.added;
}
