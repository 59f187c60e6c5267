/**
 * Zooming the graph pane: pure arithmetic on a scale and the pane's scroll offsets, so the
 * component only reads the pane's size and writes the result back. The graph is drawn at
 * `scale` times its laid-out size inside a scrolling pane; panning is scrolling.
 */

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;
/** One click of + or −, or one wheel notch with Ctrl or ⌘ held. */
export const ZOOM_STEP = 1.25;

export interface PaneView {
  scale: number;
  scrollLeft: number;
  scrollTop: number;
}

export function clampScale(scale: number): number {
  if (!Number.isFinite(scale)) return 1;
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/**
 * The view after zooming by `factor` about a point of the pane (in pixels from its visible
 * top-left corner): the part of the graph under that point stays under it, as in map viewers.
 * `padding` is the pane's own, around the graph (it does not scale).
 */
export function zoomAbout(view: PaneView, factor: number, at: { x: number; y: number }, padding = 0): PaneView {
  const scale = clampScale(view.scale * factor);
  const ratio = scale / view.scale;
  const axis = (scroll: number, point: number) => Math.max(0, (scroll + point - padding) * ratio + padding - point);
  return { scale, scrollLeft: axis(view.scrollLeft, at.x), scrollTop: axis(view.scrollTop, at.y) };
}

/** The largest scale, never above 1, at which the whole graph fits the pane (less its padding). */
export function fitScale(graph: { width: number; height: number }, pane: { width: number; height: number }, padding = 0): number {
  const w = pane.width - 2 * padding;
  const h = pane.height - 2 * padding;
  if (graph.width <= 0 || graph.height <= 0 || w <= 0 || h <= 0) return 1;
  return clampScale(Math.min(1, w / graph.width, h / graph.height));
}

/** A wheel event's zoom factor: one step per notch in or out, whatever the device's delta unit. */
export function wheelFactor(deltaY: number): number {
  if (deltaY === 0) return 1;
  return deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
}

/**
 * The scroll offsets that bring a box of the graph (in laid-out coordinates) into a pane of the
 * given size, moving as little as possible: unchanged when it is already in view.
 */
export function scrollToShow(view: PaneView, box: { x: number; y: number; width: number; height: number }, pane: { width: number; height: number }, padding = 0, margin = 24): PaneView {
  const axis = (scroll: number, start: number, size: number, visible: number) => {
    const from = padding + start * view.scale - margin;
    const to = padding + (start + size) * view.scale + margin;
    if (from < scroll) return Math.max(0, from);
    if (to > scroll + visible) return Math.max(0, Math.min(from, to - visible));
    return scroll;
  };
  return {
    scale: view.scale,
    scrollLeft: axis(view.scrollLeft, box.x, box.width, pane.width),
    scrollTop: axis(view.scrollTop, box.y, box.height, pane.height),
  };
}
