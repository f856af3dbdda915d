import dagre from '@dagrejs/dagre';
import {
  applyNodeChanges,
  Background,
  BaseEdge,
  Controls,
  type Edge,
  type EdgeProps,
  getBezierPath,
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
import { type FieldPath, linksOf, pathText, type Step, type StepLink, stepsNotReached, stepSummary } from './workflow-definition.js';

/** What the canvas has selected: a step, or one link (an edge) of a step. */
export type LinkSelection = { kind: 'link'; source: string; path: FieldPath | 'default' };
export type Selection = { kind: 'step'; id: string } | LinkSelection | null;

const NODE_WIDTH = 240;
const NODE_HEIGHT = 110;
const HANDLE_SIZE = 12;
const TARGET_HANDLE = {
  type: 'target',
  position: Position.Top,
  x: (NODE_WIDTH - HANDLE_SIZE) / 2,
  y: -HANDLE_SIZE / 2,
  width: HANDLE_SIZE,
  height: HANDLE_SIZE,
} as const;
const SOURCE_HANDLE = { ...TARGET_HANDLE, type: 'source', position: Position.Bottom, y: NODE_HEIGHT - HANDLE_SIZE / 2 } as const;

type StepNodeData = {
  step: Step;
  title: string;
  summary: string;
  first: boolean;
  /** No path from the first step leads here: it never runs. */
  notReached: boolean;
  problems: number;
  linkable: boolean;
};
type StepNode = Node<StepNodeData, 'step'>;

const StepNodeView = ({ data, selected }: NodeProps<StepNode>) => (
  <div
    className={[
      'step-node',
      selected ? 'selected' : '',
      data.problems > 0 ? 'has-problems' : '',
      data.notReached ? 'not-reached' : '',
    ].join(' ')}
  >
    <Handle type="target" position={Position.Top} />
    <div className="step-node-head">
      <span className="step-node-type">{data.title}</span>
      {data.first && <span className="step-node-badge">Start</span>}
      {data.notReached && (
        <span className="step-node-badge not-reached" title="No path from the first step leads here, so it never runs">
          Not reached
        </span>
      )}
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

const linkId = (link: { source: string; path: FieldPath | 'default' }): string =>
  `${link.source}::${link.path === 'default' ? 'default' : pathText(link.path)}`;

/** How the canvas's selection names a link. */
const canvasRef = (link: CanvasLink): LinkSelection => ({ kind: 'link', source: link.source, path: link.implicit ? 'default' : link.path });

interface Point {
  x: number;
  y: number;
}

interface Layout {
  /** Top-left corner of each step's node. */
  nodes: Map<string, Point>;
  /** Each edge's route around the nodes, by edge id, and where its label sits. */
  routes: Map<string, { points: Point[]; label: Point }>;
}

const LABEL_CHARACTER_WIDTH = 7;

const layout = (steps: Step[], links: CanvasLink[]): Layout => {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 40, edgesep: 20, ranksep: 70, marginx: 20, marginy: 20 });
  for (const step of steps) graph.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const link of links) {
    if (!graph.hasNode(link.target)) continue;
    const label = { width: (link.label?.length ?? 0) * LABEL_CHARACTER_WIDTH, height: link.label ? 16 : 0, labelpos: 'c' as const };
    graph.setEdge({ v: link.source, w: link.target, name: linkId(canvasRef(link)) }, label);
  }
  dagre.layout(graph);
  const nodes = new Map(
    steps.map((step) => {
      const { x, y } = graph.node(step.id) as { x: number; y: number };
      return [step.id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 }];
    }),
  );
  const routes = new Map(
    graph.edges().map((edge) => {
      const { points = [], x = 0, y = 0 } = graph.edge(edge) as { points?: Point[]; x?: number; y?: number };
      return [edge.name!, { points, label: { x, y } }];
    }),
  );
  return { nodes, routes };
};

/** A smooth path through the points (Catmull-Rom as cubic Béziers). */
const smoothPath = (points: Point[]): string => {
  let path = `M ${points[0].x},${points[0].y}`;
  for (let index = 0; index < points.length - 1; index++) {
    const [before, from, to, after] = [
      points[index - 1] ?? points[index],
      points[index],
      points[index + 1],
      points[index + 2] ?? points[index + 1],
    ];
    const first = { x: from.x + (to.x - before.x) / 6, y: from.y + (to.y - before.y) / 6 };
    const second = { x: to.x - (after.x - from.x) / 6, y: to.y - (after.y - from.y) / 6 };
    path += ` C ${first.x},${first.y} ${second.x},${second.y} ${to.x},${to.y}`;
  }
  return path;
};

/** `route` only while both ends are where the layout put them: a dragged node takes plain curves. */
type RoutedEdgeData = { selection: LinkSelection; route?: { points: Point[]; label: Point } };
type RoutedEdge = Edge<RoutedEdgeData, 'routed'>;

/** Follows the route dagre laid out around the nodes when it has one; otherwise a plain curve. */
const RoutedEdgeView = ({
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  label,
  markerEnd,
  interactionWidth,
}: EdgeProps<RoutedEdge>) => {
  const inner = data?.route?.points.slice(1, -1) ?? [];
  if (data?.route && inner.length > 0) {
    return (
      <BaseEdge
        path={smoothPath([{ x: sourceX, y: sourceY }, ...inner, { x: targetX, y: targetY }])}
        markerEnd={markerEnd}
        label={label}
        labelX={data.route.label.x}
        labelY={data.route.label.y}
        interactionWidth={interactionWidth}
      />
    );
  }
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return <BaseEdge path={path} markerEnd={markerEnd} label={label} labelX={labelX} labelY={labelY} interactionWidth={interactionWidth} />;
};

const EDGE_TYPES = { routed: RoutedEdgeView };

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
  /** What the Delete key removed at once: steps, and connections not to or from them. */
  onDelete: (removals: Exclude<Selection, null>[]) => void;
}

const Canvas = ({ steps, titles, hasNext, canLink, selection, problemCounts, readOnly, onSelect, onConnect, onDelete }: CanvasProps) => {
  const links = useMemo(() => canvasLinks(steps, hasNext), [steps, hasNext]);
  const ids = useMemo(() => new Set(steps.map((step) => step.id)), [steps]);
  const notReached = useMemo(() => stepsNotReached(steps, links), [steps, links]);
  const structure = JSON.stringify([steps.map((step) => step.id), links.map((link) => [link.source, link.target])]);
  // Laid out again only when steps or links change, not on every keystroke in a text.
  const laidOut = useMemo(() => layout(steps, links), [structure]);
  const positions = laidOut.nodes;
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
            notReached: notReached.has(step.id),
            problems: problemCounts.get(step.id) ?? 0,
            linkable: canLink(step.type),
          },
        };
      });
    });
  }, [steps, titles, canLink, selection, problemCounts, notReached, readOnly, positions]);

  useEffect(() => {
    // The laid-out positions win when the structure changes; fit the whole flow in view again.
    setNodes((previous) => previous.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })));
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(frame);
  }, [positions, flow]);

  const moved = useMemo(() => {
    const ids = new Set<string>();
    for (const node of nodes) {
      const laid = positions.get(node.id);
      if (!laid || laid.x !== node.position.x || laid.y !== node.position.y) ids.add(node.id);
    }
    return ids;
  }, [nodes, positions]);

  const edges: RoutedEdge[] = useMemo(
    () =>
      links
        .filter((link) => ids.has(link.target))
        .map((link) => {
          const ref = canvasRef(link);
          const id = linkId(ref);
          return {
            id,
            type: 'routed',
            source: link.source,
            target: link.target,
            label: link.label,
            className: link.implicit ? 'implicit-link' : undefined,
            deletable: !readOnly && !link.implicit,
            selected: selection?.kind === 'link' && linkId(selection) === id,
            markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
            ariaLabel: `From ${link.source} to ${link.target}${link.implicit ? ' (the following step)' : link.label ? ` (${link.label})` : ''}`,
            data: { selection: ref, route: moved.has(link.source) || moved.has(link.target) ? undefined : laidOut.routes.get(id) },
          };
        }),
    [links, ids, readOnly, selection, laidOut, moved],
  );

  const onNodesChange = (changes: NodeChange<StepNode>[]) => {
    // Removals come through onDelete, from the definition; the rest is the canvas's own state.
    setNodes((current) =>
      applyNodeChanges(
        changes.filter((change) => change.type !== 'remove' && change.type !== 'select'),
        current,
      ),
    );
    for (const change of changes) {
      if (change.type === 'select' && change.selected) onSelect({ kind: 'step', id: change.id });
    }
  };

  return (
    <ReactFlow<StepNode, RoutedEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      edgeTypes={EDGE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={(changes) => {
        for (const change of changes) {
          const edge = change.type === 'select' && change.selected ? edges.find((candidate) => candidate.id === change.id) : undefined;
          if (edge) onSelect(edge.data!.selection);
        }
      }}
      onPaneClick={() => onSelect(null)}
      onConnect={(connection) => onConnect(connection.source, connection.target)}
      onDelete={({ nodes: removedNodes, edges: removedEdges }) => {
        // The links of a removed step go with it: only the other edges are removals of their own.
        const removedIds = new Set(removedNodes.map((node) => node.id));
        const links = removedEdges.flatMap((edge) => {
          const removed = edge.data?.selection;
          return removed && !removedIds.has(edge.source) && !removedIds.has(edge.target) ? [removed] : [];
        });
        onDelete([...removedNodes.map((node) => ({ kind: 'step', id: node.id }) as const), ...links]);
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
