import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeActivityCommand, DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand,
  DescribeExecutionCommand, StartExecutionCommand, StartSyncExecutionCommand, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorName, startTestServer, type TestServer } from './sfn-test-server.js';

/**
 * encryptionConfiguration of state machines and activities, as recorded against AWS (2026-09,
 * us-west-2: radkawar/stackd testdata/aws/stepfunctions/encryption_admission.json and
 * create_identity.json). The server runs in the recorded region and account so that the
 * answers can be compared as they are. KMS itself is out of reach: whether a key exists, is
 * enabled or symmetric is not checked.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ region: 'us-west-2', accountId: '000000000000' });
});
afterAll(() => t.close());

const ROLE = 'arn:aws:iam::000000000000:role/sd-sfn-encadm-ff7754a028-execution';
const DEFINITION = '{"StartAt":"Synthetic","States":{"Synthetic":{"Type":"Pass","Result":{"probe":"admission-old"},"End":true}}}';
const KEY_ID = '3bdd536d-bb54-4488-b0fd-0c25e1cb1ddb';
const KEY_ARN = `arn:aws:kms:us-west-2:000000000000:key/${KEY_ID}`;
const OTHER_KEY_ARN = 'arn:aws:kms:us-west-2:000000000000:key/8eb36ea8-9bf0-4f43-8625-4613774043b9';
const CUSTOMER = (reuse = 300) => ({ kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: reuse, type: 'CUSTOMER_MANAGED_KMS_KEY' });

function machine(name: string, encryptionConfiguration?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return new CreateStateMachineCommand({ name, definition: DEFINITION, roleArn: ROLE, type: 'STANDARD', ...(encryptionConfiguration ? { encryptionConfiguration } : {}), ...extra } as never);
}

function activity(name: string, encryptionConfiguration?: Record<string, unknown>) {
  return new CreateActivityCommand({ name, ...(encryptionConfiguration ? { encryptionConfiguration } : {}) } as never);
}

describe('encryptionConfiguration, as recorded against AWS (2026-09)', () => {
  it('describes none given as AWS_OWNED_KEY, for state machines and activities', async () => {
    const { stateMachineArn } = await t.client.send(machine('plain-standard'));
    const described = await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
    expect(described.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
    expect(described.tracingConfiguration).toEqual({ enabled: false });
    const { activityArn } = await t.client.send(activity('plain-activity'));
    expect((await t.client.send(new DescribeActivityCommand({ activityArn }))).encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
  });

  it('describes a key ID as its key ARN, with the default reuse period of 300 seconds', async () => {
    const { stateMachineArn } = await t.client.send(machine('standard-id', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(CUSTOMER());
    const { activityArn } = await t.client.send(activity('activity-id', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }));
    expect((await t.client.send(new DescribeActivityCommand({ activityArn }))).encryptionConfiguration).toEqual(CUSTOMER());
    const { stateMachineArn: reuse60 } = await t.client.send(machine('standard-reuse60', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: reuse60 }))).encryptionConfiguration).toEqual(CUSTOMER(60));
    const { activityArn: reuse900 } = await t.client.send(activity('activity-reuse900', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 900 }));
    expect((await t.client.send(new DescribeActivityCommand({ activityArn: reuse900 }))).encryptionConfiguration).toEqual(CUSTOMER(900));
  });

  it('repeats a creation with the same key (ID or ARN, reuse period omitted or 300), and refuses another key, period or type', async () => {
    const first = await t.client.send(machine('idem-standard', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }, { publish: true }));
    for (const same of [{ kmsKeyId: KEY_ARN }, { kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 }]) {
      const again = await t.client.send(machine('idem-standard', { type: 'CUSTOMER_MANAGED_KMS_KEY', ...same }, { publish: true }));
      expect(again).toMatchObject({ stateMachineArn: first.stateMachineArn, creationDate: first.creationDate, stateMachineVersionArn: `${first.stateMachineArn}:1` });
    }
    const exists = { name: 'StateMachineAlreadyExists', message: "State Machine Already Exists: 'arn:aws:states:us-west-2:000000000000:stateMachine:idem-standard'" };
    for (const other of [{ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }, { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: OTHER_KEY_ARN }, { type: 'AWS_OWNED_KEY' }, undefined]) {
      await expect(t.client.send(machine('idem-standard', other, { publish: true }))).rejects.toMatchObject(exists);
    }

    const created = await t.client.send(activity('idem-activity', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }));
    expect(await t.client.send(activity('idem-activity', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 }))).toMatchObject({ activityArn: created.activityArn, creationDate: created.creationDate });
    const activityExists = { name: 'ActivityAlreadyExists', message: "Activity Already Exists: 'arn:aws:states:us-west-2:000000000000:activity:idem-activity'" };
    for (const other of [{ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }, { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: OTHER_KEY_ARN }, { type: 'AWS_OWNED_KEY' }, undefined]) {
      await expect(t.client.send(activity('idem-activity', other))).rejects.toMatchObject(activityExists);
    }
  });

  it('refuses what AWS refuses before asking KMS, in its words', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ type: 'CUSTOMER_MANAGED_KMS_KEY' }, 'InvalidEncryptionConfiguration', 'Invalid Encryption Configuration: Must set a valid kmsKeyId.'],
      [{ type: 'AWS_OWNED_KEY', kmsKeyId: KEY_ARN }, 'InvalidEncryptionConfiguration', 'Invalid Encryption Configuration: Custom kmsKeyId is not allowed when selecting AWS_OWNED_KEY.'],
      [{ type: 'AWS_OWNED_KEY', kmsDataKeyReusePeriodSeconds: 300 }, 'InvalidEncryptionConfiguration', 'Invalid Encryption Configuration: Custom kmsDataKeyReusePeriodSeconds is not allowed when selecting AWS_OWNED_KEY.'],
      [{ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 901 }, 'ValidationException', "1 validation error detected: Value '901' at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"],
      [{ type: 'SYNTHETIC_UNKNOWN' }, 'ValidationException', "1 validation error detected: Value 'SYNTHETIC_UNKNOWN' at 'encryptionConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [AWS_OWNED_KEY, CUSTOMER_MANAGED_KMS_KEY]"],
    ];
    for (const [configuration, name, message] of cases) {
      await expect(t.client.send(machine('refused', configuration))).rejects.toMatchObject({ name, message });
      await expect(t.client.send(machine('refused-express', configuration, { type: 'EXPRESS' }))).rejects.toMatchObject({ name, message });
      await expect(t.client.send(activity('refused', configuration))).rejects.toMatchObject({ name, message });
    }
    // KMS's own refusal of a key ARN of another Region, passed on (its request ID differs each time).
    await expect(t.client.send(activity('wrongregion', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: `arn:aws:kms:us-east-1:000000000000:key/${KEY_ID}` }))).rejects.toMatchObject({
      name: 'InvalidEncryptionConfiguration', message: expect.stringMatching(/^Invalid arn us-east-1 \(Service: Kms, Status Code: 400, Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$/),
    });
  });

  it('keeps the configuration through updates that leave it out, and resets an omitted reuse period to 300', async () => {
    const { stateMachineArn } = await t.client.send(machine('transition', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: OTHER_KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }));
    const changed = DEFINITION.replace('admission-old', 'admission-new');
    await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: changed }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual({ kmsKeyId: OTHER_KEY_ARN, kmsDataKeyReusePeriodSeconds: 60, type: 'CUSTOMER_MANAGED_KMS_KEY' });
    await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: DEFINITION, encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: OTHER_KEY_ARN } }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual({ kmsKeyId: OTHER_KEY_ARN, kmsDataKeyReusePeriodSeconds: 300, type: 'CUSTOMER_MANAGED_KMS_KEY' });
    await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: changed, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
  });

  it('refuses a new encryption configuration without the definition to encrypt', async () => {
    const { stateMachineArn } = await t.client.send(machine('standard-arn', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN }));
    const missing = { name: 'MissingRequiredParameter', message: 'The definition must be specified when updating the EncryptionConfiguration' };
    for (const encryptionConfiguration of [{ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 }, { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN }, { type: 'AWS_OWNED_KEY' }]) {
      await expect(t.client.send(new UpdateStateMachineCommand({ stateMachineArn, encryptionConfiguration } as never))).rejects.toMatchObject(missing);
    }
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(CUSTOMER());
  });

  it('shows each version and each execution with the key of its own revision', async () => {
    const { stateMachineArn, stateMachineVersionArn: v1 } = await t.client.send(machine('retained', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ID }, { publish: true }));
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'retained-old' }));
    const changed = DEFINITION.replace('admission-old', 'admission-new');
    const { stateMachineVersionArn: v2 } = await t.client.send(new UpdateStateMachineCommand({
      stateMachineArn, definition: changed, publish: true, encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: OTHER_KEY_ARN, kmsDataKeyReusePeriodSeconds: 60 },
    }));
    const newKey = { kmsKeyId: OTHER_KEY_ARN, kmsDataKeyReusePeriodSeconds: 60, type: 'CUSTOMER_MANAGED_KMS_KEY' };
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn, includedData: 'ALL_DATA' }))).encryptionConfiguration).toEqual(newKey);
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: v1 }))).encryptionConfiguration).toEqual(CUSTOMER());
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: v2 }))).encryptionConfiguration).toEqual(newKey);
    const ran = await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn, includedData: 'ALL_DATA' }));
    expect(ran).toMatchObject({ definition: DEFINITION, encryptionConfiguration: CUSTOMER(), tracingConfiguration: { enabled: false }, loggingConfiguration: { level: 'OFF', includeExecutionData: false } });
  });

  it('answers includedData METADATA_ONLY with the definition `{}`', async () => {
    const { stateMachineArn } = await t.client.send(machine('metadata-only', { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY_ARN }));
    const described = await t.client.send(new DescribeStateMachineCommand({ stateMachineArn, includedData: 'METADATA_ONLY' }));
    expect(described).toMatchObject({ definition: '{}', encryptionConfiguration: CUSTOMER() });
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn }));
    expect((await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }))).definition).toBe('{}');
    // An AWS owned key's state machine too (the follow-up's reset machine, described METADATA_ONLY).
    const { stateMachineArn: owned } = await t.client.send(machine('metadata-only-owned', undefined, { type: 'EXPRESS' }));
    expect(await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: owned, includedData: 'METADATA_ONLY' }))).toMatchObject({ definition: '{}', encryptionConfiguration: { type: 'AWS_OWNED_KEY' } });
  });

  it('refuses an includedData that is neither ALL_DATA nor METADATA_ONLY on every action that takes it', async () => {
    const { stateMachineArn } = await t.client.send(machine('bogus-included', undefined, { type: 'EXPRESS' }));
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn }));
    const bogus = 'BOGUS' as 'ALL_DATA';
    for (const command of [
      new DescribeStateMachineCommand({ stateMachineArn, includedData: bogus }),
      new DescribeExecutionCommand({ executionArn, includedData: bogus }),
      new DescribeStateMachineForExecutionCommand({ executionArn, includedData: bogus }),
      new StartSyncExecutionCommand({ stateMachineArn, includedData: bogus }),
    ]) {
      expect(await errorName(t.client.send(command as never))).toBe('ValidationException');
    }
  });
});
