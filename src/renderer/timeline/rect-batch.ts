/**
 * Rectangles to fill, gathered per colour. A rectangle that continues the
 * last one of its row (same top and height, touching or overlapping) extends
 * it instead: a row of back-to-back tasks becomes one rectangle per colour run,
 * and all of one colour are filled with one path.
 */
export class RectBatch {
  data = new Float32Array(4096);
  count = 0;
  /** Per row top: index of the row's last rectangle. */
  private lastInRow = new Map<number, number>();

  push(x: number, y: number, w: number, h: number): void {
    const prev = this.lastInRow.get(y);
    if (prev !== undefined) {
      const d = this.data;
      const i = prev * 4;
      const end = d[i] + d[i + 2];
      if (d[i + 3] === h && x <= end + 0.5 && x >= d[i] - 0.5) {
        d[i + 2] = Math.max(end, x + w) - d[i];
        return;
      }
    }
    if (this.count * 4 + 4 > this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const i = this.count * 4;
    this.data[i] = x;
    this.data[i + 1] = y;
    this.data[i + 2] = w;
    this.data[i + 3] = h;
    this.lastInRow.set(y, this.count);
    this.count++;
  }

  fill(ctx: CanvasRenderingContext2D, colour: string): void {
    this.lastInRow.clear();
    if (this.count === 0) return;
    ctx.fillStyle = colour;
    ctx.beginPath();
    const d = this.data;
    for (let i = 0; i < this.count * 4; i += 4) ctx.rect(d[i], d[i + 1], d[i + 2], d[i + 3]);
    ctx.fill();
    this.count = 0;
  }

  /** Rectangles gathered since the last fill (after merging). */
  get size(): number {
    return this.count;
  }
}
