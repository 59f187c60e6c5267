import { useEffect, useRef, useState } from 'preact/hooks';
import type { Timeline } from '../logic/timeline.js';

const ROW = 22;
const EXTRA = 8;

interface Props {
  timeline: Timeline;
  /** Indexes of the events listed (all of them, or one Map iteration's). */
  indexes?: number[];
  position: number;
  divergenceId?: number;
  onSelect(index: number): void;
}

/**
 * The history, one row per event, drawn only where visible: 25,000 rows cost as much as 30.
 * Keeps the event at the slider's position in view.
 */
export function EventList({ timeline, indexes, position, divergenceId, onSelect }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const count = indexes ? indexes.length : timeline.length;
  const at = (row: number) => (indexes ? indexes[row]! : row);
  // The row of the slider's event, or of the last listed event before it.
  const current = indexes ? lastAtOrBefore(indexes, position) : position;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const top = (current + 1) * ROW; // below the header row
    if (top < el.scrollTop || top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 2);
  }, [current, count]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - EXTRA);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW) + EXTRA);
  const start = timeline.events[0]?.timestamp ?? 0;
  const rows = [];
  for (let row = first; row < last; row++) {
    const i = at(row);
    const e = timeline.events[i]!;
    const cls = `event${row === current ? ' current' : ''}${i > position ? ' future' : ''}${e.id === divergenceId ? ' diverged' : ''}${/Failed|TimedOut|Aborted/.test(e.type) ? ' bad' : ''}`;
    rows.push(
      <div key={i} class={cls} style={{ top: `${row * ROW}px` }} onClick={() => onSelect(i)} data-event-id={e.id}>
        <span class="id">{e.id}</span>
        <span class="prev">{e.previousEventId}</span>
        <span class="type">{e.type}</span>
        <span class="state">{timeline.stateNameAt(i) ?? ''}</span>
        <span class="time">+{e.timestamp - start} ms</span>
      </div>,
    );
  }
  return (
    <div class="events" ref={box} onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)} data-testid="event-list">
      <div class="event head"><span>id</span><span>previous</span><span>type</span><span>state</span><span>time</span></div>
      <div class="events-inner" style={{ height: `${count * ROW}px` }}>{rows}</div>
    </div>
  );
}

function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return Math.max(0, found);
}
