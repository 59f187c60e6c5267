import { describe, expect, it } from 'vitest';
import { clampScale, fitScale, MAX_SCALE, MIN_SCALE, scrollToShow, wheelFactor, zoomAbout, ZOOM_STEP } from '../../ui/logic/zoom.js';

describe('zooming the graph pane', () => {
  it('keeps the point under the pointer where it is', () => {
    // A point 100 px into the pane with the pane scrolled 300 px: graph x = (300 + 100 - 12) / 1 = 388.
    const next = zoomAbout({ scale: 1, scrollLeft: 300, scrollTop: 50 }, 2, { x: 100, y: 40 }, 12);
    expect(next.scale).toBe(2);
    // After zooming the same graph point is at 12 + 388 * 2 = 788 from the content's left edge.
    expect(next.scrollLeft + 100).toBe(788);
    expect(next.scrollTop + 40).toBe(12 + (50 + 40 - 12) * 2);
  });

  it('never scrolls before the start, and clamps the scale', () => {
    const out = zoomAbout({ scale: 1, scrollLeft: 0, scrollTop: 0 }, 0.5, { x: 200, y: 200 });
    expect(out).toEqual({ scale: 0.5, scrollLeft: 0, scrollTop: 0 });
    expect(zoomAbout({ scale: MAX_SCALE, scrollLeft: 0, scrollTop: 0 }, ZOOM_STEP, { x: 0, y: 0 }).scale).toBe(MAX_SCALE);
    expect(clampScale(0.001)).toBe(MIN_SCALE);
    expect(clampScale(Number.NaN)).toBe(1);
  });

  it('fits the whole graph, never enlarging a small one', () => {
    expect(fitScale({ width: 2000, height: 500 }, { width: 1000, height: 800 })).toBe(0.5);
    expect(fitScale({ width: 400, height: 1600 }, { width: 1000, height: 824 }, 12)).toBe(0.5);
    expect(fitScale({ width: 300, height: 200 }, { width: 1000, height: 800 })).toBe(1);
    expect(fitScale({ width: 100_000, height: 100 }, { width: 1000, height: 800 })).toBe(MIN_SCALE);
    expect(fitScale({ width: 100, height: 100 }, { width: 0, height: 0 })).toBe(1);
  });

  it('turns any wheel notch into one step in or out', () => {
    expect(wheelFactor(-3)).toBe(ZOOM_STEP);
    expect(wheelFactor(120)).toBe(1 / ZOOM_STEP);
    expect(wheelFactor(0)).toBe(1);
  });

  it('scrolls a state into view only when it is out of view, by as little as it takes', () => {
    const pane = { width: 500, height: 400 };
    const inView = { scale: 1, scrollLeft: 0, scrollTop: 0 };
    expect(scrollToShow(inView, { x: 100, y: 100, width: 120, height: 40 }, pane, 12)).toEqual(inView);
    // Right of the view: scrolled so that its right edge (plus the margin) is at the pane's edge.
    const right = scrollToShow(inView, { x: 900, y: 100, width: 120, height: 40 }, pane, 12, 24);
    expect(right.scrollLeft).toBe(12 + 1020 + 24 - 500);
    expect(right.scrollTop).toBe(0);
    // Above the view at scale 2: scrolled back to just before it.
    const above = scrollToShow({ scale: 2, scrollLeft: 0, scrollTop: 1500 }, { x: 10, y: 300, width: 100, height: 40 }, pane, 12, 24);
    expect(above.scrollTop).toBe(12 + 600 - 24);
  });
});
