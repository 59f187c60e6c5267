import type { StateTally } from '../logic/timeline.js';
import type { GraphLayout } from '../logic/layout.js';
import { clipLabel } from '../logic/graph-model.js';

interface Props {
  layout: GraphLayout;
  /** Drawn at this many times the laid-out size (the viewBox stays the layout's). */
  scale: number;
  tallies: Map<string, StateTally>;
  selected?: string;
  onSelect(name: string): void;
}

/** The state machine as SVG, each state coloured by its status at the chosen event. */
export function GraphView({ layout, scale, tallies, selected, onSelect }: Props) {
  return (
    <svg class="graph" width={layout.width * scale} height={layout.height * scale} viewBox={`0 0 ${layout.width} ${layout.height}`} data-testid="graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#64748b" />
        </marker>
      </defs>
      {layout.nodes.map(({ node, x, y, width, height }) => {
        if (node.kind === 'branch') {
          return <g key={node.id} class="group"><rect x={x} y={y} width={width} height={height} rx="6" /><text x={x + 8} y={y + 16}>{node.label}</text></g>;
        }
        if (node.kind === 'start' || node.kind === 'end') {
          return <g key={node.id} class={`terminal ${node.kind}`}><rect x={x} y={y} width={width} height={height} rx={height / 2} /><text x={x + width / 2} y={y + height / 2 + 4} text-anchor="middle">{node.label}</text></g>;
        }
        const name = node.stateName!;
        const tally = tallies.get(name);
        const status = tally?.status ?? 'notReached';
        const compound = (node.children?.length ?? 0) > 0;
        return (
          <g key={node.id} class={`state ${status}${selected === name ? ' selected' : ''}${compound ? ' compound' : ''}`} data-state={name} data-status={status} onClick={(e) => { e.stopPropagation(); onSelect(name); }}>
            <title>{`${name} (${node.stateType}): ${status}${tally && tally.entered > 1 ? `, entered ${tally.entered} times, ${tally.failed} failed` : ''}${tally && tally.retries > 0 ? `, ${tally.retries} retries` : ''}`}</title>
            <rect x={x} y={y} width={width} height={height} rx="6" />
            <text x={x + 10} y={y + 17} class="name">{name}</text>
            <text x={compound ? x + width - 10 : x + 10} y={compound ? y + 17 : y + 31} class="type" text-anchor={compound ? 'end' : 'start'}>{node.stateType}{tallyText(tally)}</text>
          </g>
        );
      })}
      {layout.edges.map((e) => (
        <g key={e.id} class={`edge ${e.kind}`}>
          <polyline points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} marker-end="url(#arrow)" />
          {e.label && e.labelAt && <text x={e.labelAt.x + 3} y={e.labelAt.y + 11}><title>{e.label}</title>{clipLabel(e.label)}</text>}
        </g>
      ))}
    </svg>
  );
}

/** A compact count for states entered more than once: `×6 ✗1 ↻2` (entries, failed, retries). */
function tallyText(t: StateTally | undefined): string {
  if (!t) return '';
  const parts: string[] = [];
  if (t.entered > 1) parts.push(`×${t.entered}`);
  if (t.entered > 1 && t.failed > 0) parts.push(`✗${t.failed}`);
  if (t.retries > 0) parts.push(`↻${t.retries}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}
