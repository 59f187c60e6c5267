import type { EncryptionConfiguration } from './encryption.js';

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type { EncryptionConfiguration };

export interface LoggingConfiguration {
  level?: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  includeExecutionData?: boolean;
  destinations?: unknown[];
}

export interface TracingConfiguration {
  enabled?: boolean;
}

/** What a version freezes and an update changes. */
export interface StateMachineConfig {
  definition: string;
  roleArn: string;
  type: StateMachineType;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  /** Checked (see encryption.ts); stores written before it was kept lack it, which is AWS_OWNED_KEY. */
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface StateMachineVersion extends StateMachineConfig {
  stateMachineVersionArn: string;
  version: number;
  revisionId: string;
  /** Published from a revision an update made (see StateMachineRecord.revised). */
  revised?: boolean;
  /** When the revision it was published from was made (DescribeStateMachineForExecution's updateDate); earlier stores lack it. */
  revisionDate?: number;
  description?: string;
  creationDate: number;
}

export interface RoutingEntry {
  stateMachineVersionArn: string;
  weight: number;
}

export interface StateMachineAlias {
  stateMachineAliasArn: string;
  name: string;
  description?: string;
  routingConfiguration: RoutingEntry[];
  creationDate: number;
  updateDate?: number;
}

export interface StateMachineRecord extends StateMachineConfig {
  stateMachineArn: string;
  name: string;
  description?: string;
  /** Changes with each update; a version records the revision it was published from. */
  revisionId: string;
  /** An update has changed it since its creation: AWS shows a revisionId only then. */
  revised?: boolean;
  creationDate: number;
  updateDate?: number;
  /** When the current revision was made by an update (its creation's otherwise; earlier stores lack it). */
  revisionDate?: number;
  versions: StateMachineVersion[];
  /** Version numbers are never reused, even after a version is deleted. */
  nextVersion: number;
  aliases: StateMachineAlias[];
  /**
   * DeleteStateMachine was called while executions ran (API:DeleteStateMachine): described as
   * DELETING, refuses what AWS refuses with StateMachineDeleting, and goes once they have ended,
   * each when the state it waits in ends (see execution/state-machine-deletion.ts).
   */
  deleting?: boolean;
}

/** What `resolve` gives for a state machine, version or alias ARN. */
export interface ResolvedStateMachine {
  stateMachineArn: string;
  name: string;
  definition: string;
  type: StateMachineType;
  roleArn?: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** Being deleted: StartExecution refuses it with StateMachineDeleting. */
  deleting?: boolean;
  /**
   * The revision it resolved to, as DescribeStateMachineForExecution shows it for the executions
   * it runs: when it was made (`updateDate`) and its revisionId once an update made one.
   */
  revision?: StateMachineRevision;
}

/**
 * The revision an execution runs, kept with it for DescribeStateMachineForExecution: recorded
 * against AWS (2026-09), an execution keeps showing its revision's tracing and encryption after
 * the state machine is updated (the logging configuration is part of the same revision). Those
 * are left out by executions stored before they were kept.
 */
export interface StateMachineRevision {
  updateDate: number;
  revisionId?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface Tag {
  key: string;
  value: string;
}

export interface RegistrySnapshot {
  format: 1;
  stateMachines: StateMachineRecord[];
  /** Tags by resource ARN (state machines and activities). */
  tags: Record<string, Tag[]>;
}
