import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { toElkGraph, type EdgeKind, type GraphModel, type GraphNode } from './graph-model.js';

export interface PlacedNode {
  node: GraphNode;
  x: number;
  y: number;
  width: number;
  height: number;
  depth: number;
}

export interface PlacedEdge {
  id: string;
  kind: EdgeKind;
  label?: string;
  points: { x: number; y: number }[];
  labelAt?: { x: number; y: number; width: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Groups first, so that states inside them are drawn on top. */
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

let elk: InstanceType<typeof ELK> | undefined;

/**
 * Lays the graph out with ELK (layered, top to bottom, nested groups) and turns its
 * coordinates, which are relative to each group, into absolute ones for one SVG.
 */
export async function layoutGraph(model: GraphModel): Promise<GraphLayout> {
  elk ??= new ELK();
  const laid = await elk.layout(toElkGraph(model) as ElkNode);
  const byId = new Map<string, GraphNode>();
  const index = (n: GraphNode) => {
    byId.set(n.id, n);
    n.children?.forEach(index);
  };
  index(model);
  const nodes: PlacedNode[] = [];
  const edges: PlacedEdge[] = [];
  const edgeInfo = new Map<string, { kind: EdgeKind; label?: string }>();
  const collectEdges = (n: GraphNode) => {
    for (const e of n.edges ?? []) edgeInfo.set(e.id, { kind: e.kind, label: e.label });
    n.children?.forEach(collectEdges);
  };
  collectEdges(model);
  const walk = (n: ElkNode, ox: number, oy: number, depth: number) => {
    const x = ox + (n.x ?? 0);
    const y = oy + (n.y ?? 0);
    const node = byId.get(n.id);
    if (node && n.id !== model.id) nodes.push({ node, x, y, width: n.width ?? 0, height: n.height ?? 0, depth });
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      const info = edgeInfo.get(e.id);
      const s = e.sections?.[0];
      if (!info || !s) continue;
      const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: p.x + x, y: p.y + y }));
      const l = e.labels?.[0];
      edges.push({ id: e.id, kind: info.kind, label: info.label, points, ...(l ? { labelAt: { x: (l.x ?? 0) + x, y: (l.y ?? 0) + y, width: l.width ?? 0 } } : {}) });
    }
    for (const c of n.children ?? []) walk(c, x, y, depth + 1);
  };
  walk(laid, 0, 0, 0);
  nodes.sort((a, b) => a.depth - b.depth);
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}
