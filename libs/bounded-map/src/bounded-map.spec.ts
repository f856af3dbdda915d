import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('keeps the entries set last, up to its capacity', () => {
    const map = new BoundedMap<number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);

    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
  });

  it('forgets an entry, or all of them, when told', () => {
    const map = new BoundedMap<number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.delete('a');
    expect([map.get('a'), map.get('b')]).toEqual([undefined, 2]);

    map.clear();
    expect(map.get('b')).toBeUndefined();
  });
});
