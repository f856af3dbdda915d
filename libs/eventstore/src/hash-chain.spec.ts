import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { eventFixture } from './event-store.contract.js';
import { canonicalJson, chainEvents, eventHash } from './hash-chain.js';

/** What a store hands back: the value after its trip through JSON text. */
const readBack = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('canonicalJson', () => {
  it('sorts object keys by code unit at every level, integer-like keys included, and keeps array order', () => {
    expect(canonicalJson({ b: [3, { d: null, c: 'x' }], a: true, '10': 1, '2': 2 })).toBe(
      '{"10":1,"2":2,"a":true,"b":[3,{"c":"x","d":null}]}',
    );
  });

  it.each([
    ['a Date, as its ISO text', { at: new Date('2024-05-01T10:00:00.000Z') }, '{"at":"2024-05-01T10:00:00.000Z"}'],
    ['an invalid Date, as null', { at: new Date(Number.NaN) }, '{"at":null}'],
    ['undefined in an array, as null', { list: [1, undefined, 3] }, '{"list":[1,null,3]}'],
    ['a hole in an array, as null', { list: Object.assign(new Array(3), { 0: 1, 2: 3 }) }, '{"list":[1,null,3]}'],
    ['a function in an array, as null', { list: [() => 1] }, '{"list":[null]}'],
    ['undefined and functions in an object, left out', { kept: 1, gone: undefined, run: () => 1 }, '{"kept":1}'],
    ['what a toJSON method gives', { amount: { toJSON: () => '12.50 EUR' } }, '{"amount":"12.50 EUR"}'],
    ['boxed primitives, as the primitive', { n: Object(4), s: Object('x'), b: Object(false) }, '{"b":false,"n":4,"s":"x"}'],
    ['numbers JSON cannot write, as null', { values: [Number.NaN, Number.POSITIVE_INFINITY, -0] }, '{"values":[null,null,0]}'],
  ])('writes %s, as JSON.stringify stores it', (_, value, text) => {
    expect(canonicalJson(value)).toBe(text);
    expect(canonicalJson(readBack(value))).toBe(text);
  });

  it('gives the same text for any value in an event and for that value read back from its JSON', () => {
    const values = fc.anything({
      withDate: true,
      withSparseArray: true,
      withBoxedValues: true,
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withObjectString: true,
    });
    fc.assert(
      // Inside an object, as event data always is: on its own, `undefined` has no JSON.
      fc.property(values, (value) => {
        expect(canonicalJson({ value })).toBe(canonicalJson(readBack({ value })));
      }),
      { numRuns: 500 },
    );
  });
});

describe('eventHash', () => {
  it('gives the hash chains already stored: a fixed event hashes as it always has', () => {
    const event = {
      id: '2f1c8e0a-6b3d-4a59-9e7f-0c4d2b1a9f38',
      type: 'MessageReceived',
      data: {
        text: 'Hello, é 🙂',
        contactId: 'c-1',
        channelId: 'ch-1',
        n: [1, 2.5, null, true],
        nested: { z: 1, '10': 'x', '2': 'y', a: { b: [] } },
      },
      metadata: {
        correlationId: 'k',
        causationId: 'k',
        actor: { sub: 'webchat:ch-1', role: 'channel' },
        occurredAt: '2026-12-02T10:00:00.000Z',
        workspace: 'default',
      },
    };

    expect(eventHash('abc', 'conversation-ch-1-c-1', 3, event)).toBe('2dbe02f1d7106f2ad730b2ceee997044ca1585377b7050e87b462afeefa3b237');
  });

  it('an event with a Date and undefined in an array hashes the same appended and read back', () => {
    const [chained] = chainEvents('order-1', 0, '', [
      eventFixture('OrderPlaced', { placedAt: new Date('2024-05-01T10:00:00.000Z'), lines: ['a', undefined] }),
    ]);
    const stored = readBack(chained) as typeof chained;

    expect(stored.data).toEqual({ placedAt: '2024-05-01T10:00:00.000Z', lines: ['a', null] });
    expect(eventHash('', 'order-1', 0, stored)).toBe(chained.metadata.hash);
  });
});
