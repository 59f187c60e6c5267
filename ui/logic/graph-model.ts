import type { Branch, State, StateMachineDefinition, StateType } from '../../src/asl/definition.js';
import { describeChoiceRule } from './choice-label.js';

export type EdgeKind = 'start' | 'next' | 'choice' | 'default' | 'catch' | 'end';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label?: string;
}

export interface GraphNode {
  id: string;
  label: string;
  kind: 'state' | 'branch' | 'start' | 'end';
  /** Set for `kind: 'state'`: the ASL state it draws. */
  stateName?: string;
  stateType?: StateType;
  /** Parallel: one `branch` group per branch; Map: the processor's states. */
  children?: GraphNode[];
  /** Edges between this node's children. */
  edges?: GraphEdge[];
}

/** The root of the graph: its children are the top-level states plus start and end markers. */
export interface GraphModel extends GraphNode {
  /** Node ids by state name (names are unique within a state machine). */
  nodeIdByState: Record<string, string>;
}

const START = '__start';
const END = '__end';

/**
 * The state machine as a graph: a node per state, edges for Next, each Choice rule (labelled
 * with its condition), Default and Catch (labelled with the errors it catches); Parallel
 * branches and Map processors are nested groups.
 */
export function buildGraphModel(definition: StateMachineDefinition): GraphModel {
  const nodeIdByState: Record<string, string> = {};
  const root: GraphModel = { id: 'root', label: definition.Comment ?? '', kind: 'branch', children: [], edges: [], nodeIdByState };
  root.children!.push({ id: START, label: 'Start', kind: 'start' });
  const endsAtRoot = addScope(root, definition, '', nodeIdByState);
  const first = definition.States?.[definition.StartAt] ? nodeIdByState[definition.StartAt] : undefined;
  if (first) root.edges!.unshift({ id: `${START}->${first}`, source: START, target: first, kind: 'start' });
  root.children!.push({ id: END, label: 'End', kind: 'end' });
  for (const id of endsAtRoot) root.edges!.push({ id: `${id}->${END}`, source: id, target: END, kind: 'end' });
  return root;
}

/** Adds a scope's states and edges to `container`; returns the ids of states that end the scope. */
function addScope(container: GraphNode, scope: Branch, prefix: string, ids: Record<string, string>): string[] {
  const idOf = (name: string) => `${prefix}/${name}`;
  const ends: string[] = [];
  const states = Object.entries(scope.States ?? {});
  for (const [name] of states) ids[name] ??= idOf(name);
  for (const [name, state] of states) {
    const id = idOf(name);
    const node: GraphNode = { id, label: name, kind: 'state', stateName: name, stateType: state.Type };
    container.children!.push(node);
    addNested(node, state, id, ids);
    const edges = container.edges!;
    const edge = (target: string, kind: EdgeKind, label?: string) => {
      if (!scope.States[target]) return; // an invalid target: validation reports it, the graph leaves it out
      edges.push({ id: `${id}->${idOf(target)}#${edges.length}`, source: id, target: idOf(target), kind, ...(label !== undefined ? { label } : {}) });
    };
    if (state.Type === 'Choice') {
      for (const rule of state.Choices ?? []) if (rule.Next) edge(rule.Next, 'choice', describeChoiceRule(rule));
      if (state.Default) edge(state.Default, 'default', 'Default');
    } else if (state.Next) edge(state.Next, 'next');
    if ('Catch' in state) for (const c of state.Catch ?? []) edge(c.Next, 'catch', `catch ${c.ErrorEquals.join(', ')}`);
    if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') ends.push(id);
  }
  return ends;
}

function addNested(node: GraphNode, state: State, id: string, ids: Record<string, string>): void {
  if (state.Type === 'Parallel') {
    node.children = [];
    node.edges = [];
    (state.Branches ?? []).forEach((branch, i) => {
      const group: GraphNode = { id: `${id}#branch${i}`, label: `Branch ${i + 1}`, kind: 'branch', children: [], edges: [] };
      addScope(group, branch, group.id, ids);
      node.children!.push(group);
    });
  } else if (state.Type === 'Map') {
    const processor = state.ItemProcessor ?? state.Iterator;
    if (!processor) return;
    node.children = [];
    node.edges = [];
    addScope(node, processor, id, ids);
  }
}

/** Every state node of the model, depth first. */
export function stateNodes(model: GraphNode): GraphNode[] {
  const out: GraphNode[] = [];
  const walk = (n: GraphNode) => {
    if (n.kind === 'state') out.push(n);
    for (const c of n.children ?? []) walk(c);
  };
  walk(model);
  return out;
}

// ELK's JSON graph format (only what is used here).
export interface ElkInput {
  id: string;
  width?: number;
  height?: number;
  labels?: { text: string; width: number; height: number }[];
  layoutOptions?: Record<string, string>;
  children?: ElkInput[];
  edges?: { id: string; sources: string[]; targets: string[]; labels?: { text: string; width: number; height: number }[] }[];
}

const CHAR_WIDTH = 7;
const LABEL_MAX = 36;

export function clipLabel(text: string): string {
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

/**
 * The model in ELK's input format: layered, top to bottom; each group is laid out on its own
 * (edges never cross a group's border in ASL), with room at the top for its title.
 */
export function toElkGraph(model: GraphNode): ElkInput {
  const convert = (n: GraphNode): ElkInput => {
    const out: ElkInput = { id: n.id };
    if (n.children && n.children.length > 0) {
      out.children = n.children.map(convert);
      out.edges = (n.edges ?? []).map((e) => ({
        id: e.id, sources: [e.source], targets: [e.target],
        ...(e.label ? { labels: [{ text: clipLabel(e.label), width: clipLabel(e.label).length * 6 + 6, height: 14 }] } : {}),
      }));
      out.layoutOptions = {
        'elk.algorithm': 'layered',
        'elk.direction': 'DOWN',
        'elk.padding': n.id === 'root' ? '[top=12,left=12,bottom=12,right=12]' : '[top=30,left=12,bottom=12,right=12]',
        'elk.spacing.nodeNode': '24',
        'elk.layered.spacing.nodeNodeBetweenLayers': '36',
        'elk.edgeLabels.placement': 'CENTER',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      };
      if (n.kind === 'state') out.layoutOptions['elk.nodeSize.minimum'] = `(${labelWidth(n.label)}, 60)`;
    } else if (n.kind === 'start' || n.kind === 'end') {
      out.width = 56;
      out.height = 26;
    } else {
      out.width = labelWidth(n.label);
      out.height = 40;
    }
    return out;
  };
  return convert(model);
}

function labelWidth(label: string): number {
  return Math.max(110, label.length * CHAR_WIDTH + 60);
}
