// Output written in pieces of about 64 kB as it is produced (generate's text, forecast's rows),
// so a long result never sits whole in memory. stdout writes are synchronous for files and
// pipes on Linux, so nothing piles up in a stream's buffer either.
export class Sink {
  private buf = "";
  constructor(private readonly write: (text: string) => void, private readonly piece = 65536) {}
  push(s: string): void { this.buf += s; if (this.buf.length >= this.piece) this.flush(); }
  flush(): void { if (this.buf) { this.write(this.buf); this.buf = ""; } }
}
