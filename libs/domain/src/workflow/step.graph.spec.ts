import { describe, expect, it } from '@jest/globals';
import { findLoops } from './step.graph.js';

describe('findLoops', () => {
  it('finds none in a graph without cycles', () => {
    expect(findLoops([[1, 2], [2], []])).toEqual([]);
  });

  it('finds a node that leads to itself', () => {
    expect(findLoops([[1], [1]])).toEqual([[1]]);
  });

  it('groups the nodes of one loop, however many ways they connect, and leaves out the way in', () => {
    expect(findLoops([[1], [2, 3], [1], [2]])).toEqual([[1, 2, 3]]);
  });

  it('reports separate loops separately, ordered by their smallest node', () => {
    expect(findLoops([[4], [2], [1], [], [0]])).toEqual([
      [0, 4],
      [1, 2],
    ]);
  });
});
