import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../src/asl/definition.js';
import { buildGraphModel, stateNodes, toElkGraph, type GraphNode } from '../../ui/logic/graph-model.js';
import { describeChoiceRule } from '../../ui/logic/choice-label.js';

const definition: StateMachineDefinition = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.total', NumericGreaterThan: 100, Next: 'Fanout' },
        { And: [{ Variable: '$.a', IsPresent: true }, { Not: { Variable: '$.b', StringEquals: 'x' } }], Next: 'Items' },
      ],
      Default: 'Reject',
    },
    Fanout: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A1', States: { A1: { Type: 'Pass', Next: 'A2' }, A2: { Type: 'Pass', End: true } } },
        { StartAt: 'B1', States: { B1: { Type: 'Pass', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Reject' }],
      Next: 'Items',
    },
    Items: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:w', End: true } } }, End: true },
    Reject: { Type: 'Fail', Error: 'Rejected' },
  },
};

const byId = (n: GraphNode, id: string): GraphNode | undefined => (n.id === id ? n : n.children?.map((c) => byId(c, id)).find(Boolean));

describe('buildGraphModel', () => {
  const model = buildGraphModel(definition);

  it('draws a node per state, nested states inside their Parallel branch or Map', () => {
    expect(stateNodes(model).map((n) => n.stateName).sort()).toEqual(['A1', 'A2', 'B1', 'Check', 'Fanout', 'Items', 'Reject', 'Work']);
    const fanout = byId(model, model.nodeIdByState.Fanout!)!;
    expect(fanout.children!.map((c) => [c.kind, c.label])).toEqual([['branch', 'Branch 1'], ['branch', 'Branch 2']]);
    expect(fanout.children![0]!.children!.map((c) => c.stateName)).toEqual(['A1', 'A2']);
    expect(fanout.children![0]!.edges).toEqual([expect.objectContaining({ source: model.nodeIdByState.A1, target: model.nodeIdByState.A2, kind: 'next' })]);
    expect(byId(model, model.nodeIdByState.Items!)!.children!.map((c) => c.stateName)).toEqual(['Work']);
  });

  it('labels Choice rules with their conditions, Default and Catch edges', () => {
    const edges = model.edges!.map((e) => [e.kind, e.source.split('/').pop(), e.target.split('/').pop(), e.label]);
    expect(edges).toEqual(expect.arrayContaining([
      ['start', '__start', 'Check', undefined],
      ['choice', 'Check', 'Fanout', '$.total NumericGreaterThan 100'],
      ['choice', 'Check', 'Items', '($.a IsPresent true and not $.b StringEquals "x")'],
      ['default', 'Check', 'Reject', 'Default'],
      ['catch', 'Fanout', 'Reject', 'catch States.ALL'],
      ['next', 'Fanout', 'Items', undefined],
      ['end', 'Items', '__end', undefined],
      ['end', 'Reject', '__end', undefined],
    ]));
  });

  it('renders JSONata conditions as written', () => {
    expect(describeChoiceRule({ Condition: '{% $states.input.n > 2 %}', Next: 'X' })).toBe('{% $states.input.n > 2 %}');
  });

  it('gives ELK compound nodes with their own edges and sized leaves', () => {
    const elk = toElkGraph(model);
    const fanout = byId(elk as unknown as GraphNode, model.nodeIdByState.Fanout!) as unknown as ReturnType<typeof toElkGraph>;
    expect(fanout.children).toHaveLength(2);
    expect(fanout.layoutOptions!['elk.algorithm']).toBe('layered');
    const leaf = byId(elk as unknown as GraphNode, model.nodeIdByState.Reject!) as unknown as ReturnType<typeof toElkGraph>;
    expect(leaf.width).toBeGreaterThan(0);
    expect(elk.edges!.find((e) => e.targets[0] === model.nodeIdByState.Fanout)!.labels![0]!.text).toBe('$.total NumericGreaterThan 100');
  });

  it('leaves out edges to states that do not exist instead of failing', () => {
    const broken = buildGraphModel({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } } as StateMachineDefinition);
    expect(broken.edges!.filter((e) => e.kind === 'next')).toEqual([]);
  });
});
