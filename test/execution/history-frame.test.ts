import { describe, expect, it } from 'vitest';
import { HistoryFrame } from '../../src/execution/history-frame.js';

describe('HistoryFrame', () => {
  it('starts a child at the parent cursor and integrates to the furthest point', () => {
    const parent = new HistoryFrame(5);
    const a = parent.child();
    const b = parent.child();
    expect(a.source).toBe(5);
    a.source = 9;
    a.lastPublished = 10;
    b.source = 7;
    b.lastPublished = 7;
    parent.integrate(b);
    expect(parent.source).toBe(7);
    parent.integrate(a);
    expect(parent.source).toBe(9);
    expect(parent.lastPublished).toBe(10);
  });
});
