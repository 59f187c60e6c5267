import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ExecutionMetadata } from '../../src/store/event-store.js';
import { api } from '../api.js';
import { formatDuration, formatTime } from '../logic/format.js';
import { applyExecutionEvent } from '../logic/execution-rows.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** Every execution in the store, newest first, kept current by the server's event stream. */
export function ExecutionList() {
  const [rows, setRows] = useState<ExecutionMetadata[]>([]);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const [machine, setMachine] = useState('');

  useEffect(() => {
    let stopped = false;
    // Listen first, so nothing that starts while the list loads is missed.
    const early: Parameters<typeof applyExecutionEvent>[1][] = [];
    let loaded = false;
    const stop = api.watchAll((events) => {
      if (!loaded) early.push(...events);
      else setRows((current) => events.reduce(applyExecutionEvent, current));
    });
    (async () => {
      const all: ExecutionMetadata[] = [];
      let token: string | undefined;
      do {
        const page = await api.list(token);
        all.push(...page.items);
        token = page.nextToken;
      } while (token && all.length < 10000 && !stopped);
      loaded = true;
      setRows(early.reduce(applyExecutionEvent, all));
    })().catch((e: Error) => setError(e.message));
    return () => {
      stopped = true;
      stop();
    };
  }, []);

  const machines = useMemo(() => [...new Set(rows.map((r) => r.stateMachineArn))].sort(), [rows]);
  const shown = rows.filter((r) => (!status || r.status === status) && (!machine || r.stateMachineArn === machine));

  return (
    <main class="list">
      <div class="filters">
        <label>Status <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)} data-testid="status-filter">
          <option value="">all</option>
          {STATUSES.map((s) => <option value={s}>{s}</option>)}
        </select></label>
        <label>State machine <select value={machine} onChange={(e) => setMachine((e.target as HTMLSelectElement).value)}>
          <option value="">all</option>
          {machines.map((m) => <option value={m}>{m.split(':').pop()}</option>)}
        </select></label>
        <span class="count">{shown.length} of {rows.length}</span>
      </div>
      {error && <p class="error">{error}</p>}
      <table class="executions">
        <thead><tr><th>State machine</th><th>Name</th><th>Status</th><th>Started</th><th>Stopped</th><th>Duration</th></tr></thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.executionArn} data-status={r.status}>
              <td>{r.stateMachineArn.split(':').pop()}</td>
              <td><a href={`#/execution/${encodeURIComponent(r.executionArn)}`}>{r.name}</a></td>
              <td><span class={`badge ${r.status}`}>{r.status}</span></td>
              <td>{formatTime(r.startDate)}</td>
              <td>{formatTime(r.stopDate)}</td>
              <td>{r.stopDate !== undefined ? formatDuration(r.stopDate - r.startDate) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !error && <p class="empty">No executions in this store yet.</p>}
    </main>
  );
}


