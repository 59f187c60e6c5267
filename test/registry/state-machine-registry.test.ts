import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkName, parseStateMachineArn, parseStatesArn, statesArn } from '../../src/registry/names.js';
import { jsonFileRegistryPersistence, memoryRegistryPersistence } from '../../src/registry/registry-persistence.js';
import { StateMachineRegistry } from '../../src/registry/state-machine-registry.js';

const ROLE = 'arn:aws:iam::123456789012:role/R';
const DEF = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } });
const registry = () => new StateMachineRegistry(memoryRegistryPersistence(), { region: 'eu-west-1', accountId: '111122223333' });

describe('names and ARNs', () => {
  it('accepts AWS names and rejects what AWS rejects', () => {
    expect(checkName('order-pipeline_v2.1', 'state machine')).toBe('order-pipeline_v2.1');
    for (const bad of ['', 'a b', 'a:b', 'a/b', 'a#b', 'a*', 'tab\there', 'ctl\u0001']) {
      expect(() => checkName(bad, 'execution'), bad).toThrow(expect.objectContaining({ code: 'InvalidName' }));
    }
    // Longer than 80 characters fails the request's shape first, even with characters AWS refuses.
    for (const what of ['execution', 'state machine', 'activity'] as const) {
      expect(() => checkName(`${'x'.repeat(80)} `, what)).toThrow(expect.objectContaining({
        code: 'ValidationException', message: `1 validation error detected: Value '${'x'.repeat(80)} ' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
      }));
    }
    expect(checkName('x'.repeat(80), 'execution')).toBe('x'.repeat(80));
    expect(() => checkName('a b', 'activity')).toThrow(expect.objectContaining({ code: 'InvalidName', message: "Invalid Name: 'a b'" }));
    // Alias names fail the API's input validation, as AWS's do.
    expect(() => checkName('42', 'alias')).toThrow(expect.objectContaining({
      code: 'ValidationException',
      message: "1 validation error detected: Value '42' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
    }));
    expect(() => checkName('A'.repeat(81), 'alias')).toThrow(expect.objectContaining({ code: 'ValidationException', message: expect.stringContaining('Member must have length less than or equal to 80') }));
  });

  it('parses state machine, version and alias ARNs and says what is wrong with others', () => {
    expect(parseStateMachineArn('arn:aws:states:us-east-1:123456789012:stateMachine:M:3')).toMatchObject({ name: 'M', qualifier: { version: 3 } });
    expect(parseStateMachineArn('arn:aws:states:us-east-1:123456789012:stateMachine:M:prod')).toMatchObject({ qualifier: { alias: 'prod' } });
    expect(() => parseStatesArn('arn:aws:states:us-east-1:123456789012:execution:M:e', ['stateMachine'])).toThrow(/Resource type not valid in this context: execution/);
    expect(() => parseStatesArn('arn:aws:states:us-east-1:12345:stateMachine:M', ['stateMachine'])).toThrow(expect.objectContaining({ code: 'InvalidArn' }));
  });

  it('spells every ARN it makes so that parsing it gives the parts back', () => {
    const place = { region: 'eu-west-1', accountId: '111122223333' };
    expect(statesArn(place, 'stateMachine', 'M')).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:M');
    expect(statesArn({ ...place, partition: 'aws-cn' }, 'activity', 'A')).toBe('arn:aws-cn:states:eu-west-1:111122223333:activity:A');
    expect(statesArn(place, 'execution', 'M', '')).toBe('arn:aws:states:eu-west-1:111122223333:execution:M:');
    expect(parseStatesArn(statesArn(place, 'execution', 'M', 'run-1'), ['execution'])).toEqual({
      partition: 'aws', region: 'eu-west-1', account: '111122223333', resourceType: 'execution', parts: ['M', 'run-1'],
    });
    expect(registry().arnFor('M')).toBe(statesArn(place, 'stateMachine', 'M'));
  });
});

describe('StateMachineRegistry', () => {
  it('resolves state machines, versions and weighted aliases', async () => {
    const r = registry();
    const { stateMachineArn } = await r.create({ name: 'M', definition: DEF, roleArn: ROLE, type: 'EXPRESS', publish: true });
    expect(stateMachineArn).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:M');
    const v2 = JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } });
    await r.update(stateMachineArn, { definition: v2, publish: true });
    await r.createAlias({ name: 'split', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 30 }, { stateMachineVersionArn: `${stateMachineArn}:2`, weight: 70 }] });
    // The revision each resolves to (DescribeStateMachineForExecution), with its own settings: the creation's has no revisionId.
    const settings = { loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: false }, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } };
    expect(await r.resolve(stateMachineArn)).toEqual({ stateMachineArn, name: 'M', definition: v2, type: 'EXPRESS', roleArn: ROLE, revision: { updateDate: expect.any(Number), revisionId: expect.any(String), ...settings } });
    expect((await r.resolve(`${stateMachineArn}:1`))!.revision).toEqual({ updateDate: (await r.describe(stateMachineArn)).creationDate, ...settings });
    expect((await r.resolve(`${stateMachineArn}:2`))!.revision).toEqual((await r.resolve(stateMachineArn))!.revision);
    expect((await r.resolve(`${stateMachineArn}:split`, () => 0.1))!.definition).toBe(DEF);
    expect((await r.resolve(`${stateMachineArn}:split`, () => 0.9))).toMatchObject({ definition: v2, stateMachineAliasArn: `${stateMachineArn}:split`, stateMachineVersionArn: `${stateMachineArn}:2` });
    expect(await r.resolve(`${stateMachineArn}:7`)).toBeUndefined();
    expect(await r.resolve('not an arn')).toBeUndefined();
  });

  it('survives a new registry on the same file, and refuses a corrupt one naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepwise-registry-'));
    try {
      const path = join(dir, 'state-machines.json');
      const place = { region: 'us-east-1', accountId: '123456789012' };
      await new StateMachineRegistry(jsonFileRegistryPersistence(path), place).create({ name: 'Kept', definition: DEF, roleArn: ROLE });
      expect((await new StateMachineRegistry(jsonFileRegistryPersistence(path), place).list()).items.map((s) => s.name)).toEqual(['Kept']);
      await writeFile(path, '{"format":1,"stateMa');
      await expect(new StateMachineRegistry(jsonFileRegistryPersistence(path), place).list()).rejects.toMatchObject({ code: 'StoreCorrupted', message: expect.stringContaining(path) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a state machine being deleted', () => {
  it('is DELETING while executions run, its Distributed Map children\'s `<name>/<label>` with it, and goes once they have ended', async () => {
    let running = true;
    const r = new StateMachineRegistry(memoryRegistryPersistence(), { region: 'eu-west-1', accountId: '111122223333' }, Date.now, async () => running);
    const { stateMachineArn } = await r.create({ name: 'Doomed', definition: DEF, roleArn: ROLE });
    const { stateMachineArn: other } = await r.create({ name: 'Kept', definition: DEF, roleArn: ROLE });
    expect(r.isDeleting(stateMachineArn)).toBe(false);
    await r.delete(stateMachineArn);
    expect(r.isDeleting(stateMachineArn)).toBe(true);
    expect(r.isDeleting(`${stateMachineArn}/Fan`)).toBe(true);
    expect(r.isDeleting(other)).toBe(false);
    expect(r.isDeleting('not an ARN')).toBe(false);
    running = false;
    await r.refresh();
    expect(r.isDeleting(stateMachineArn)).toBe(false);
    expect(await r.exists(stateMachineArn)).toBe(false);
  });
});

describe('a registry file shared by several processes', () => {
  it('sees the other registries\' changes and loses none made at the same time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepwise-registry-shared-'));
    try {
      const file = join(dir, 'state-machines.json');
      const place = { region: 'eu-west-1', accountId: '111122223333' };
      // Two registries on one file stand for two processes: each has its own memory of it.
      const a = new StateMachineRegistry(jsonFileRegistryPersistence(file), place);
      const b = new StateMachineRegistry(jsonFileRegistryPersistence(file), place);
      const { stateMachineArn } = await a.create({ name: 'FromA', definition: DEF, roleArn: ROLE });
      expect((await b.resolve(stateMachineArn))?.name).toBe('FromA');
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => a.create({ name: `A${i}`, definition: DEF, roleArn: ROLE })),
        ...Array.from({ length: 5 }, (_, i) => b.create({ name: `B${i}`, definition: DEF, roleArn: ROLE })),
      ]);
      const fresh = new StateMachineRegistry(jsonFileRegistryPersistence(file), place);
      const names = (await fresh.list({})).items.map((m) => m.name).sort();
      expect(names).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'B0', 'B1', 'B2', 'B3', 'B4', 'FromA']);
      await b.delete(stateMachineArn);
      expect(await a.resolve(stateMachineArn)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Recorded against AWS (2026-09): radkawar/stackd testdata/aws/stepfunctions/create_identity.json
// and control_lifecycle.json (us-west-2).
describe('CreateStateMachine repeated once a version is published', () => {
  const ORIGINAL = JSON.stringify({ StartAt: 'Result', States: { Result: { Type: 'Pass', Result: 'original', End: true } } });
  const CHANGED = JSON.stringify({ StartAt: 'Result', States: { Result: { Type: 'Pass', Result: 'changed', End: true } } });
  const published = { code: 'StateMachineAlreadyExists', message: 'State Machine Already Exists: This state machine was already created with a published version.' };
  const otherDescription = { code: 'StateMachineAlreadyExists', message: 'State Machine Already Exists: This state machine was already created with a published version using a different description.' };

  it('answers the first version only to a repeat that publishes with its description', async () => {
    const r = registry();
    const base = { name: 'Create', definition: ORIGINAL, roleArn: ROLE };
    const created = await r.create({ ...base, publish: false });
    // Before any version: an exact repeat answers the state machine.
    expect(await r.create({ ...base, publish: false })).toEqual({ stateMachineArn: created.stateMachineArn, creationDate: created.creationDate });
    const v1 = await r.publishVersion(created.stateMachineArn, { description: 'later-publication' });
    await expect(r.create({ ...base, publish: false })).rejects.toMatchObject(published);
    await expect(r.create({ ...base, publish: true })).rejects.toMatchObject(otherDescription);
    expect(await r.create({ ...base, publish: true, versionDescription: 'later-publication' }))
      .toEqual({ stateMachineArn: created.stateMachineArn, creationDate: created.creationDate, stateMachineVersionArn: v1.stateMachineVersionArn });
    await expect(r.create({ ...base, publish: true, versionDescription: 'other-description' })).rejects.toMatchObject(otherDescription);

    await r.update(created.stateMachineArn, { definition: CHANGED });
    // A different definition from the current one: the plain message naming the ARN.
    await expect(r.create({ ...base, publish: false })).rejects.toMatchObject({ code: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${created.stateMachineArn}'` });
    await expect(r.create({ ...base, publish: true, versionDescription: 'later-publication' })).rejects.toMatchObject({ message: `State Machine Already Exists: '${created.stateMachineArn}'` });
    await expect(r.create({ ...base, definition: CHANGED, publish: false })).rejects.toMatchObject(published);
    await expect(r.create({ ...base, definition: CHANGED, publish: true })).rejects.toMatchObject(otherDescription);
    const v2 = await r.publishVersion(created.stateMachineArn, { description: 'updated-publication' });
    expect(v2.stateMachineVersionArn).toBe(`${created.stateMachineArn}:2`);
    await expect(r.create({ ...base, definition: CHANGED, publish: false })).rejects.toMatchObject(published);
    // The description compared is the first version's, and that version is the answer.
    await expect(r.create({ ...base, definition: CHANGED, publish: true, versionDescription: 'updated-publication' })).rejects.toMatchObject(otherDescription);
    expect(await r.create({ ...base, definition: CHANGED, publish: true, versionDescription: 'later-publication' }))
      .toMatchObject({ stateMachineVersionArn: v1.stateMachineVersionArn });
  });

  it('answers an exact repeat of a create that published, and refuses another version description', async () => {
    const r = registry();
    const input = { name: 'Standard', definition: DEF, roleArn: ROLE, publish: true, versionDescription: 'initial' };
    const first = await r.create(input);
    expect(first.stateMachineVersionArn).toBe(`${first.stateMachineArn}:1`);
    expect(await r.create(input)).toEqual(first);
    expect(await r.create({ ...input, roleArn: 'arn:aws:iam::123456789012:role/Other' })).toEqual(first);
    await expect(r.create({ ...input, versionDescription: 'different' })).rejects.toMatchObject(otherDescription);
  });
});

describe('version and alias answers recorded against AWS (2026-09)', () => {
  it('describes a deleted version as "State Machine Version Does Not Exist" and lists the aliases routing to a version', async () => {
    const r = registry();
    const { stateMachineArn, stateMachineVersionArn: v1 } = await r.create({ name: 'M', definition: DEF, roleArn: ROLE, publish: true });
    const { stateMachineVersionArn: v2 } = await r.update(stateMachineArn, { definition: JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } }), publish: true });
    const { stateMachineAliasArn } = await r.createAlias({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v2!, weight: 100 }] });
    expect((await r.listAliases(v2!)).items.map((a) => a.stateMachineAliasArn)).toEqual([stateMachineAliasArn]);
    expect((await r.listAliases(v1!)).items).toEqual([]);
    await r.deleteVersion(v1!);
    await expect(r.describe(v1!)).rejects.toMatchObject({ code: 'StateMachineDoesNotExist', message: `State Machine Version Does Not Exist: '${v1}'` });
    await expect(r.listAliases(v1!)).rejects.toMatchObject({ code: 'ResourceNotFound' });
  });
});
