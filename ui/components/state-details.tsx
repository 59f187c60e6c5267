import { useState } from 'preact/hooks';
import type { ExecutionState } from '../../src/execution/execution-state.js';
import type { MapRunView } from '../api.js';
import type { StateView } from '../logic/state-view.js';
import { JsonBlock } from './json-block.js';

interface Props {
  view?: StateView;
  /** The Map Runs of the execution (a Distributed Map's); those of the selected state are shown. */
  mapRuns?: MapRunView[];
  execution: ExecutionState;
  iteration?: string;
  onOpenIteration(key: string | undefined): void;
}

/** The selected state at the slider's event, or the execution when no state is selected. */
export function StateDetails({ view, mapRuns, execution, iteration, onOpenIteration }: Props) {
  const [index, setIndex] = useState('0');
  if (!view) {
    return (
      <section class="details" data-testid="details">
        <h3>Execution <span class={`badge ${execution.status}`}>{execution.status}</span></h3>
        <p class="hint">Select a state in the graph to see its input, output, error and context at this event.</p>
        <JsonBlock label="Input" value={execution.input} />
        {execution.output !== undefined && <JsonBlock label="Output" value={execution.output} />}
        {execution.error !== undefined && <JsonBlock label="Error" value={{ error: execution.error, cause: execution.cause }} />}
        <JsonBlock label="Variables" value={execution.variables} />
      </section>
    );
  }
  const it = view.iterations;
  return (
    <section class="details" data-testid="details">
      <h3>{view.name} <span class={`badge ${view.status}`} data-testid="state-status">{view.status}</span></h3>
      {iteration && <p class="iteration">Iteration {iteration.split(':')[1]} <button onClick={() => onOpenIteration(undefined)}>all iterations</button></p>}
      <p class="facts">retry count <b data-testid="retry-count">{view.retryCount}</b>{view.tally && view.tally.entered > 1 ? ` · entered ${view.tally.entered} times: ${view.tally.succeeded} succeeded, ${view.tally.caught} caught, ${view.tally.failed} failed, ${view.tally.aborted} aborted, ${view.tally.running} running` : ''}</p>
      {it && (
        <div class="map-iterations" data-testid="map-iterations">
          <h4>Iterations</h4>
          <p>{it.length !== undefined ? `${it.length} items: ` : ''}{it.succeeded} succeeded, {it.failed} failed, {it.aborted} aborted, {it.running} running</p>
          <form onSubmit={(e) => { e.preventDefault(); onOpenIteration(`${it.enteredEventId}:${Number(index)}`); }}>
            <label>Open iteration <input type="number" min="0" max={it.length !== undefined ? it.length - 1 : undefined} value={index} onInput={(e) => setIndex((e.target as HTMLInputElement).value)} /></label>
            <button type="submit">Open</button>
          </form>
          {it.finished.filter((f) => f.status !== 'SUCCEEDED').slice(0, 20).map((f) => (
            <button class="chip bad" onClick={() => onOpenIteration(`${it.enteredEventId}:${f.index}`)}>#{f.index} {f.status.toLowerCase()}</button>
          ))}
        </div>
      )}
      {mapRuns?.filter((r) => r.stateName === view.name).map((run) => <MapRunBlock run={run} />)}
      <JsonBlock label="Input" value={view.input} testId="state-input" />
      <JsonBlock label="Output" value={view.output} testId="state-output" />
      {view.error && <JsonBlock label="Error" value={view.error} testId="state-error" />}
      <JsonBlock label="Variables" value={view.variables} />
      <JsonBlock label="Context object ($$)" value={view.contextObject} />
    </section>
  );
}

/** A Distributed Map's Map Run: its status, its child executions counted, and links to them (failed first). */
function MapRunBlock({ run }: { run: MapRunView }) {
  const c = run.executionCounts;
  const shown = run.children.slice(0, 20);
  return (
    <div class="map-run" data-testid="map-run">
      <h4>Map Run <span class={`badge ${run.status}`}>{run.status}</span></h4>
      <p class="arn" title={run.mapRunArn}>{run.mapRunArn.split(':').pop()}</p>
      {(run.redriveCount ?? 0) > 0 && <p data-testid="map-run-redrives">redriven {run.redriveCount} time{run.redriveCount === 1 ? '' : 's'}</p>}
      {c && <p data-testid="map-run-counts">{c.total} child executions: {c.succeeded} succeeded, {c.failed} failed, {c.aborted} aborted, {c.timedOut} timed out, {c.running} running, {c.pending} pending</p>}
      <div class="children">
        {shown.map((child) => (
          <a class={`chip ${child.status === 'SUCCEEDED' ? '' : 'bad'}`} href={`#/execution/${encodeURIComponent(child.executionArn)}`} title={child.executionArn} data-testid="map-run-child">
            {child.name.slice(0, 8)} {child.status.toLowerCase()}
          </a>
        ))}
        {run.children.length > shown.length && <span class="more">and {run.children.length - shown.length} more</span>}
      </div>
    </div>
  );
}
