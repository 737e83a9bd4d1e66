// A small live chart of messages per second on a canvas, no library (issue #14): one bar per sample.
const SAMPLES = 60;

export class RateChart {
  private readonly samples: number[] = [];
  private last?: { at: number; total: number };

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Takes the running message total; returns messages per second since the previous one (0 for the first). */
  push(total: number, at: number = performance.now()): number {
    const prev = this.last;
    this.last = { at, total };
    const rate = prev && at > prev.at ? Math.max(0, ((total - prev.total) * 1000) / (at - prev.at)) : 0;
    this.samples.push(rate);
    if (this.samples.length > SAMPLES) this.samples.shift();
    this.draw();
    return rate;
  }

  private draw(): void {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    c.width = Math.round(w * ratio);
    c.height = Math.round(h * ratio);
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.clearRect(0, 0, w, h);
    const top = Math.max(1, ...this.samples);
    const bar = w / SAMPLES;
    g.fillStyle = '#2563eb';
    this.samples.forEach((v, i) => {
      const bh = (v / top) * (h - 14);
      g.fillRect((SAMPLES - this.samples.length + i) * bar, h - bh, Math.max(1, bar - 1), bh);
    });
    g.fillStyle = '#65707c';
    g.font = '11px system-ui, sans-serif';
    g.fillText(`max ${top.toFixed(top < 10 ? 1 : 0)}/s, last ${SAMPLES} s`, 4, 11);
  }
}
