/**
 * What a simulation run counts: per transaction code (infno) a latency histogram and the number of refusals;
 * refusals by their err_msg (infcode -1) or transport failure; flows completed and failed by kind. One Recorder per
 * run, shared by its workers (single-threaded, so no locking).
 */
import { LatencyHistogram, type LatencySummary } from './latency.js';

export type FlowKind = 'outpatient' | 'inpatient';

export interface TxStats extends LatencySummary {
  infno: string;
  errors: number;
}

export interface RunCounts {
  flows: Record<FlowKind, { done: number; failed: number }>;
  /** Reversals (2208) done inside outpatient flows. */
  reversals: number;
  transactions: TxStats[];
  errors: { message: string; count: number }[];
}

export class Recorder {
  private readonly byInfno = new Map<string, { hist: LatencyHistogram; errors: number }>();
  private readonly errors = new Map<string, number>();
  readonly flows: Record<FlowKind, { done: number; failed: number }> = { outpatient: { done: 0, failed: 0 }, inpatient: { done: 0, failed: 0 } };
  reversals = 0;

  /** One transaction: its latency in ms and its err_msg (null when infcode was 0). */
  call(infno: string, ms: number, errMsg: string | null): void {
    let s = this.byInfno.get(infno);
    if (!s) this.byInfno.set(infno, (s = { hist: new LatencyHistogram(), errors: 0 }));
    s.hist.record(ms);
    if (errMsg !== null) {
      s.errors++;
      // the same refusal differs only by ids (mdtrt_id, setl_id …): count them together with the ids masked
      const key = `${infno}：${errMsg.replace(/[A-Z]?\d{6,}/g, '…').slice(0, 200)}`;
      this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    }
  }

  flow(kind: FlowKind, ok: boolean): void {
    this.flows[kind][ok ? 'done' : 'failed']++;
  }

  get calls(): number {
    let n = 0;
    for (const s of this.byInfno.values()) n += s.hist.count;
    return n;
  }

  counts(): RunCounts {
    return {
      flows: { outpatient: { ...this.flows.outpatient }, inpatient: { ...this.flows.inpatient } },
      reversals: this.reversals,
      transactions: [...this.byInfno.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([infno, s]) => ({ infno, ...s.hist.summary(), errors: s.errors })),
      errors: [...this.errors.entries()].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
    };
  }
}
