// Small numeric helpers for the reports.

/** Median of the finite numbers in `values`; null when there are none. */
export function median (values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** `a / b`, or null when either side is missing or `b` is zero. */
export function ratio (a, b) {
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null
  return a / b
}

export function formatInteger (value) {
  if (value === null || value === undefined) return '—'
  return Math.round(value).toLocaleString('en-US')
}

export function formatRatio (value) {
  if (value === null || value === undefined) return '—'
  return value.toFixed(2)
}

export function formatMs (value) {
  if (value === null || value === undefined) return '—'
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}
