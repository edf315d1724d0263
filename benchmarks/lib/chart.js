// A dependency-free SVG bar chart of ratios: one panel per (metric, baseline), scenarios as
// groups, one bar per server, a line at 1.0 and an optional dashed target line.

const COLORS = {
  velox: '#d1495b',
  fastify: '#2e2e2e',
  node: '#8d99ae',
  express: '#3d7fb8',
  hono: '#f0a202'
}
const PALETTE = ['#66a182', '#7b5ea7', '#c97b2a', '#2a9d8f']

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'

function color (peer, index) {
  return COLORS[peer] ?? PALETTE[index % PALETTE.length]
}

function escape (text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function niceStep (max) {
  for (const step of [0.1, 0.25, 0.5, 1, 2, 5, 10]) {
    if (max / step <= 8) return step
  }
  return Math.ceil(max / 8)
}

/**
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} [chart.subtitle]
 * @param {string[]} chart.peers servers, in legend order
 * @param {string[]} chart.groups scenario titles
 * @param {{ title: string, target?: number|number[], value: (group: number, peer: string) => number|null|'broken' }[]} chart.panels
 *   `target` is one line across the panel, or one per group (scenarios with their own targets)
 * @param {number} [chart.columns]
 * @returns {string} the SVG document
 */
export function ratioChart ({ title, subtitle, peers, groups, panels, columns = 2 }) {
  const barHeight = 11
  const barGap = 2
  const groupGap = 12
  const labelWidth = 118
  const valueRoom = 46
  const panelWidth = 470
  const plotWidth = panelWidth - labelWidth - valueRoom
  const panelHeader = 40
  const axisRoom = 24
  const groupHeight = peers.length * (barHeight + barGap) + groupGap
  const panelHeight = panelHeader + groups.length * groupHeight + axisRoom
  const top = subtitle ? 78 : 60
  const rows = Math.ceil(panels.length / columns)
  const width = columns * panelWidth + 20
  const height = top + rows * (panelHeight + 16)

  const out = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">`)
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(`<text x="10" y="22" font-size="16" font-weight="600" fill="#111">${escape(title)}</text>`)
  if (subtitle) out.push(`<text x="10" y="40" fill="#555">${escape(subtitle)}</text>`)

  // Legend.
  let legendX = 10
  const legendY = subtitle ? 58 : 40
  peers.forEach(function legend (peer, i) {
    out.push(`<rect x="${legendX}" y="${legendY - 9}" width="10" height="10" fill="${color(peer, i)}"/>`)
    out.push(`<text x="${legendX + 14}" y="${legendY}" fill="#222">${escape(peer)}</text>`)
    legendX += 24 + peer.length * 7
  })

  panels.forEach(function panel (p, index) {
    const x0 = 10 + (index % columns) * panelWidth
    const y0 = top + Math.floor(index / columns) * (panelHeight + 16)
    const numbers = []
    groups.forEach((_, g) => peers.forEach((peer) => {
      const v = p.value(g, peer)
      if (typeof v === 'number' && Number.isFinite(v)) numbers.push(v)
    }))
    const targets = Array.isArray(p.target) ? p.target : groups.map(() => p.target)
    const max = Math.max(1.25, ...targets.map((t) => (t ?? 0) * 1.1), ...numbers.map((v) => v * 1.05))
    const step = niceStep(max)
    const axisMax = Math.ceil(max / step) * step
    const scale = (v) => (Math.min(v, axisMax) / axisMax) * plotWidth
    const plotX = x0 + labelWidth
    const plotTop = y0 + panelHeader
    const plotBottom = plotTop + groups.length * groupHeight - groupGap / 2

    out.push(`<text x="${x0}" y="${y0 + 15}" font-size="13" font-weight="600" fill="#111">${escape(p.title)}</text>`)

    // Grid and axis labels.
    for (let t = 0; t <= axisMax + 1e-9; t += step) {
      const x = plotX + scale(t)
      out.push(`<line x1="${x.toFixed(1)}" y1="${plotTop - 4}" x2="${x.toFixed(1)}" y2="${plotBottom}" stroke="#e5e5e5"/>`)
      out.push(`<text x="${x.toFixed(1)}" y="${plotBottom + 14}" text-anchor="middle" fill="#666">${Number(t.toFixed(2))}</text>`)
    }

    groups.forEach(function group (label, g) {
      const gy = plotTop + g * groupHeight
      const labelY = gy + (peers.length * (barHeight + barGap)) / 2 + 4
      out.push(`<text x="${plotX - 8}" y="${labelY}" text-anchor="end" fill="#222">${escape(label)}</text>`)
      peers.forEach(function bar (peer, i) {
        const y = gy + i * (barHeight + barGap)
        const v = p.value(g, peer)
        if (v === 'broken') {
          out.push(`<text x="${plotX + 3}" y="${y + barHeight - 2}" font-style="italic" fill="#c0392b">${escape(peer)}: broken</text>`)
        } else if (typeof v === 'number' && Number.isFinite(v)) {
          const w = Math.max(scale(v), 1)
          out.push(`<rect x="${plotX}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${color(peer, i)}"><title>${escape(`${peer} ${label}: ${v.toFixed(2)}`)}</title></rect>`)
          const clipped = v > axisMax ? '+' : ''
          out.push(`<text x="${(plotX + w + 3).toFixed(1)}" y="${y + barHeight - 2}" fill="#333">${v.toFixed(2)}${clipped}</text>`)
        } else {
          out.push(`<text x="${plotX + 3}" y="${y + barHeight - 2}" fill="#999">${escape(peer)}: n/a</text>`)
        }
      })
    })

    // The baseline (1.0) and the target, drawn over the bars.
    const one = plotX + scale(1)
    out.push(`<line x1="${one.toFixed(1)}" y1="${plotTop - 6}" x2="${one.toFixed(1)}" y2="${plotBottom}" stroke="#111" stroke-width="1.2"/>`)
    if (!Array.isArray(p.target) && p.target !== undefined) {
      const t = plotX + scale(p.target)
      out.push(`<line x1="${t.toFixed(1)}" y1="${plotTop - 6}" x2="${t.toFixed(1)}" y2="${plotBottom}" stroke="#d1495b" stroke-width="1.2" stroke-dasharray="4 3"/>`)
      out.push(`<text x="${(t + 3).toFixed(1)}" y="${plotTop - 8}" fill="#d1495b">target ${p.target}</text>`)
    } else if (Array.isArray(p.target)) {
      // One dashed segment per group, labelled wherever the target changes from the group above.
      targets.forEach(function groupTarget (target, g) {
        if (target === undefined) return
        const t = plotX + scale(target)
        const gy = plotTop + g * groupHeight
        const bottom = gy + peers.length * (barHeight + barGap)
        out.push(`<line x1="${t.toFixed(1)}" y1="${gy - 3}" x2="${t.toFixed(1)}" y2="${bottom}" stroke="#d1495b" stroke-width="1.2" stroke-dasharray="4 3"/>`)
        if (g === 0 || targets[g - 1] !== target) {
          out.push(`<text x="${(t + 3).toFixed(1)}" y="${gy - 3}" font-size="9" fill="#d1495b">target ${target}</text>`)
        }
      })
    }
  })

  out.push('</svg>')
  return out.join('\n') + '\n'
}

/**
 * A dependency-free SVG line chart: one panel per quantity, time on the x axis, one line per
 * series (the soak benchmark's memory and request rates over the minutes of a run).
 *
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} [chart.subtitle]
 * @param {string} chart.xLabel the x axis, such as 'minutes'
 * @param {{ title: string, unit: string, series: { name: string, points: [number, number][] }[] }[]} chart.panels
 * @returns {string} the SVG document
 */
export function lineChart ({ title, subtitle, xLabel, panels }) {
  const width = 820
  const panelHeight = 230
  const left = 64
  const right = 210
  const top = subtitle ? 56 : 40
  const plotWidth = width - left - right
  const plotHeight = panelHeight - 62
  const height = top + panels.length * (panelHeight + 10)
  const out = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">`)
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(`<text x="10" y="22" font-size="16" font-weight="600" fill="#111">${escape(title)}</text>`)
  if (subtitle) out.push(`<text x="10" y="40" fill="#555">${escape(subtitle)}</text>`)
  panels.forEach(function panel (p, index) {
    const y0 = top + index * (panelHeight + 10)
    const plotTop = y0 + 28
    const plotBottom = plotTop + plotHeight
    const xs = p.series.flatMap((s) => s.points.map(([x]) => x))
    const ys = p.series.flatMap((s) => s.points.map(([, y]) => y))
    const xMax = Math.max(1e-9, ...xs)
    const yStep = gridStep(Math.max(1e-9, ...ys) * 1.1)
    const yMax = Math.ceil((Math.max(1e-9, ...ys) * 1.1) / yStep) * yStep
    const sx = (x) => left + (x / xMax) * plotWidth
    const sy = (y) => plotBottom - (y / yMax) * plotHeight
    out.push(`<text x="10" y="${y0 + 16}" font-size="13" font-weight="600" fill="#111">${escape(p.title)}</text>`)
    for (let t = 0; t <= yMax + 1e-9; t += yStep) {
      out.push(`<line x1="${left}" y1="${sy(t).toFixed(1)}" x2="${left + plotWidth}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`)
      out.push(`<text x="${left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#666">${Number(t.toFixed(2))}</text>`)
    }
    const xStep = gridStep(xMax)
    for (let t = 0; t <= xMax + 1e-9; t += xStep) {
      out.push(`<text x="${sx(t).toFixed(1)}" y="${plotBottom + 14}" text-anchor="middle" fill="#666">${Number(t.toFixed(2))}</text>`)
    }
    out.push(`<text x="${left + plotWidth / 2}" y="${plotBottom + 28}" text-anchor="middle" fill="#444">${escape(xLabel)}</text>`)
    out.push(`<text x="14" y="${(plotTop + plotBottom) / 2}" fill="#444" transform="rotate(-90 14 ${(plotTop + plotBottom) / 2})" text-anchor="middle">${escape(p.unit)}</text>`)
    out.push(`<line x1="${left}" y1="${plotBottom}" x2="${left + plotWidth}" y2="${plotBottom}" stroke="#999"/>`)
    p.series.forEach(function line (s, i) {
      const stroke = PALETTE.concat(['#d1495b', '#2e2e2e'])[(i + 4) % 6]
      const d = s.points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')
      out.push(`<path d="${d}" fill="none" stroke="${stroke}" stroke-width="1.6"><title>${escape(s.name)}</title></path>`)
      const ly = plotTop + 6 + i * 16
      out.push(`<rect x="${left + plotWidth + 12}" y="${ly - 8}" width="10" height="10" fill="${stroke}"/>`)
      out.push(`<text x="${left + plotWidth + 26}" y="${ly + 1}" fill="#222">${escape(s.name)}</text>`)
    })
  })
  out.push('</svg>')
  return out.join('\n')
}

/** A round grid step (1, 2, 2.5 or 5 times a power of ten) giving about six lines up to `max`. */
function gridStep (max) {
  const raw = max / 6
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)))
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * magnitude >= raw) return m * magnitude
  }
  return 10 * magnitude
}
