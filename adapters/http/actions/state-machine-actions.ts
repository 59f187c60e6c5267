import { awsDiagnostic, type AwsDiagnostic } from '../../../src/asl/aws-diagnostics.js';
import { validateDefinitionResult } from '../../../src/asl/validate-definition.js';
import { variableReferencesByState } from '../../../src/asl/variable-references.js';
import { StepwiseError } from '../../../src/errors/stepwise-error.js';
import type { LoggingConfiguration, RoutingEntry, StateMachineType, Tag, TracingConfiguration } from '../../../src/registry/registry-types.js';
import { REGISTRY_LIMITS } from '../../../src/registry/state-machine-registry.js';
import type { Action } from '../api-context.js';
import { ApiError, compact, epochSeconds } from '../aws-json-protocol.js';
import { nestsTooDeep, TOO_DEEP } from '../json-depth.js';
import { includedData, type RequestFields } from '../request-fields.js';

const TYPES = ['STANDARD', 'EXPRESS'] as const;
const DESCRIPTION_MAX = 256;
const TOO_DEEP_DESCRIPTION = `The definition is not valid JSON: ${TOO_DEEP}`;

/**
 * The definition text, refused as AWS's parser refuses it when nested too deep: the validator
 * walks a definition recursively and would otherwise exhaust the stack (an HTTP 500).
 */
function optionalDefinition(f: RequestFields): string | undefined {
  const text = f.optionalString('definition', { max: REGISTRY_LIMITS.definitionBytes });
  if (text !== undefined && nestsTooDeep(text)) throw new StepwiseError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${TOO_DEEP_DESCRIPTION}'`);
  return text;
}

function definition(f: RequestFields): string {
  return optionalDefinition(f) ?? f.string('definition');
}

/**
 * AWS's LoggingConfiguration with its members' types checked (the level is the registry's to
 * check): a member of another type was stored, and described back, as it was given.
 */
function loggingConfiguration(f: RequestFields): LoggingConfiguration | undefined {
  const c = f.optionalFields('loggingConfiguration');
  if (!c) return undefined;
  c.optionalBoolean('includeExecutionData');
  for (const destination of c.optionalObjectList('destinations') ?? []) {
    destination.optionalFields('cloudWatchLogsLogGroup')?.optionalString('logGroupArn', { min: 1, max: 256 });
  }
  return f.optionalObject<LoggingConfiguration>('loggingConfiguration');
}

/**
 * API:CreateStateMachine's InvalidTracingConfiguration: "Your tracingConfiguration key does not
 * match, or enabled has not been set to true or false" (the only member is `enabled`).
 */
function tracingConfiguration(f: RequestFields): TracingConfiguration | undefined {
  const c = f.optionalObject<Record<string, unknown>>('tracingConfiguration');
  if (!c) return undefined;
  const other = Object.keys(c).find((key) => key !== 'enabled');
  if (other !== undefined) throw new ApiError('InvalidTracingConfiguration', `Invalid Tracing Configuration: '${other}' is not a member of tracingConfiguration (its only member is 'enabled').`);
  if (c.enabled !== undefined && c.enabled !== null && typeof c.enabled !== 'boolean') {
    throw new ApiError('InvalidTracingConfiguration', `Invalid Tracing Configuration: 'enabled' must be true or false, not ${JSON.stringify(c.enabled)}.`);
  }
  return c as TracingConfiguration;
}

const createStateMachine: Action = async (f, { runtime }) => {
  const r = await runtime.stateMachines.create({
    name: f.name(),
    definition: definition(f),
    roleArn: f.string('roleArn'),
    type: f.optionalEnum<StateMachineType>('type', TYPES) ?? 'STANDARD',
    loggingConfiguration: loggingConfiguration(f),
    tracingConfiguration: tracingConfiguration(f),
    encryptionConfiguration: f.optionalEncryptionConfiguration(),
    tags: f.optionalList<Tag>('tags'),
    publish: f.optionalBoolean('publish'),
    versionDescription: f.optionalString('versionDescription', { max: DESCRIPTION_MAX }),
  });
  return compact({ stateMachineArn: r.stateMachineArn, creationDate: epochSeconds(r.creationDate), stateMachineVersionArn: r.stateMachineVersionArn });
};

const describeStateMachine: Action = async (f, { runtime }) => {
  const v = await runtime.stateMachines.describe(f.string('stateMachineArn'));
  const metadataOnly = includedData(f) === 'METADATA_ONLY';
  return compact({
    stateMachineArn: v.stateMachineArn, name: v.name, status: v.status, definition: metadataOnly ? '{}' : v.definition, roleArn: v.roleArn, type: v.type,
    creationDate: epochSeconds(v.creationDate), loggingConfiguration: v.loggingConfiguration, tracingConfiguration: v.tracingConfiguration,
    revisionId: v.revisionId, description: v.description, encryptionConfiguration: v.encryptionConfiguration, variableReferences: variableReferencesOf(v.definition),
  });
};

/** The variables each state reads (recorded against AWS (2026-09)); none for a definition that is not JSON. */
function variableReferencesOf(definitionText: string): Record<string, string[]> | undefined {
  try {
    return variableReferencesByState(JSON.parse(definitionText));
  } catch {
    return undefined;
  }
}

const updateStateMachine: Action = async (f, { runtime }) => {
  const r = await runtime.stateMachines.update(f.string('stateMachineArn'), {
    definition: optionalDefinition(f),
    roleArn: f.optionalString('roleArn'),
    loggingConfiguration: loggingConfiguration(f),
    tracingConfiguration: tracingConfiguration(f),
    encryptionConfiguration: f.optionalEncryptionConfiguration(),
    publish: f.optionalBoolean('publish'),
    versionDescription: f.optionalString('versionDescription', { max: DESCRIPTION_MAX }),
  });
  return compact({ updateDate: epochSeconds(r.updateDate), revisionId: r.revisionId, stateMachineVersionArn: r.stateMachineVersionArn });
};

const deleteStateMachine: Action = async (f, { runtime }) => {
  await runtime.stateMachines.delete(f.string('stateMachineArn'));
  return {};
};

const listStateMachines: Action = async (f, { runtime }) => {
  const page = await runtime.stateMachines.list(f.page());
  return compact({ stateMachines: page.items.map((s) => ({ ...s, creationDate: epochSeconds(s.creationDate) })), nextToken: page.nextToken });
};

const publishStateMachineVersion: Action = async (f, { runtime }) => {
  const r = await runtime.stateMachines.publishVersion(f.string('stateMachineArn'), {
    revisionId: f.optionalString('revisionId'), description: f.optionalString('description', { max: DESCRIPTION_MAX }),
  });
  return { stateMachineVersionArn: r.stateMachineVersionArn, creationDate: epochSeconds(r.creationDate) };
};

const listStateMachineVersions: Action = async (f, { runtime }) => {
  const page = await runtime.stateMachines.listVersions(f.string('stateMachineArn'), f.page());
  return compact({ stateMachineVersions: page.items.map((v) => ({ ...v, creationDate: epochSeconds(v.creationDate) })), nextToken: page.nextToken });
};

const deleteStateMachineVersion: Action = async (f, { runtime }) => {
  await runtime.stateMachines.deleteVersion(f.string('stateMachineVersionArn'));
  return {};
};

const createStateMachineAlias: Action = async (f, { runtime }) => {
  const r = await runtime.stateMachines.createAlias({
    name: f.string('name'), description: f.optionalString('description', { max: DESCRIPTION_MAX }), routingConfiguration: f.list<RoutingEntry>('routingConfiguration'),
  });
  return { stateMachineAliasArn: r.stateMachineAliasArn, creationDate: epochSeconds(r.creationDate) };
};

const describeStateMachineAlias: Action = async (f, { runtime }) => {
  const a = await runtime.stateMachines.describeAlias(f.string('stateMachineAliasArn'));
  return compact({
    stateMachineAliasArn: a.stateMachineAliasArn, name: a.name, description: a.description, routingConfiguration: a.routingConfiguration,
    creationDate: epochSeconds(a.creationDate), updateDate: epochSeconds(a.updateDate ?? a.creationDate),
  });
};

const updateStateMachineAlias: Action = async (f, { runtime }) => {
  const r = await runtime.stateMachines.updateAlias(f.string('stateMachineAliasArn'), {
    description: f.optionalString('description', { max: DESCRIPTION_MAX }), routingConfiguration: f.optionalList<RoutingEntry>('routingConfiguration'),
  });
  return { updateDate: epochSeconds(r.updateDate) };
};

const deleteStateMachineAlias: Action = async (f, { runtime }) => {
  await runtime.stateMachines.deleteAlias(f.string('stateMachineAliasArn'));
  return {};
};

const listStateMachineAliases: Action = async (f, { runtime }) => {
  const page = await runtime.stateMachines.listAliases(f.string('stateMachineArn'), f.page());
  return compact({ stateMachineAliases: page.items.map((a) => ({ ...a, creationDate: epochSeconds(a.creationDate) })), nextToken: page.nextToken });
};

/** ValidateStateMachineDefinition's answer, its members in the order AWS's body has them (recorded against AWS (2026-09)). */
function validationAnswer(result: 'OK' | 'FAIL', diagnostics: AwsDiagnostic[], truncated = false) {
  return { diagnostics, result, truncated };
}

const failure = (code: string, message: string) => validationAnswer('FAIL', [{ code, message, severity: 'ERROR' }]);

/** API:ValidateStateMachineDefinition: never fails on a bad definition, it describes it. */
const validateStateMachineDefinition: Action = async (f) => {
  const text = f.string('definition', { max: REGISTRY_LIMITS.definitionBytes });
  const type = f.optionalEnum('type', TYPES) ?? 'STANDARD';
  const severity = f.optionalEnum('severity', ['ERROR', 'WARNING'] as const) ?? 'ERROR';
  // API:ValidateStateMachineDefinition: 0 to 100, where 0 (or none) means 100.
  const maxResults = f.optionalNumber('maxResults', { integer: true, min: 0, max: 100 }) || 100;
  if (nestsTooDeep(text)) return failure('INVALID_JSON_DESCRIPTION', TOO_DEEP_DESCRIPTION);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // Blank text is no JSON object at all, which AWS reports as a schema failure.
    if (text.trim() === '') return failure('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object');
    return failure('INVALID_JSON_DESCRIPTION', `The definition is not valid JSON: ${(e as Error).message}`);
  }
  const { result, diagnostics } = validateDefinitionResult(parsed, type);
  const shown = diagnostics.filter((d) => severity === 'WARNING' || d.severity === 'ERROR');
  return validationAnswer(result, shown.slice(0, maxResults).map((d) => awsDiagnostic(d, parsed)), shown.length > maxResults);
};

export const stateMachineActions: Record<string, Action> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  ListStateMachines: listStateMachines,
  PublishStateMachineVersion: publishStateMachineVersion,
  ListStateMachineVersions: listStateMachineVersions,
  DeleteStateMachineVersion: deleteStateMachineVersion,
  CreateStateMachineAlias: createStateMachineAlias,
  DescribeStateMachineAlias: describeStateMachineAlias,
  UpdateStateMachineAlias: updateStateMachineAlias,
  DeleteStateMachineAlias: deleteStateMachineAlias,
  ListStateMachineAliases: listStateMachineAliases,
  ValidateStateMachineDefinition: validateStateMachineDefinition,
};
