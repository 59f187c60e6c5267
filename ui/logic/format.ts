/** Display helpers shared by the views (pure). */

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The state machine and execution names inside an execution ARN. */
export function namesOfArn(arn: string): { stateMachineName: string; name: string } {
  const parts = arn.split(':');
  return { stateMachineName: parts[6] ?? '', name: parts.slice(7).join(':') };
}

export function stateMachineArnOf(executionArn: string): string {
  const parts = executionArn.split(':');
  return [...parts.slice(0, 5), 'stateMachine', parts[6] ?? ''].join(':');
}

export function pretty(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value, null, 2);
}
