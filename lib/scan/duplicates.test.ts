import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from './duplicates';

describe('DuplicateFilter', () => {
  it('drops a repeat within the window, accepts it after, and accepts a different payload at once', () => {
    let now = 0;
    const filter = new DuplicateFilter({ now: () => now });
    expect(filter.accept('A')).toBe(true);
    now = 1999;
    expect(filter.accept('A')).toBe(false);
    now = 2001;
    expect(filter.accept('A')).toBe(true);
    expect(filter.accept('B')).toBe(true);
    expect(filter.accept('A')).toBe(true);
  });

  it('sliding: a payload seen on every frame is read once until it has been away for the window', () => {
    let now = 0;
    const filter = new DuplicateFilter({ now: () => now, sliding: true });
    const seen: boolean[] = [];
    for (now = 0; now <= 5000; now += 100) seen.push(filter.accept('A'));
    expect(seen.filter(Boolean)).toHaveLength(1);
    now += 2100;
    expect(filter.accept('A')).toBe(true);
  });
});
