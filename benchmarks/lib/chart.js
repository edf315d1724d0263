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
 * @param {{ title: string, target?: number, value: (group: number, peer: string) => number|null|'broken' }[]} chart.panels
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
    const max = Math.max(1.25, (p.target ?? 0) * 1.1, ...numbers.map((v) => v * 1.05))
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
    if (p.target !== undefined) {
      const t = plotX + scale(p.target)
      out.push(`<line x1="${t.toFixed(1)}" y1="${plotTop - 6}" x2="${t.toFixed(1)}" y2="${plotBottom}" stroke="#d1495b" stroke-width="1.2" stroke-dasharray="4 3"/>`)
      out.push(`<text x="${(t + 3).toFixed(1)}" y="${plotTop - 8}" fill="#d1495b">target ${p.target}</text>`)
    }
  })

  out.push('</svg>')
  return out.join('\n') + '\n'
}
