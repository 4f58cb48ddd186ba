/** Summaries of repeated runs and the markdown tables the bench prints (pure). */
import { KIND_ORDER, type ProxyStats } from './proxy-stats.js';

export interface Sample {
  wallMs: number;
  firstOutputMs: number | undefined;
  peakRssKiB: number | undefined;
  cpuMs: number | undefined;
  stats: ProxyStats;
  note: string;
}

export interface Summary {
  runs: number;
  wallMs: { median: number; min: number; max: number };
  firstOutputMs: number | undefined;
  requests: number;
  byKind: Record<string, number>;
  bytesSent: number;
  /** The highest peak over the runs. */
  peakRssKiB: number | undefined;
  /** Median CPU time (user + system) of the tool's process. */
  cpuMs: number | undefined;
  note: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly Sample[]): Summary {
  const walls = samples.map((s) => s.wallMs);
  const kinds = new Set(samples.flatMap((s) => Object.keys(s.stats.byKind)));
  const firsts = samples.map((s) => s.firstOutputMs).filter((v): v is number => v !== undefined);
  const rss = samples.map((s) => s.peakRssKiB).filter((v): v is number => v !== undefined);
  const cpu = samples.map((s) => s.cpuMs).filter((v): v is number => v !== undefined);
  return {
    runs: samples.length,
    wallMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
    firstOutputMs: firsts.length ? median(firsts) : undefined,
    requests: median(samples.map((s) => s.stats.requests)),
    byKind: Object.fromEntries([...kinds].map((k) => [k, median(samples.map((s) => s.stats.byKind[k] ?? 0))])),
    bytesSent: median(samples.map((s) => s.stats.bytesSent)),
    peakRssKiB: rss.length ? Math.max(...rss) : undefined,
    cpuMs: cpu.length ? median(cpu) : undefined,
    note: samples.at(-1)?.note ?? '',
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const whole = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function formatKinds(byKind: Record<string, number>): string {
  const kinds = Object.keys(byKind).sort((a, b) => {
    const ia = KIND_ORDER.indexOf(a);
    const ib = KIND_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return (
    kinds
      .filter((k) => byKind[k]! > 0)
      .map((k) => `${k} ${whole(byKind[k]!)}`)
      .join(', ') || '–'
  );
}

export interface ResultRow {
  scenario: string;
  tool: string;
  summary: Summary;
}

export function resultsTable(rows: readonly ResultRow[]): string {
  const lines = [
    '| scenario | tool | wall s (median) | min–max | CPU s | S3 requests | by method | MB sent | peak RSS MiB | first line ms | notes |',
    '|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const { scenario, tool, summary: s } of rows) {
    lines.push(
      `| ${scenario} | ${tool} | ${seconds(s.wallMs.median)} | ${seconds(s.wallMs.min)}–${seconds(s.wallMs.max)} | ${s.cpuMs === undefined ? '–' : seconds(s.cpuMs)} | ${whole(s.requests)} | ${formatKinds(s.byKind)} | ${mb(s.bytesSent)} | ${s.peakRssKiB === undefined ? '–' : Math.round(s.peakRssKiB / 1024)} | ${s.firstOutputMs === undefined ? '–' : Math.round(s.firstOutputMs)} | ${s.note} |`,
    );
  }
  return lines.join('\n');
}

/**
 * push's wall time over each other tool's, per scenario: the median of the ratios within each run
 * (the tools of one run follow each other, so a change in the machine's load cancels out better
 * than in a ratio of medians), with their range; – where either did not run.
 */
export function ratiosTable(
  scenarios: readonly { id: string; title: string }[],
  samplesOf: (scenario: string, tool: string) => readonly Sample[] | undefined,
  push: string,
  others: readonly { tool: string; label: string }[],
): string {
  const lines = [`| scenario | ${others.map((o) => o.label).join(' | ')} |`, `|---|${others.map(() => '---:').join('|')}|`];
  for (const sc of scenarios) {
    const p = samplesOf(sc.id, push) ?? [];
    const cells = others.map((o) => {
      const other = samplesOf(sc.id, o.tool) ?? [];
      const ratios = p.slice(0, other.length).map((s, i) => s.wallMs / other[i]!.wallMs);
      if (ratios.length === 0) return '–';
      const range = ratios.length > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
      return `${median(ratios).toFixed(2)}${range}`;
    });
    lines.push(`| ${sc.title} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
