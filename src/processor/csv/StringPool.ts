/**
 * One copy of each distinct text an aggregator keeps (names, images, timestamps). The cells of a record can be
 * slices of the text of the chunk they came from (`CsvRecordReader`), and a kept slice keeps that whole chunk alive;
 * the pool keeps its own compact copy instead, shared by every group that names the same thing. Bounded, like the
 * aggregates, by the number of distinct values.
 */
/** A new flat copy of `text` that refers to nothing else (through bytes and back). */
export const ownCopy = (text: string): string => Buffer.from(text, "utf8").toString("utf8")

export class StringPool {
  private readonly pool = new Map<string, string>()

  /** The pooled copy of `text`. */
  get(text: string): string {
    let own = this.pool.get(text)
    if (own === undefined) {
      own = ownCopy(text)
      this.pool.set(own, own)
    }
    return own
  }
}
