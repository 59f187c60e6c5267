/**
 * Stepwise: run AWS Step Functions state machines (Amazon States Language) locally or inside a
 * Node service, exactly as AWS would, with every transition recorded as an AWS history event.
 *
 * @example
 * import { createRuntime } from 'stepwise';
 * const runtime = createRuntime({ clock: 'virtual' });
 * runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:greet', ({ input }) => ({ hello: input }));
 * const result = await runtime.run({ definition, input: { name: 'Ada' } });
 */
export { createRuntime, Runtime } from './runtime/create-runtime.js';
export type { RuntimeOptions, StartExecutionOptions, PreparedStateMachine } from './runtime/create-runtime.js';
export type { OwnershipOptions } from './runtime/execution-ownership.js';
export type { MapRunCounts, MapRunDescription, MapRunInHistory, MapRunStatus } from './runtime/map-runs.js';
export { leaseStreamOf, isLeaseStream } from './store/lease-stream.js';
export type { ExecutionJournal as Execution, ExecutionResult, ExecutionIdentity, ReplayReport } from './execution/execution-journal.js';
export type { Divergence } from './execution/replay-matching.js';
export type { ExecutionState } from './execution/execution-state.js';
export type { ExecutionHandle } from './runtime/execution-handle.js';
export type { HistoryEvent, HistoryEventType } from './execution/history-event.js';
export { toAwsHistoryEvent } from './observe/aws-history.js';
export { RealClock, VirtualClock } from './execution/clock.js';
export type { Clock } from './execution/clock.js';
export { AWS_LIMITS, LIFTED_LIMITS } from './execution/execution-services.js';
export type { ExecutionLimits } from './execution/execution-services.js';
export { TaskFailure, TaskHandlerRegistry } from './resources/task-handlers.js';
export type { TaskHandler, TaskHandlerResult, TaskRequest, HandlerMatcher } from './resources/task-handlers.js';
export { parseMockConfig, loadMockConfigFile, MockConfig } from './resources/mock-config.js';
export type { MockedResponse, MockTestCase } from './resources/mock-config.js';
export { validateDefinition } from './asl/validate-definition.js';
export type { Diagnostic } from './asl/validate-definition.js';
export { parseDefinitionText, loadDefinitionFile } from './asl/parse-definition.js';
export type { StateMachineDefinition, State, StateType, Retrier, Catcher, ChoiceRule } from './asl/definition.js';
export type { JsonValue, JsonObject } from './asl/json-value.js';
export { AslError, isAslError } from './errors/asl-error.js';
export { StatesErrors } from './errors/error-names.js';
export { StepwiseError, isStepwiseError } from './errors/stepwise-error.js';
export type { StepwiseErrorCode } from './errors/stepwise-error.js';
export { MemoryEventStore, createMemoryEventStore } from './store/memory-store.js';
export { FileEventStore, openFileEventStore, DEFAULT_STORE_DIR } from './store/file-store.js';
export type { FileEventStoreOptions, StoreRecovery } from './store/file-store.js';
export { WrongExpectedRevisionError, isWrongExpectedRevisionError } from './store/event-store.js';
export type {
  EventStore, ExecutionMetadata, ExecutionPage, ExecutionStatus, ListFilter, ReadOptions, StoredStreamEvent,
  SubscribeOptions, SubscribeAllOptions, AppendOptions,
} from './store/event-store.js';
export { StateMachineRegistry, memoryRegistryPersistence, jsonFileRegistryPersistence, checkName, parseStatesArn, parseStateMachineArn } from './registry/index.js';
export type {
  RegistryPersistence, ResolvedStateMachine, StateMachineView, StateMachineType, StateMachineVersion, StateMachineAlias, RoutingEntry, Tag,
  CreateStateMachineInput, UpdateStateMachineInput, EncryptionConfiguration, StateMachineRevision,
} from './registry/index.js';
export { Activities, ActivityRegistry, ActivityTaskQueue, ACTIVITY_STREAM } from './activities/index.js';
export type { ActivityDescription, ActivityTag, ActivityTaskGrant, ActivityWork, ActivityWorkFunction, ActivityWorker } from './activities/index.js';
export { chainServiceCallers } from './resources/service-caller.js';
export type { ServiceCaller, ServiceRequest } from './resources/service-caller.js';
export type { ParsedResource } from './resources/resource-arn.js';
