// Turns the runner's measurements into medians, ratios and the markdown report.
import { median, ratio, formatInteger, formatRatio, formatMs } from './stats.js'
import { DEFAULT_TARGET } from '../scenarios.js'

/**
 * One row per (scenario, server): medians over the rounds, and ratios to node:http and to
 * Fastify computed within each round (same moment, same machine load) before taking the median.
 */
export function aggregate (runs, scenarioNames, peers) {
  const rows = []
  for (const scenario of scenarioNames) {
    for (const peer of peers) {
      const own = runs.filter((r) => r.scenario === scenario && r.peer === peer)
      if (own.length === 0) continue
      const broken = own.find((r) => r.broken !== undefined)
      const measured = own.filter((r) => r.broken === undefined)
      const row = {
        scenario,
        peer,
        rounds: measured.length,
        broken: broken?.broken,
        reqPerSec: median(measured.map((r) => r.reqPerSec)),
        reqPerCpu: median(measured.map((r) => r.reqPerCpu)),
        p50: median(measured.map((r) => r.p50)),
        p99: median(measured.map((r) => r.p99)),
        vs: {},
        notes: [...new Set(own.flatMap((r) => r.notes ?? []))]
      }
      for (const baseline of ['node', 'fastify']) {
        const pairs = measured.map(function sameRound (r) {
          const base = runs.find((b) => b.scenario === scenario && b.peer === baseline && b.round === r.round && b.broken === undefined)
          return base === undefined ? null : { reqPerSec: ratio(r.reqPerSec, base.reqPerSec), reqPerCpu: ratio(r.reqPerCpu, base.reqPerCpu) }
        }).filter(Boolean)
        row.vs[baseline] = {
          reqPerSec: median(pairs.map((p) => p.reqPerSec)),
          reqPerCpu: median(pairs.map((p) => p.reqPerCpu))
        }
      }
      rows.push(row)
    }
  }
  return rows
}

/** The results table: medians and ratios per scenario and server. */
export function resultsTable (rows, scenarios) {
  const lines = [
    '| scenario | server | req/s | ÷ node | ÷ fastify | req per CPU-s | ÷ node | ÷ fastify | p50 ms | p99 ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  let last = null
  for (const row of rows) {
    const scenario = row.scenario === last ? '' : scenarios[row.scenario].title
    last = row.scenario
    const server = row.peer === 'velox' ? '**velox**' : row.peer
    if (row.broken !== undefined && row.rounds === 0) {
      lines.push(`| ${scenario} | ${server} | broken: ${cell(clip(row.broken))} | | | | | | | |`)
      continue
    }
    lines.push(`| ${scenario} | ${server} | ${formatInteger(row.reqPerSec)} | ${formatRatio(row.vs.node.reqPerSec)} | ` +
      `${formatRatio(row.vs.fastify.reqPerSec)} | ${formatInteger(row.reqPerCpu)} | ${formatRatio(row.vs.node.reqPerCpu)} | ` +
      `${formatRatio(row.vs.fastify.reqPerCpu)} | ${formatMs(row.p50)} | ${formatMs(row.p99)} |`)
  }
  return lines.join('\n')
}

/** Velox against each scenario's target (issues 8 and 15): one line each, met or not. */
export function targetLines (rows, scenarios) {
  const velox = rows.filter((r) => r.peer === 'velox')
  if (velox.length === 0) return ['- Velox was not part of this run.']
  const lines = []
  for (const row of velox) {
    const title = scenarios[row.scenario].title
    if (row.rounds === 0) {
      lines.push(`- ${title}: ❌ Velox broken (${clip(row.broken)})`)
      continue
    }
    const cpu = row.vs.fastify.reqPerCpu
    const target = scenarios[row.scenario].target ?? DEFAULT_TARGET
    lines.push(`- ${title}: requests per CPU-second ${formatRatio(cpu)}× Fastify's (target ≥ ${target.toFixed(2)}) ${mark(cpu, target)}`)
    if (row.scenario === 's1' || row.scenario === 's1-np') {
      const rps = row.vs.node.reqPerSec
      const rpc = row.vs.node.reqPerCpu
      lines.push(`- ${title}: ${formatRatio(rps)}× node:http's req/s, ${formatRatio(rpc)}× its requests per CPU-second ` +
        `(target ≥ 1.00${row.scenario === 's1-np' ? ', informative: the target is set on pipelined S1' : ''}) ${mark(Math.min(rps ?? 0, rpc ?? 0), 1)}`)
    }
  }
  return lines
}

/** Every round's numbers, to judge the spread behind each median. */
export function roundsTable (runs, scenarios) {
  const lines = [
    '| round | scenario | server | req/s | req per CPU-s | server CPU use | p50 ms | p99 ms | notes |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |'
  ]
  for (const r of runs) {
    if (r.broken !== undefined) {
      lines.push(`| ${r.round} | ${scenarios[r.scenario].title} | ${r.peer} | broken | | | | | ${cell(r.broken)} |`)
      continue
    }
    lines.push(`| ${r.round} | ${scenarios[r.scenario].title} | ${r.peer} | ${formatInteger(r.reqPerSec)} | ` +
      `${formatInteger(r.reqPerCpu)} | ${r.cpuSeconds == null ? '—' : `${Math.round((100 * r.cpuSeconds) / r.duration)} %`} | ${formatMs(r.p50)} | ${formatMs(r.p99)} | ${cell((r.notes ?? []).join('; '))} |`)
  }
  return lines.join('\n')
}

function mark (value, target) {
  if (value === null || value === undefined) return '(no baseline)'
  return value >= target ? '✅' : '❌'
}

function clip (text, length = 110) {
  return text.length > length ? `${text.slice(0, length - 3)}...` : text
}

function cell (text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
}
