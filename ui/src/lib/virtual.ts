// The maths of a fixed-row-height virtual list: which rows to draw.

export interface Range {
  start: number;
  end: number;
}

/** Rows [start, end) that intersect the viewport, with `overscan` extra rows each side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 4,
): Range {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil(
    (Math.max(0, scrollTop) + Math.max(viewport, rowHeight)) / rowHeight,
  );
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, last + overscan),
  };
}

/** The scrollTop that brings row `index` fully into view, or null if it already is. */
export function scrollToShow(
  index: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return null;
}
