import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { StateMachineDefinition } from '../../src/asl/definition.js';
import type { ReplayReport } from '../../src/execution/execution-journal.js';
import type { ExecutionMetadata } from '../../src/store/event-store.js';
import { toAwsHistoryEvent } from '../../src/observe/aws-history.js';
import { api, type MapRunView } from '../api.js';
import { formatDuration, formatTime } from '../logic/format.js';
import { buildGraphModel } from '../logic/graph-model.js';
import { layoutGraph, type GraphLayout } from '../logic/layout.js';
import { viewState } from '../logic/state-view.js';
import { Timeline } from '../logic/timeline.js';
import { fitScale, scrollToShow, wheelFactor, zoomAbout, ZOOM_STEP, type PaneView } from '../logic/zoom.js';
import { Actions } from './actions.js';
import { EventList } from './event-list.js';
import { GraphView } from './graph-view.js';
import { JsonBlock } from './json-block.js';
import { StateDetails } from './state-details.js';

/** How long the slider must rest before the full state (a fold) is rebuilt for the details panel. */
const SETTLE_MS = 150;
/** Events folded between two paints while a history loads. */
const LOAD_SLICE = 4000;
/** The graph pane's padding (styles.css `.graph-pane`): it does not scale with the graph. */
const PANE_PADDING = 12;
/** A graph that does not fit opens at the scale that fits it, but no smaller than this (still readable). */
const SMALLEST_OPENING_SCALE = 0.5;
/** A press on the graph that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD_PX = 4;

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
  const [mapRuns, setMapRuns] = useState<MapRunView[]>();
  const [scale, setScale] = useState(1);
  // The scale as last set, read by handlers: a key handler registered by an earlier render still
  // sees that render's `scale` until its effect runs again, so a key pressed right after a click
  // zoomed from the old scale.
  const currentScale = useRef(scale);
  currentScale.current = scale;
  const [dragging, setDragging] = useState(false);
  const follow = useRef(true);
  const pane = useRef<HTMLDivElement>(null);
  /** Scroll offsets to apply once the graph is drawn at a new scale (the pane cannot scroll past the old size before). */
  const pendingScroll = useRef<PaneView>();
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean }>();

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
      if (definition) {
        const placed = await layoutGraph(buildGraphModel(definition));
        if (cancelled) return;
        const box = pane.current;
        if (box) setScale(Math.max(SMALLEST_OPENING_SCALE, fitScale(placed, { width: box.clientWidth, height: box.clientHeight }, PANE_PADDING)));
        setLayout(placed);
      }
    })().catch((e: Error) => setError(e.message));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [arn]);

  // A Distributed Map's Map Runs, read again as the history grows while one is running.
  const hasMapRun = useMemo(() => !!timeline?.events.some((e) => e.type === 'MapRunStarted'), [timeline, version]);
  useEffect(() => {
    if (!hasMapRun) return;
    let cancelled = false;
    api.mapRuns(arn).then((r) => { if (!cancelled) setMapRuns(r.mapRuns); }, () => undefined);
    return () => { cancelled = true; };
  }, [arn, hasMapRun, version]);

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

  const paneSize = () => ({ width: pane.current?.clientWidth ?? 0, height: pane.current?.clientHeight ?? 0 });
  const paneView = (): PaneView => ({ scale: currentScale.current, scrollLeft: pane.current?.scrollLeft ?? 0, scrollTop: pane.current?.scrollTop ?? 0 });
  const applyView = (next: PaneView) => {
    pendingScroll.current = next;
    currentScale.current = next.scale;
    setScale(next.scale);
  };
  /** Zooms about a point of the pane (its centre by default), keeping what is under it in place. */
  const zoomBy = (factor: number, at?: { x: number; y: number }) => {
    const size = paneSize();
    applyView(zoomAbout(paneView(), factor, at ?? { x: size.width / 2, y: size.height / 2 }, PANE_PADDING));
  };
  const zoomToFit = () => {
    if (layout) applyView({ scale: fitScale(layout, paneSize(), PANE_PADDING), scrollLeft: 0, scrollTop: 0 });
  };

  // Scrolling waits for the graph to be drawn at its new size.
  useEffect(() => {
    const next = pendingScroll.current;
    if (!next || !pane.current) return;
    pendingScroll.current = undefined;
    pane.current.scrollLeft = next.scrollLeft;
    pane.current.scrollTop = next.scrollTop;
  }, [scale]);

  // The selected state (the failed one when a failed execution opens, or one picked in the
  // panel) is brought into view if it is out of it; a state clicked in the graph already is.
  useEffect(() => {
    const node = selected && layout?.nodes.find((n) => n.node.stateName === selected && n.node.kind !== 'branch');
    if (!node || !pane.current) return;
    const next = scrollToShow(paneView(), node, paneSize(), PANE_PADDING);
    pane.current.scrollLeft = next.scrollLeft;
    pane.current.scrollTop = next.scrollTop;
  }, [selected, layout]);

  // Ctrl or ⌘ with the wheel zooms about the pointer (the wheel alone scrolls, as everywhere).
  const onWheel = (e: WheelEvent) => {
    if (!(e.ctrlKey || e.metaKey) || !pane.current) return;
    e.preventDefault();
    const box = pane.current.getBoundingClientRect();
    zoomBy(wheelFactor(e.deltaY), { x: e.clientX - box.left, y: e.clientY - box.top });
  };
  // Dragging the graph pans it; a press that barely moves stays a click (it selects or deselects).
  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0 || !pane.current) return;
    drag.current = { x: e.clientX, y: e.clientY, left: pane.current.scrollLeft, top: pane.current.scrollTop, moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || !pane.current) return;
    if (!d.moved && Math.hypot(e.clientX - d.x, e.clientY - d.y) < DRAG_THRESHOLD_PX) return;
    if (!d.moved) setDragging(true);
    d.moved = true;
    pane.current.scrollLeft = d.left - (e.clientX - d.x);
    pane.current.scrollTop = d.top - (e.clientY - d.y);
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = undefined;
    if (!d?.moved) return;
    setDragging(false);
    // The release ends in a click on whatever is under the pointer: swallow that one click.
    const swallow = (e: Event) => e.stopPropagation();
    addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => removeEventListener('click', swallow, { capture: true }), 0);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === 'ArrowLeft') move(position - 1);
      else if (e.key === 'ArrowRight') move(position + 1);
      else if (e.key === '+' || e.key === '=') zoomBy(ZOOM_STEP);
      else if (e.key === '-') zoomBy(1 / ZOOM_STEP);
      else if (e.key === '0') zoomToFit();
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
        <div class="graph-area">
          <div class={`graph-pane${dragging ? ' dragging' : ''}`} ref={pane} data-testid="graph-pane" onClick={() => setSelected(undefined)}
            onWheel={onWheel} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerLeave={() => { drag.current = undefined; setDragging(false); }}>
            {layout ? <GraphView layout={layout} scale={scale} tallies={tallies} selected={selected} onSelect={setSelected} /> : <p>Laying out the graph…</p>}
          </div>
          {layout && (
            <div class="zoom" aria-label="zoom">
              <button onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label="zoom out" title="Zoom out (−, or Ctrl/⌘ + wheel)" data-testid="zoom-out">−</button>
              <span data-testid="zoom-level">{Math.round(scale * 100)}%</span>
              <button onClick={() => zoomBy(ZOOM_STEP)} aria-label="zoom in" title="Zoom in (+, or Ctrl/⌘ + wheel)" data-testid="zoom-in">+</button>
              <button onClick={zoomToFit} title="Fit the whole graph (0)" data-testid="zoom-fit">Fit</button>
              <button onClick={() => applyView({ ...paneView(), scale: 1 })} title="Actual size" data-testid="zoom-reset">100%</button>
            </div>
          )}
        </div>
        <div class="side">
          <Actions arn={arn} eventId={event.id} suggestedInput={suggestedInput} canRedrive={['FAILED', 'TIMED_OUT', 'ABORTED'].includes(status)}
            onOpen={(next) => { location.hash = `#/execution/${encodeURIComponent(next)}`; }}
            onReplay={(r) => {
              setReplay(r);
              if (r.divergence) move(Math.min(length - 1, Math.max(0, timeline.indexOfId(r.divergence.eventId))));
            }} />
          <StateDetails view={view} mapRuns={mapRuns} execution={execution} iteration={iteration} onOpenIteration={(key) => { setIteration(key); }} />
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
