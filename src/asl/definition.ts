import type { JsonValue } from './json-value.js';

/**
 * Amazon States Language definition types. Field names keep AWS's spelling.
 * Only the shape is described here; `validate-definition.ts` checks the rules.
 */
export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, State>;
  Comment?: string;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: QueryLanguage;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Comment?: string;
}

interface BaseState {
  Type: string;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  InputPath?: string | null;
  OutputPath?: string | null;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Next?: string;
  End?: boolean;
}

export interface PassState extends BaseState {
  Type: 'Pass';
  Result?: JsonValue;
  Parameters?: JsonValue;
  ResultPath?: string | null;
}

export interface TaskState extends BaseState {
  Type: 'Task';
  Resource: string;
  Parameters?: JsonValue;
  Arguments?: JsonValue;
  Credentials?: JsonValue;
  ResultSelector?: JsonValue;
  ResultPath?: string | null;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface ChoiceRule {
  Next?: string;
  Variable?: string;
  Condition?: string | boolean;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Assign?: Record<string, JsonValue>;
  Output?: JsonValue;
  Comment?: string;
  [operator: string]: unknown;
}

export interface ChoiceState extends BaseState {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends BaseState {
  Type: 'Wait';
  Seconds?: number | string;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

export interface SucceedState extends BaseState {
  Type: 'Succeed';
}

export interface FailState extends BaseState {
  Type: 'Fail';
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export interface Branch {
  StartAt: string;
  States: Record<string, State>;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

export interface ParallelState extends BaseState {
  Type: 'Parallel';
  Branches: Branch[];
  Parameters?: JsonValue;
  Arguments?: JsonValue;
  ResultSelector?: JsonValue;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface ItemProcessor extends Branch {
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

export interface MapState extends BaseState {
  Type: 'Map';
  ItemProcessor?: ItemProcessor;
  Iterator?: Branch;
  ItemsPath?: string;
  Items?: JsonValue;
  ItemSelector?: JsonValue;
  Parameters?: JsonValue;
  ItemReader?: { Resource?: string; Parameters?: JsonValue; Arguments?: JsonValue; ReaderConfig?: JsonValue };
  ItemBatcher?: { MaxItemsPerBatch?: number | string; MaxItemsPerBatchPath?: string; MaxInputBytesPerBatch?: number | string; MaxInputBytesPerBatchPath?: string; BatchInput?: JsonValue };
  ResultWriter?: JsonValue;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
  ResultSelector?: JsonValue;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export type State = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;
export type StateType = State['Type'];
