import { describe, expect, it } from 'vitest';
import { createRuntime, toAwsHistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';

const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/stackd-sfn-ecs-9e022a1a43';
const GOOD = 'arn:aws:ecs:us-east-1:000000000000:task-definition/stackd-sfn-ecs-9e022a1a43-good:1';
const NETWORK = { AwsvpcConfiguration: { Subnets: ['subnet-07acfd804ed04876f'], SecurityGroups: ['sg-03d1424f404f2870f'], AssignPublicIp: 'ENABLED' } };

const ecsTask = (suffix: string, parameters: Record<string, JsonValue>): StateMachineDefinition => ({
  StartAt: 'Task', TimeoutSeconds: 240,
  States: { Task: { Type: 'Task', Resource: `arn:aws:states:::ecs:runTask${suffix}`, Parameters: parameters, TimeoutSeconds: 210, End: true } },
});

/** The handler's input and the TaskScheduled parameters of one run. */
async function scheduled(definition: StateMachineDefinition): Promise<{ sent: JsonValue; parameters: string }> {
  // The real clock: a virtual one would jump to the Task's timeout while the callback waits.
  const runtime = createRuntime();
  let sent: JsonValue = null;
  runtime.handle('arn:aws:states:::ecs:*', ({ input, taskToken }) => {
    sent = input;
    if (JSON.stringify(definition).includes('.waitForTaskToken')) setTimeout(() => runtime.sendTaskSuccess(taskToken, 'done'), 0);
    return { Tasks: [] };
  });
  const execution = runtime.startExecution({ definition });
  expect(await execution.done).toMatchObject({ status: 'SUCCEEDED' });
  const event = execution.events.map(toAwsHistoryEvent).find((e) => e.type === 'TaskScheduled') as unknown as { taskScheduledEventDetails: { parameters: string } };
  return { sent, parameters: event.taskScheduledEventDetails.parameters };
}

describe('ecs:runTask', () => {
  it('.sync sends StartedBy "AWS Step Functions" after the parameters, and records it in TaskScheduled', async () => {
    // Recorded against AWS (2026-09), execution sync-zero's TaskScheduled.
    const { sent, parameters } = await scheduled(ecsTask('.sync', { Cluster: CLUSTER, TaskDefinition: GOOD, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK }));
    expect(parameters).toBe('{"Cluster":"arn:aws:ecs:us-east-1:000000000000:cluster/stackd-sfn-ecs-9e022a1a43","TaskDefinition":"arn:aws:ecs:us-east-1:000000000000:task-definition/stackd-sfn-ecs-9e022a1a43-good:1","LaunchType":"FARGATE","NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["subnet-07acfd804ed04876f"],"SecurityGroups":["sg-03d1424f404f2870f"],"AssignPublicIp":"ENABLED"}},"StartedBy":"AWS Step Functions"}');
    expect(sent).toEqual(JSON.parse(parameters));
  });

  it('.sync adds StartedBy to JSONata Arguments too', async () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'Task', States: { Task: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Arguments: { Cluster: CLUSTER, TaskDefinition: GOOD }, End: true } } } as StateMachineDefinition;
    expect((await scheduled(definition)).parameters).toBe(JSON.stringify({ Cluster: CLUSTER, TaskDefinition: GOOD, StartedBy: 'AWS Step Functions' }));
  });

  it('request-response and .waitForTaskToken send the parameters as they are', async () => {
    // Recorded against AWS (2026-09), executions request-response-two and callback.
    const two = { Cluster: CLUSTER, TaskDefinition: GOOD, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK, Count: 2 };
    expect((await scheduled(ecsTask('', two))).parameters).toBe(JSON.stringify(two));
    const callback = { Cluster: CLUSTER, TaskDefinition: GOOD, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK };
    expect((await scheduled(ecsTask('.waitForTaskToken', callback))).parameters).toBe(JSON.stringify(callback));
  });
});

// Recorded against AWS (LocalStack's snapshot of test_variables_in_lambda_task[BASE_REFERENCE_IN_
// LAMBDA_TASK_FIELDS]): a Task with Credentials records the role it assumes, evaluated, as
// `taskCredentials` after the timeout and heartbeat.
describe('a Task with Credentials', () => {
  const LAMBDA = 'arn:aws:lambda:us-east-1:111111111111:function:fn';
  async function firstScheduled(definition: StateMachineDefinition, input: JsonValue) {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:states:::lambda:invoke', () => ({}));
    runtime.handle(LAMBDA, () => ({}));
    const execution = runtime.startExecution({ definition, input });
    expect((await execution.done).status).toBe('SUCCEEDED');
    return execution.events.map(toAwsHistoryEvent).find((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled') as unknown as Record<string, Record<string, unknown>>;
  }

  it('records taskCredentials with the evaluated role (JSONPath, an intrinsic over variables)', async () => {
    const definition = {
      StartAt: 'Vars',
      States: {
        Vars: { Type: 'Pass', Assign: { accountId: '111111111111', targetRole: 'CrossAccountRole' }, Next: 'Invoke' },
        Invoke: {
          Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: LAMBDA },
          Credentials: { 'RoleArn.$': "States.Format('arn:aws:iam::{}:role/{}', $accountId, $targetRole)" }, TimeoutSeconds: 300, HeartbeatSeconds: 60, End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const event = await firstScheduled(definition, {});
    expect(Object.keys(event.taskScheduledEventDetails!)).toEqual(['resourceType', 'resource', 'region', 'parameters', 'timeoutInSeconds', 'heartbeatInSeconds', 'taskCredentials']);
    expect(event.taskScheduledEventDetails!.taskCredentials).toEqual({ roleArn: 'arn:aws:iam::111111111111:role/CrossAccountRole' });
  });

  it('records it for JSONata and for a Lambda function ARN too, and records none without Credentials', async () => {
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: LAMBDA }, Credentials: { RoleArn: '{% $states.input.role %}' }, End: true } } } as unknown as StateMachineDefinition;
    expect((await firstScheduled(jsonata, { role: 'arn:aws:iam::111111111111:role/R' })).taskScheduledEventDetails!.taskCredentials).toEqual({ roleArn: 'arn:aws:iam::111111111111:role/R' });
    const legacy = { StartAt: 'T', States: { T: { Type: 'Task', Resource: LAMBDA, Credentials: { RoleArn: 'arn:aws:iam::111111111111:role/L' }, End: true } } } as unknown as StateMachineDefinition;
    expect((await firstScheduled(legacy, {})).lambdaFunctionScheduledEventDetails!.taskCredentials).toEqual({ roleArn: 'arn:aws:iam::111111111111:role/L' });
    const none = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: LAMBDA }, End: true } } } as unknown as StateMachineDefinition;
    expect((await firstScheduled(none, {})).taskScheduledEventDetails).not.toHaveProperty('taskCredentials');
  });
});
