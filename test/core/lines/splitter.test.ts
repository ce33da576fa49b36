import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, LineSplitter, MAX_LINE_LENGTH, splitText, type LineItem } from '../../../src/core/lines';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Feeds `bytes` in chunks cut at `cuts` and returns every item, end included. */
function split(bytes: Uint8Array, cuts: number[] = []): LineItem[] {
  const splitter = new LineSplitter('in.txt');
  const items: LineItem[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    items.push(...splitter.push(bytes.subarray(from, cut)));
    from = cut;
  }
  items.push(...splitter.push(bytes.subarray(from)));
  items.push(...splitter.end());
  return items;
}

const summary = (items: LineItem[]) =>
  items.map((i) => (i.kind === 'line' ? `${i.line}:${i.text}` : `${i.line}!${i.diagnostic.col}:${i.diagnostic.message}`));

describe('LineSplitter', () => {
  it('accepts CRLF and LF, drops a leading BOM, keeps blank lines numbered', () => {
    const bytes = concat([0xef, 0xbb, 0xbf], utf8('add 60\r\n\r\n# comment\nwait 1\n\nchord 1 F#4'));
    expect(summary(split(bytes))).toEqual(['1:add 60', '2:', '3:# comment', '4:wait 1', '5:', '6:chord 1 F#4']);
  });

  it('gives the same lines whatever the chunking, BOM and multi-byte characters included', () => {
    const bytes = concat([0xef, 0xbb, 0xbf], utf8('add 60\r\nbeep C5 # é ✓ 𝄞\r\n\nwait 2\n'));
    const whole = summary(split(bytes));
    expect(whole).toEqual(['1:add 60', '2:beep C5 # é ✓ 𝄞', '3:', '4:wait 2']);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) expect(summary(split(bytes, [a, b]))).toEqual(whole);
    }
  });

  it('accepts lone CR line endings (old Mac files) as well as LF and CRLF, mixed', () => {
    const bytes = utf8('add 60\rwait 1\r\rbeep 72\r\nrest 1\nchord 1 F#4\r');
    const expected = ['1:add 60', '2:wait 1', '3:', '4:beep 72', '5:rest 1', '6:chord 1 F#4'];
    expect(summary(split(bytes))).toEqual(expected);
    expect(summary(splitText('in.txt', 'add 60\rwait 1\r\rbeep 72\r\nrest 1\nchord 1 F#4\r'))).toEqual(expected);
  });

  it('reads a CR at the end of one chunk and an LF at the start of the next as one line end', () => {
    const bytes = utf8('add 60\r\nwait 1\r\n\rbeep 72');
    const expected = ['1:add 60', '2:wait 1', '3:', '4:beep 72'];
    for (let cut = 0; cut <= bytes.length; cut++) expect(summary(split(bytes, [cut]))).toEqual(expected);
    // Chunks of one byte each.
    expect(summary(split(bytes, [...bytes.keys()]))).toEqual(expected);
  });

  it('keeps only a BOM at the very start; one later in the text is text', () => {
    const items = split(concat(utf8('add 60\n'), [0xef, 0xbb, 0xbf], utf8('add 61\n')));
    expect(items[1]).toEqual({ kind: 'line', line: 2, text: '\ufeffadd 61' });
  });

  it('reports invalid UTF-8 at its column, even when the bad sequence straddles chunks, and goes on', () => {
    // "chord 1 é" then a truncated 3-byte sequence, then a good line.
    const bytes = concat(utf8('add 60\nchord 1 é'), [0xe2, 0x82], utf8(' 72\nwait 1\n'));
    const expected = ['1:add 60', '2!10:invalid UTF-8: expected UTF-8 text, found byte 0xE2', '3:wait 1'];
    for (let cut = 0; cut <= bytes.length; cut++) expect(summary(split(bytes, [cut]))).toEqual(expected);
  });

  it('reports a NUL byte at its column', () => {
    const items = split(utf8('add 60\nwa\0it 1\nwait 2'));
    expect(items[1]).toMatchObject({ kind: 'error', line: 2, diagnostic: { source: 'in.txt', line: 2, col: 3, message: 'expected text, found a NUL byte' } });
    expect(items[2]).toEqual({ kind: 'line', line: 3, text: 'wait 2' });
  });

  it('reports a line over the limit, drops it as it streams in, and keeps counting lines', () => {
    const splitter = new LineSplitter('in.txt');
    const items = [...splitter.push(utf8('add 60\n'))];
    const block = new Uint8Array(64 * 1024).fill(0x61);
    for (let i = 0; i < 64; i++) items.push(...splitter.push(block)); // 4 MiB on one line
    items.push(...splitter.push(utf8('\nwait 1\n')), ...splitter.end());
    expect(items.map((i) => i.line)).toEqual([1, 2, 3]);
    expect(items[1]).toMatchObject({ kind: 'error', diagnostic: { line: 2, col: MAX_LINE_LENGTH + 1 } });
    expect(items[1].kind === 'error' && items[1].diagnostic.message).toMatch(/line too long: expected at most 4096 characters/);
    expect(items[2]).toEqual({ kind: 'line', line: 3, text: 'wait 1' });
  });

  it('accepts a line of exactly the limit and refuses one more character', () => {
    const ok = 'a'.repeat(MAX_LINE_LENGTH);
    const items = split(utf8(`${ok}\n${ok}b\n`));
    expect(items[0]).toEqual({ kind: 'line', line: 1, text: ok });
    expect(items[1]).toMatchObject({ kind: 'error', line: 2, diagnostic: { col: MAX_LINE_LENGTH + 1, found: '4097 characters' } });
  });

  it('never throws, numbers lines 1..n, and does not depend on chunking (any bytes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 5 }), (bytes, cuts) => {
        const whole = split(bytes);
        const chunked = split(bytes, cuts.map((c) => c % (bytes.length + 1)));
        expect(chunked).toEqual(whole);
        expect(whole.map((i) => i.line)).toEqual(whole.map((_, k) => k + 1));
        for (const item of whole) {
          if (item.kind === 'error') expect(item.diagnostic.col).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('agrees with a fatal TextDecoder on what is valid UTF-8', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          decoder.decode(bytes);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(bytes) < 0).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('splitText', () => {
  it('splits a whole script the way the byte splitter does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '#', '\ufeff', 'é', '\0', ';') }), (text) => {
        expect(splitText('in.txt', text)).toEqual(split(utf8(text)));
      }),
    );
  });

  it('has no line for an empty text and none after a final newline', () => {
    expect(splitText('x', '')).toEqual([]);
    expect(splitText('x', 'add 60\n').map((i) => i.line)).toEqual([1]);
    expect(splitText('x', 'add 60\n\n').map((i) => i.line)).toEqual([1, 2]);
  });
});
