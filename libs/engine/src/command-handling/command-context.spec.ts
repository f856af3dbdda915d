import { describe, expect, it } from '@jest/globals';
import { derivedUuid } from './command-context.js';

describe('derivedUuid', () => {
  it('derives the id it always derived from a name: a reaction repeated after an upgrade stores nothing twice', () => {
    expect(derivedUuid('SessionStarted:2f1c8e0a-6b3d-4a59-9e7f-0c4d2b1a9f38')).toBe('2f4e34ec-8dbe-8ce0-a17f-cd75cbe6ad7d');
  });

  it('is a version 8 UUID of the RFC 9562 variant, and another name gives another id', () => {
    const id = derivedUuid('reaction:1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedUuid('reaction:2')).not.toBe(id);
  });
});
