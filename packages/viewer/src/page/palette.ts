/** The page's colours: one per block kind, and a hue per family for its allocated data. */

/** Block-kind colours (also used by the legend). */
export const COLORS = {
  header: '#9ca3af',
  meta: '#334155',
  free: '#e2e8f0',
  freeEdge: '#cbd5e1',
  soft: '#f59e0b',
  gap: '#dc2626',
  queueHead: '#0f172a',
  changed: '#d946ef',
  differs: '#f97316',
  hover: '#000000',
  grid: '#e5e7eb',
  text: '#1f2937',
  muted: '#6b7280',
  heap: '#93c5fd',
  heapLine: '#2563eb',
  live: '#16a34a',
  util: '#9333ea',
  request: '#16a34a',
  release: '#2563eb',
  rejection: '#dc2626',
  avoidable: '#ea580c',
  cursor: '#111827',
  divergence: '#e11d48',
} as const;

/** Allocated-data colours by family (cycled): blues, greens, violets, teals; none is red or amber, which mean fragmentation. */
export const FAMILY_COLORS = ['#3b82f6', '#10b981', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16', '#6366f1', '#14b8a6', '#a855f7', '#0ea5e9', '#22c55e', '#64748b'] as const;

/** The colour of family number `index` (registration order). */
export function familyColor(index: number): string {
  return FAMILY_COLORS[index % FAMILY_COLORS.length]!;
}
