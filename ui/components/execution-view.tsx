import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { StateMachineDefinition } from '../../src/asl/definition.js';
import type { ReplayReport } from '../../src/execution/execution-journal.js';
import type { ExecutionMetadata } from '../../src/store/event-store.js';
import { toAwsHistoryEvent } from '../../src/observe/aws-history.js';
import { api } from '../api.js';
import { formatDuration, formatTime } from '../logic/format.js';
import { buildGraphModel } from '../logic/graph-model.js';
import { layoutGraph, type GraphLayout } from '../logic/layout.js';
import { viewState } from '../logic/state-view.js';
import { Timeline } from '../logic/timeline.js';
import { Actions } from './actions.js';
import { EventList } from './event-list.js';
import { GraphView } from './graph-view.js';
import { JsonBlock } from './json-block.js';
import { StateDetails } from './state-details.js';

/** How long the slider must rest before the full state (a fold) is rebuilt for the details panel. */
const SETTLE_MS = 150;
/** Events folded between two paints while a history loads. */
const LOAD_SLICE = 4000;

export function ExecutionView({ arn }: { arn: string }) {
  const [meta, setMeta] = useState<ExecutionMetadata>();
  const [timeline, setTimeline] = useState<Timeline>();
  const [layout, setLayout] = useState<GraphLayout>();
  const [error, setError] = useState<string>();
  const [progress, setProgress] = useState('Loading…');
  const [version, setVersion] = useState(0);
  const [position, setPosition] = useState(0);
  const [settled, setSettled] = useState(0);
  const [selected, setSelected] = useState<string>();
  const [iteration, setIteration] = useState<string>();
  const [replay, setReplay] = useState<ReplayReport>();
  const follow = useRef(true);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      const [m, h] = await Promise.all([api.describe(arn), api.history(arn)]);
      if (cancelled) return;
      const stateMachineName = m.stateMachineArn.split(':').pop()!;
      const t = new Timeline([], { executionArn: arn, name: m.name, stateMachineArn: m.stateMachineArn, stateMachineName });
      // A long history is read in slices, giving the page back between them, so it never freezes.
      for (let i = 0; i < h.events.length; i += LOAD_SLICE) {
        t.append(h.events.slice(i, i + LOAD_SLICE));
        if (i + LOAD_SLICE < h.events.length) {
          setProgress(`Reading the history: ${i + LOAD_SLICE} of ${h.events.length} events…`);
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (cancelled) return;
        }
      }
      setMeta(m);
      setTimeline(t);
      setPosition(t.length - 1);
      setSettled(t.length - 1);
      // Open on the state that failed, if one did.
      const failed = [...t.statusesAt(t.length - 1)].find(([, tally]) => tally.status === 'failed');
      if (failed) setSelected(failed[0]);
      // Live: the server pushes what the store appends after what was read.
      stop = api.watchExecution(arn, t.length, (events) => {
        const atEnd = follow.current;
        t.append(events);
        setVersion((v) => v + 1);
        if (atEnd) {
          setPosition(t.length - 1);
          setSettled(t.length - 1);
        }
      });
      const definition = (m.extra as { definition?: StateMachineDefinition } | undefined)?.definition;
      if (definition) setLayout(await layoutGraph(buildGraphModel(definition)));
    })().catch((e: Error) => setError(e.message));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [arn]);

  useEffect(() => {
    const timer = setTimeout(() => setSettled(position), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [position]);

  const length = timeline?.length ?? 0;
  const move = (to: number) => {
    const next = Math.max(0, Math.min(length - 1, to));
    follow.current = next === length - 1;
    setPosition(next);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === 'ArrowLeft') move(position - 1);
      else if (e.key === 'ArrowRight') move(position + 1);
      else return;
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  const tallies = useMemo(
    () => (timeline ? (iteration ? timeline.statusesInIteration(position, iteration) : timeline.statusesAt(position)) : new Map()),
    [timeline, position, iteration, version],
  );
  const execution = useMemo(() => (timeline && timeline.length > 0 ? timeline.stateAt(settled) : undefined), [timeline, settled, version]);
  const view = useMemo(() => (timeline && selected && length > 0 ? viewState(timeline, settled, selected, iteration) : undefined), [timeline, settled, selected, iteration, version]);
  const iterationIndexes = useMemo(() => (timeline && iteration ? timeline.eventsOfIteration(iteration) : undefined), [timeline, iteration, version]);

  if (error) return <main class="execution"><p class="error" data-testid="load-error">{error}</p></main>;
  if (!timeline || !meta || !execution) return <main class="execution"><p class="progress">{progress}</p></main>;

  const event = timeline.events[position]!;
  const last = timeline.events[length - 1]!;
  const status = timeline.status;
  const suggestedInput = nextStateInput(timeline, position) ?? execution.input;

  return (
    <main class="execution">
      <div class="summary">
        <span class={`badge ${status}`} data-testid="execution-status">{status}</span>
        <span>{meta.stateMachineArn.split(':').pop()} / <b>{meta.name}</b></span>
        <span>started {formatTime(timeline.events[0]!.timestamp)}</span>
        {status !== 'RUNNING' && <span>took {formatDuration(last.timestamp - timeline.events[0]!.timestamp)}</span>}
        <span>{length} events</span>
        {(meta.extra as { forkedFrom?: { executionArn: string; eventId: number } } | undefined)?.forkedFrom && (
          <span>forked from <a href={`#/execution/${encodeURIComponent((meta.extra as { forkedFrom: { executionArn: string } }).forkedFrom.executionArn)}`}>its origin</a></span>
        )}
      </div>
      <div class="scrubber">
        <button onClick={() => move(position - 1)} aria-label="previous event">◀</button>
        <input type="range" min={0} max={length - 1} value={position} onInput={(e) => move(Number((e.target as HTMLInputElement).value))} data-testid="slider" aria-label="event" />
        <button onClick={() => move(position + 1)} aria-label="next event">▶</button>
        <span class="at" data-testid="slider-position">event {event.id} of {last.id}: {event.type}</span>
      </div>
      <div class="panes">
        <div class="graph-pane" onClick={() => setSelected(undefined)}>
          {layout ? <GraphView layout={layout} tallies={tallies} selected={selected} onSelect={setSelected} /> : <p>Laying out the graph…</p>}
        </div>
        <div class="side">
          <Actions arn={arn} eventId={event.id} suggestedInput={suggestedInput} canRedrive={['FAILED', 'TIMED_OUT', 'ABORTED'].includes(status)}
            onOpen={(next) => { location.hash = `#/execution/${encodeURIComponent(next)}`; }}
            onReplay={(r) => {
              setReplay(r);
              if (r.divergence) move(Math.min(length - 1, Math.max(0, timeline.indexOfId(r.divergence.eventId))));
            }} />
          <StateDetails view={view} execution={execution} iteration={iteration} onOpenIteration={(key) => { setIteration(key); }} />
        </div>
      </div>
      <div class="history">
        <div class="history-head">
          <span>History{iteration ? ` of iteration ${iteration.split(':')[1]}` : ''}</span>
          {replay?.divergence && <span class="error">first divergence: event {replay.divergence.eventId}</span>}
        </div>
        <div class="history-body">
          <EventList timeline={timeline} indexes={iterationIndexes} position={position} divergenceId={replay?.divergence?.eventId} onSelect={move} />
          <JsonBlock label={`Event ${event.id} (GetExecutionHistory shape)`} value={toAwsHistoryEvent(event)} testId="event-json" />
        </div>
      </div>
    </main>
  );
}

/** The input recorded for the first state entered after `index`: what a fork from there would change. */
function nextStateInput(timeline: Timeline, index: number): unknown {
  for (let i = index + 1; i < timeline.length; i++) {
    const e = timeline.events[i]!;
    if (e.type.endsWith('StateEntered')) return (e.stateEnteredEventDetails as { input?: unknown } | undefined)?.input;
  }
  return undefined;
}
