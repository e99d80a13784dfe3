// Every metric point received, kept in full (drawing downsamples; the data never does), grouped
// into runs (one per cell run) and, inside a run, series by metric name.
import type { MetricPoint } from '../../engine/trace/trace_format';

export interface Series { steps: number[]; values: number[]; wallTimes: number[] }

export interface Run {
  runId: number;
  label: string;
  /** The name the host gave the run (cell title and start time); `label` may be the user's rename. */
  hostLabel?: string;
  visible: boolean;
  pinned: boolean;
  colour: string;
  series: Map<string, Series>;
  firstWallTime: number;
}

/** Unpinned runs beyond this many are dropped, oldest first, so a long session stays readable. */
export const MAX_UNPINNED_RUNS = 10;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

export interface SavedRun { runId: number; label: string; hostLabel?: string; visible: boolean; pinned: boolean; colour: string; firstWallTime: number; series: Array<[string, Series]> }

export class MetricStore {
  readonly runs = new Map<number, Run>();
  private coloursUsed = 0;

  add(runId: number, points: MetricPoint[], label?: string): void {
    let run = this.runs.get(runId);
    if (!run) {
      run = {
        runId, label: label ?? `run ${runId}`, hostLabel: label, visible: true, pinned: false,
        colour: PALETTE[this.coloursUsed++ % PALETTE.length], series: new Map(), firstWallTime: points[0]?.wallTime ?? 0,
      };
      this.runs.set(runId, run);
      this.evictOldRuns();
    } else if (label && run.hostLabel === undefined) {
      run.label = label;
      run.hostLabel = label;
    }
    for (const p of points) {
      let series = run.series.get(p.name);
      if (!series) {
        series = { steps: [], values: [], wallTimes: [] };
        run.series.set(p.name, series);
      }
      series.steps.push(p.step);
      // JSON carries NaN/Infinity as null; keep it as NaN so the line shows a gap there.
      series.values.push(p.value === null ? NaN : p.value);
      series.wallTimes.push(p.wallTime);
      run.firstWallTime = Math.min(run.firstWallTime, p.wallTime);
    }
  }

  remove(runId: number): void { this.runs.delete(runId); }

  /** Gives a run another id (a restored run whose id a new kernel reuses keeps its data under the new one). */
  rekey(from: number, to: number): void {
    const run = this.runs.get(from);
    if (!run) return;
    this.runs.delete(from);
    run.runId = to;
    this.runs.set(to, run);
  }

  tags(): string[] {
    const tags = new Set<string>();
    for (const run of this.runs.values()) for (const name of run.series.keys()) tags.add(name);
    return [...tags].sort((a, b) => tagRank(a) - tagRank(b) || a.localeCompare(b));
  }

  pointCount(): number {
    let n = 0;
    for (const run of this.runs.values()) for (const s of run.series.values()) n += s.steps.length;
    return n;
  }

  toCsv(): string {
    const rows = ['run,run_label,tag,step,wall_time_ms,value'];
    for (const run of this.runs.values()) {
      for (const [tag, s] of run.series) {
        for (let i = 0; i < s.steps.length; i++) {
          rows.push([run.runId, csvField(run.label), csvField(tag), s.steps[i], s.wallTimes[i], s.values[i]].join(','));
        }
      }
    }
    return `${rows.join('\n')}\n`;
  }

  save(): SavedRun[] {
    return [...this.runs.values()].map((r) => ({
      runId: r.runId, label: r.label, hostLabel: r.hostLabel, visible: r.visible, pinned: r.pinned, colour: r.colour,
      firstWallTime: r.firstWallTime, series: [...r.series],
    }));
  }

  restore(saved: SavedRun[]): void {
    for (const r of saved) this.runs.set(r.runId, { ...r, series: new Map(r.series) });
    this.coloursUsed = saved.length;
  }

  private evictOldRuns(): void {
    const unpinned = [...this.runs.values()].filter((r) => !r.pinned);
    for (const run of unpinned.slice(0, Math.max(0, unpinned.length - MAX_UNPINNED_RUNS))) this.runs.delete(run.runId);
  }
}

/** Loss first, then accuracy, then the rest: what people look at first. */
function tagRank(tag: string): number {
  if (/loss/i.test(tag)) return 0;
  if (/acc/i.test(tag)) return 1;
  return 2;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
