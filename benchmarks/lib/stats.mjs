export function median(values) {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function min(values) {
  return values.length ? Math.min(...values) : undefined;
}

export function max(values) {
  return values.length ? Math.max(...values) : undefined;
}

/** A number with about 3 significant digits, thousands grouped: 12,345 / 123 / 12.3 / 1.23. */
export function fmt(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function fmtBytes(bytes) {
  if (bytes === undefined || bytes === null || Number.isNaN(bytes)) return '—';
  if (Math.abs(bytes) >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  if (Math.abs(bytes) >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${Math.round(bytes)} B`;
}

/** Fixed-width text table; numeric-looking cells right-aligned. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? '').length)));
  const line = (r) => r.map((cell, c) => {
    const s = String(cell ?? '');
    return c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]);
  }).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
