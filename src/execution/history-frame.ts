/**
 * The `previousEventId` cursor of one thread of an execution (the top level, a Parallel
 * branch, a Map worker or iteration). AWS links each event to the last event of the same
 * thread that advanced it; a child thread starts from its parent's cursor and, when it ends,
 * the parent moves to the furthest point either reached.
 */
export class HistoryFrame {
  constructor(
    public source: number,
    public lastPublished: number = source,
  ) {}

  child(): HistoryFrame {
    return new HistoryFrame(this.source);
  }

  integrate(other: HistoryFrame): void {
    if (other.source > this.source) this.source = other.source;
    if (other.lastPublished > this.lastPublished) this.lastPublished = other.lastPublished;
  }
}
