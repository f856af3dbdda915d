import { describe, expect, it } from '@jest/globals';
import { workflowOptionsOf } from './workflow-options.js';

describe('workflowOptionsOf', () => {
  it('labels a workflow by its name, and workflows that share a name also by when each was created', () => {
    const first = '2026-12-01T09:00:00.000Z';
    const second = '2026-12-02T10:30:00.000Z';
    expect(
      workflowOptionsOf([
        { id: 'a', name: 'Sales', createdAt: first },
        { id: 'b', name: 'Support', createdAt: first },
        { id: 'c', name: 'Sales', createdAt: second },
      ]),
    ).toEqual([
      { id: 'a', name: 'Sales', label: `Sales (created ${new Date(first).toLocaleString()})` },
      { id: 'b', name: 'Support', label: 'Support' },
      { id: 'c', name: 'Sales', label: `Sales (created ${new Date(second).toLocaleString()})` },
    ]);
  });

  it('adds the end of the id where two namesakes were created in the same second', () => {
    const at = '2026-12-01T09:00:00.000Z';
    const same = new Date(at).toLocaleString();
    expect(
      workflowOptionsOf([
        { id: '019b0000-0000-7000-8000-00003f2a9c1e', name: 'Sales', createdAt: at },
        { id: '019b0000-0000-7000-8000-000077b01d4a', name: 'Sales', createdAt: '2026-12-01T09:00:00.400Z' },
      ]).map(({ label }) => label),
    ).toEqual([`Sales (created ${same}, id …3f2a9c1e)`, `Sales (created ${same}, id …77b01d4a)`]);
  });
});
