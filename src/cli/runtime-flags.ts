import { LIFTED_LIMITS, type ExecutionLimits } from '../execution/execution-services.js';
import type { ServiceCaller } from '../resources/service-caller.js';
import { HTTP_TASK_FLAGS, httpTaskCallerFromFlags, type HttpTaskFlagValues } from './http-task-flags.js';
import type { MockConfig } from '../resources/mock-config.js';
import { loadMockConfigFile } from '../resources/mock-config.js';

/**
 * The flags every command that runs executions shares (run, serve, resume, fork, redrive, ui):
 * `--mock-config FILE`, `--fast-time` (the virtual clock), `--lift-limits` (AWS's 256 KiB
 * payload and 25,000-event history limits off, for local work that exceeds them: a
 * 10,000-item inline Map exceeds both; without it the CLI enforces them as AWS does), and the
 * HTTP Task flags (http-task-flags.ts).
 */
export const RUNTIME_FLAGS = {
  'mock-config': { type: 'string' },
  'fast-time': { type: 'boolean', default: false },
  'lift-limits': { type: 'boolean', default: false },
  ...HTTP_TASK_FLAGS,
} as const;

export const LIMIT_USAGE = "[--lift-limits]   (no 256 KiB payload, 25,000-event history, 5-minute Express or JSONata memory and depth limit: local work beyond AWS's limits)";

export interface RuntimeFlagValues extends HttpTaskFlagValues {
  'mock-config'?: string;
  'fast-time'?: boolean;
  'lift-limits'?: boolean;
}

/**
 * What those flags ask of createRuntime; a mock config named by `--mock-config` and an HTTP
 * Task connections file are read here (`services`: the HTTP Task caller, when asked for).
 */
export function runtimeOptionsFromFlags(values: RuntimeFlagValues): { clock: 'virtual' | 'real'; mockConfig: MockConfig | undefined; limits: Partial<ExecutionLimits> | undefined; services: ServiceCaller | undefined } {
  return {
    services: httpTaskCallerFromFlags(values),
    clock: values['fast-time'] ? 'virtual' : 'real',
    mockConfig: values['mock-config'] !== undefined ? loadMockConfigFile(values['mock-config']) : undefined,
    limits: values['lift-limits'] ? LIFTED_LIMITS : undefined,
  };
}
