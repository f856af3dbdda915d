/**
 * The loops of a directed graph whose nodes are numbered 0..n-1 (`successors[node]` lists the
 * nodes it leads to). A loop is a group of nodes that can all reach one another: a strongly
 * connected component with more than one node, or a single node leading to itself. Each group is
 * in ascending node order and the groups are ordered by their smallest node, so that the result is
 * deterministic. Tarjan's algorithm; recursion depth is bounded by the node count.
 */
export function findLoops(successors: readonly (readonly number[])[]): number[][] {
  const unvisited = -1;
  const visitOrder = new Array<number>(successors.length).fill(unvisited);
  const lowest = new Array<number>(successors.length).fill(unvisited);
  const onStack = new Array<boolean>(successors.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let visited = 0;

  const visit = (node: number): void => {
    visitOrder[node] = lowest[node] = visited++;
    stack.push(node);
    onStack[node] = true;
    for (const next of successors[node]) {
      if (visitOrder[next] === unvisited) {
        visit(next);
        lowest[node] = Math.min(lowest[node], lowest[next]);
      } else if (onStack[next]) {
        lowest[node] = Math.min(lowest[node], visitOrder[next]);
      }
    }
    if (lowest[node] === visitOrder[node]) components.push(popComponent(node));
  };

  const popComponent = (root: number): number[] => {
    const component: number[] = [];
    let member: number;
    do {
      member = stack.pop() as number;
      onStack[member] = false;
      component.push(member);
    } while (member !== root);
    return component.sort((a, b) => a - b);
  };

  successors.forEach((_, node) => {
    if (visitOrder[node] === unvisited) visit(node);
  });

  const isLoop = (component: number[]): boolean => component.length > 1 || component.some((node) => successors[node].includes(node));
  return components.filter(isLoop).sort((a, b) => a[0] - b[0]);
}
