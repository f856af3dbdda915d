import dagre from '@dagrejs/dagre';
import {
  applyNodeChanges,
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { type FieldPath, linksOf, pathText, type Step, type StepLink, stepSummary } from './workflow-definition.js';

/** What the canvas has selected: a step, or one link (an edge) of a step. */
export type Selection = { kind: 'step'; id: string } | { kind: 'link'; source: string; path: FieldPath | 'default' } | null;

const NODE_WIDTH = 240;
const NODE_HEIGHT = 110;
const HANDLE_SIZE = 12;
const TARGET_HANDLE = { type: 'target', position: Position.Top, x: (NODE_WIDTH - HANDLE_SIZE) / 2, y: -HANDLE_SIZE / 2, width: HANDLE_SIZE, height: HANDLE_SIZE } as const;
const SOURCE_HANDLE = { ...TARGET_HANDLE, type: 'source', position: Position.Bottom, y: NODE_HEIGHT - HANDLE_SIZE / 2 } as const;

type StepNodeData = {
  step: Step;
  title: string;
  summary: string;
  first: boolean;
  problems: number;
  linkable: boolean;
};
type StepNode = Node<StepNodeData, 'step'>;

const StepNodeView = ({ data, selected }: NodeProps<StepNode>) => (
  <div className={['step-node', selected ? 'selected' : '', data.problems > 0 ? 'has-problems' : ''].join(' ')}>
    <Handle type="target" position={Position.Top} />
    <div className="step-node-head">
      <span className="step-node-type">{data.title}</span>
      {data.first && <span className="step-node-badge">Start</span>}
    </div>
    <div className="step-node-id">{data.step.id}</div>
    <div className="step-node-text">{data.summary}</div>
    {data.problems > 0 && (
      <div className="step-node-problem">
        {data.problems} {data.problems === 1 ? 'problem' : 'problems'}
      </div>
    )}
    {data.linkable && <Handle type="source" position={Position.Bottom} />}
  </div>
);

const NODE_TYPES = { step: StepNodeView };

export interface CanvasLink extends StepLink {
  /** The implicit `next`: the following step, for a step whose `next` is not set. */
  implicit: boolean;
}

/** Every edge of the flow, the implicit "following step" ones included. */
export const canvasLinks = (steps: Step[], hasNext: (type: string) => boolean): CanvasLink[] =>
  steps.flatMap((step, index) => {
    const links: CanvasLink[] = linksOf(step).map((link) => ({ ...link, implicit: false }));
    const following = steps[index + 1];
    if (step.next === undefined && following !== undefined && hasNext(step.type)) {
      links.push({ source: step.id, target: following.id, path: ['next'], label: undefined, implicit: true });
    }
    return links;
  });

export const linkId = (link: { source: string; path: FieldPath | 'default' }): string =>
  `${link.source}::${link.path === 'default' ? 'default' : pathText(link.path)}`;

const layout = (steps: Step[], links: CanvasLink[]): Map<string, { x: number; y: number }> => {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const step of steps) graph.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const link of links) if (graph.hasNode(link.target)) graph.setEdge(link.source, link.target);
  dagre.layout(graph);
  return new Map(
    steps.map((step) => {
      const { x, y } = graph.node(step.id);
      return [step.id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 }];
    }),
  );
};

interface CanvasProps {
  steps: Step[];
  titles: Map<string, string>;
  hasNext: (type: string) => boolean;
  /** Whether steps of the type have any field naming a step (`end` has none). */
  canLink: (type: string) => boolean;
  selection: Selection;
  problemCounts: Map<string, number>;
  readOnly: boolean;
  onSelect: (selection: Selection) => void;
  onConnect: (source: string, target: string) => void;
  onDelete: (selection: Exclude<Selection, null>) => void;
}

const Canvas = ({ steps, titles, hasNext, canLink, selection, problemCounts, readOnly, onSelect, onConnect, onDelete }: CanvasProps) => {
  const links = useMemo(() => canvasLinks(steps, hasNext), [steps, hasNext]);
  const ids = useMemo(() => new Set(steps.map((step) => step.id)), [steps]);
  const structure = JSON.stringify([steps.map((step) => step.id), links.map((link) => [link.source, link.target])]);
  // Laid out again only when steps or links change, not on every keystroke in a text.
  const positions = useMemo(() => layout(steps, links), [structure]);
  const [nodes, setNodes] = useState<StepNode[]>([]);
  const flow = useReactFlow();

  useEffect(() => {
    setNodes((previous) => {
      const before = new Map(previous.map((node) => [node.id, node]));
      return steps.map((step, index) => {
        const old = before.get(step.id);
        const title = titles.get(step.type) ?? step.type;
        return {
          id: step.id,
          type: 'step',
          // Where the admin dragged it stays; a new step goes where the layout puts it.
          position: old?.position ?? positions.get(step.id)!,
          // A fixed size with the handles declared: edges never wait for a node to be measured
          // (a node re-created on a change would otherwise lose its edges until then).
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
          handles: canLink(step.type) ? [TARGET_HANDLE, SOURCE_HANDLE] : [TARGET_HANDLE],
          selected: selection?.kind === 'step' && selection.id === step.id,
          deletable: !readOnly,
          connectable: !readOnly,
          ariaLabel: `${title} step ${step.id}`,
          data: {
            step,
            title,
            summary: stepSummary(step),
            first: index === 0,
            problems: problemCounts.get(step.id) ?? 0,
            linkable: canLink(step.type),
          },
        };
      });
    });
  }, [steps, titles, canLink, selection, problemCounts, readOnly, positions]);

  useEffect(() => {
    // The laid-out positions win when the structure changes; fit the whole flow in view again.
    setNodes((previous) => previous.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })));
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(frame);
  }, [positions, flow]);

  const edges: Edge[] = useMemo(
    () =>
      links
        .filter((link) => ids.has(link.target))
        .map((link) => {
          const ref: Selection = { kind: 'link', source: link.source, path: link.implicit ? 'default' : link.path };
          const id = linkId(ref);
          return {
            id,
            source: link.source,
            target: link.target,
            label: link.label,
            className: link.implicit ? 'implicit-link' : undefined,
            deletable: !readOnly && !link.implicit,
            selected: selection?.kind === 'link' && linkId(selection) === id,
            markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
            ariaLabel: `From ${link.source} to ${link.target}${link.implicit ? ' (the following step)' : link.label ? ` (${link.label})` : ''}`,
            data: ref,
          };
        }),
    [links, ids, readOnly, selection],
  );

  const onNodesChange = (changes: NodeChange<StepNode>[]) => {
    // Removals come through onDelete, from the definition; the rest is the canvas's own state.
    setNodes((current) => applyNodeChanges(changes.filter((change) => change.type !== 'remove' && change.type !== 'select'), current));
    for (const change of changes) {
      if (change.type === 'select' && change.selected) onSelect({ kind: 'step', id: change.id });
    }
  };

  return (
    <ReactFlow<StepNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={(changes) => {
        for (const change of changes) {
          const edge = change.type === 'select' && change.selected ? edges.find((candidate) => candidate.id === change.id) : undefined;
          if (edge) onSelect(edge.data as Selection);
        }
      }}
      onPaneClick={() => onSelect(null)}
      onConnect={(connection) => onConnect(connection.source, connection.target)}
      onDelete={({ nodes: removedNodes, edges: removedEdges }) => {
        for (const node of removedNodes) onDelete({ kind: 'step', id: node.id });
        for (const edge of removedEdges) if (!removedNodes.some((node) => node.id === edge.source)) onDelete(edge.data as Exclude<Selection, null>);
      }}
      deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
      nodesConnectable={!readOnly}
      edgesFocusable
      nodesFocusable
      minZoom={0.3}
      maxZoom={1.5}
    >
      <Background gap={20} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
};

/** The flow as a graph, laid out top to bottom by dagre. */
export const FlowCanvas = (props: CanvasProps) => (
  <ReactFlowProvider>
    <Canvas {...props} />
  </ReactFlowProvider>
);
