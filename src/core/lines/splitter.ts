import { checkLine, MAX_LINE_LENGTH, preview, tooLong, type LineItem } from './line';
import { firstInvalidUtf8 } from './utf8';

const LF = 0x0a;
const CR = 0x0d;
/** UTF-8 takes at most 3 bytes per UTF-16 unit, so more bytes than this is surely too long. */
const MAX_LINE_BYTES = MAX_LINE_LENGTH * 3 + 1;

/**
 * Splits bytes that arrive in chunks of any size into numbered lines, ended
 * by LF, CRLF or a lone CR (old Mac files) alike. Line
 * numbers and multi-byte characters survive chunk boundaries because a line is
 * decoded only once its newline has arrived. A line too long is dropped as it
 * streams in (memory stays bounded) and reported once its newline comes.
 */
export class LineSplitter {
  private chunks: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line seen so far, counted even once dropped. */
  private seenBytes = 0;
  private overflowing = false;
  private overflowPreview = '';
  private lineNo = 0;
  private ended = false;
  /** The last byte pushed was a CR that ended a line (a CRLF may straddle two chunks). */
  private afterCr = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lossy = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(readonly source: string) {}

  /** Lines completed so far (the number of the last line returned). */
  get linesRead(): number {
    return this.lineNo;
  }

  push(bytes: Uint8Array): LineItem[] {
    const items: LineItem[] = [];
    if (this.ended || bytes.length === 0) return items;
    let start = 0;
    // The last chunk ended with a CR: an LF starting this one is the same line end.
    if (this.afterCr) {
      this.afterCr = false;
      if (bytes[0] === LF) start = 1;
    }
    // Next CR and LF at or after `start` (each found once, so a long text is scanned once per kind).
    let cr = bytes.indexOf(CR, start);
    let lf = bytes.indexOf(LF, start);
    for (;;) {
      if (cr >= 0 && cr < start) cr = bytes.indexOf(CR, start);
      if (lf >= 0 && lf < start) lf = bytes.indexOf(LF, start);
      const eol = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (eol < 0) {
        this.append(bytes.subarray(start));
        return items;
      }
      this.append(bytes.subarray(start, eol));
      items.push(this.finishLine());
      start = eol + 1;
      if (bytes[eol] === CR) {
        if (start === bytes.length) this.afterCr = true;
        else if (bytes[start] === LF) start++;
      }
    }
  }

  /** The input is over: a last line without a newline is returned too. */
  end(): LineItem[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.seenBytes === 0 || this.onlyBom()) return [];
    return [this.finishLine()];
  }

  /** A text that is nothing but a BOM has no lines. */
  private onlyBom(): boolean {
    if (this.lineNo !== 0 || this.overflowing || this.pendingBytes !== 3) return false;
    const b = this.concat();
    return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  }

  private append(part: Uint8Array): void {
    if (part.length === 0) return;
    this.seenBytes += part.length;
    if (this.overflowing) return;
    if (this.pendingBytes + part.length > MAX_LINE_BYTES) {
      const head = this.pendingBytes > 0 ? this.concat() : part;
      this.overflowPreview = preview(this.lossy.decode(head.subarray(0, 240)));
      this.overflowing = true;
      this.chunks = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the caller may reuse its buffer.
    this.chunks.push(part.slice());
    this.pendingBytes += part.length;
  }

  private concat(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0];
    const all = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }

  private finishLine(): LineItem {
    const line = ++this.lineNo;
    const overflowing = this.overflowing;
    const shown = this.overflowPreview;
    let bytes = overflowing ? new Uint8Array(0) : this.concat();
    this.chunks = [];
    this.pendingBytes = 0;
    this.seenBytes = 0;
    this.overflowing = false;
    this.overflowPreview = '';
    if (overflowing) return tooLong(this.source, line, null, shown);
    if (line === 1 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return this.invalid(line, bytes);
    }
    return checkLine(this.source, line, text);
  }

  private invalid(line: number, bytes: Uint8Array): LineItem {
    let at = firstInvalidUtf8(bytes);
    if (at < 0) at = 0; // the decoder disagreed with us; point at the line
    const col = this.lossy.decode(bytes.subarray(0, at)).length + 1;
    const found = `byte 0x${bytes[at]?.toString(16).padStart(2, '0').toUpperCase() ?? '??'}`;
    return {
      kind: 'error',
      line,
      preview: preview(this.lossy.decode(bytes)),
      diagnostic: {
        source: this.source,
        line,
        col,
        endCol: col + 1,
        message: `invalid UTF-8: expected UTF-8 text, found ${found}`,
        found,
        expected: 'UTF-8 text',
        hint: 'save the file as UTF-8',
      },
    };
  }
}
