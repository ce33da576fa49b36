/**
 * What a renderer's frame must be before the host parses it: JSON.parse of a
 * 16 MB frame of nested `[` held web mode's event loop 0.6–6.6 s, answering
 * nobody. A frame larger than any request can be is not even taken in (the
 * WebSocket server's `maxPayload` closes the socket, 1009); one nested deeper
 * than any request is refused, unparsed, with an `invalid-message` reply.
 */
import { LIMITS, parseJson } from '../../protocol';

/**
 * The largest request: one script of LIMITS.scriptLength UTF-16 units (the
 * largest field of any request), each at most 6 bytes as JSON (`\u001f`),
 * and room for the rest of the request. 6 MiB + 64 KiB.
 */
export const MAX_REQUEST_FRAME_BYTES = LIMITS.scriptLength * 6 + 64 * 1024;

/** Arrays and objects inside each other: a request has 3 levels; this leaves plenty of room. */
export const MAX_FRAME_DEPTH = 32;

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Why the frame is refused before parsing, or null. One pass over the bytes, no decoding. */
export function refuseFrame(bytes: Uint8Array): string | null {
  return depthExceeds(bytes, MAX_FRAME_DEPTH) ? `invalid frame: arrays or objects nested more than ${MAX_FRAME_DEPTH} deep` : null;
}

/**
 * Whether the JSON text's brackets nest deeper than `max`, strings skipped.
 * In UTF-8 no byte of a multi-byte character is ASCII, so bytes are enough.
 */
export function depthExceeds(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** A frame as `ws` hands it over: its JSON value, or why it is refused (one line, for an `invalid-message` reply). */
export function readFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): { ok: true; value: unknown } | { ok: false; message: string } {
  if (isBinary) return { ok: false, message: 'invalid frame: expected text' };
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const refused = refuseFrame(bytes);
  if (refused !== null) return { ok: false, message: refused };
  const json = parseJson(bytes.toString());
  return json.ok ? json : { ok: false, message: json.error.message };
}

/** The host's log line for a socket's error: past maxPayload `ws` closes the socket (1009), and this says why. */
export function describeSocketError(error: Error & { code?: string }): string {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return `corotone web: closed a socket that sent a frame over ${MAX_REQUEST_FRAME_BYTES} bytes, more than any request can be`;
  }
  return `corotone web: socket error: ${error.message}`;
}
