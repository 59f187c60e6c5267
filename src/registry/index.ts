export { StateMachineRegistry, REGISTRY_LIMITS, checkDefinitionText } from './state-machine-registry.js';
export type { CreateStateMachineInput, UpdateStateMachineInput, StateMachineView } from './state-machine-registry.js';
export { memoryRegistryPersistence, jsonFileRegistryPersistence, REGISTRY_FILE } from './registry-persistence.js';
export type { RegistryPersistence } from './registry-persistence.js';
export { checkName, parseStatesArn, parseStateMachineArn } from './names.js';
export type { ParsedArn, ResourceType, NamedThing } from './names.js';
export { pageBy, pageSize, encodePageToken, decodePageToken } from './paging.js';
export type { Page } from './paging.js';
export type * from './registry-types.js';
