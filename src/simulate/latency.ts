/**
 * Latency recording for the load generator: an HDR-like histogram with logarithmic buckets (each 2 % wide, from
 * 1 µs to 5.5 hours), so that millions of samples take a fixed 1,200 counters and any percentile is read back
 * within 2 % of the true value. Exact count, minimum, maximum and mean are kept beside the buckets.
 * Histograms of several workers merge by adding counters. Owns no I/O.
 */

const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 1200; // 1.02^1200 µs ≈ 2e10 µs ≈ 5.5 hours; longer samples share the last bucket

export class LatencyHistogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sumMs = 0;
  minMs = Infinity;
  maxMs = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = Math.max(1, ms * 1000);
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_GROWTH));
    this.counts[i]!++;
    this.count++;
    this.sumMs += ms;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Adds another histogram's samples to this one. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.minMs = Math.min(this.minMs, other.minMs);
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  /** The latency (ms) at or below which `p` percent of the samples lie; the bucket's upper edge, capped at the maximum. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === BUCKETS - 1 ? this.maxMs : Math.min(this.maxMs, Math.max(this.minMs, GROWTH ** (i + 1) / 1000));
    }
    return this.maxMs;
  }

  get meanMs(): number {
    return this.count ? this.sumMs / this.count : 0;
  }

  /** The summary a report prints: count, mean, p50, p90, p95, p99, p99.9, max (ms, 0.01 ms resolution). */
  summary(): LatencySummary {
    const r = (x: number) => Math.round(x * 100) / 100;
    return {
      count: this.count,
      mean: r(this.meanMs),
      p50: r(this.percentile(50)),
      p90: r(this.percentile(90)),
      p95: r(this.percentile(95)),
      p99: r(this.percentile(99)),
      p999: r(this.percentile(99.9)),
      max: r(this.maxMs),
    };
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}
