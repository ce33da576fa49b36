/**
 * Validation at every boundary: each side parses what it receives with these
 * functions. They return a {@link Result} and never throw, whatever the input.
 */
import * as v from 'valibot';
import { LIMITS } from './limits';
import {
  HostFrameSchema,
  HostMessageSchema,
  HostReplySchema,
  REQUESTS,
  RendererRequestSchema,
  type HostError,
  type HostFrame,
  type HostMessage,
  type HostReply,
  type RendererRequest,
  type ReplyOf,
  type RequestType,
} from './messages';
import { fail, ok, type ProtocolIssue, type Result } from './result';
import { SessionEventSchema, SessionSnapshotSchema } from './schemas';
import type { SessionEvent, SessionSnapshot } from '../core/session/api';

function check<T>(schema: v.GenericSchema<unknown, T>, input: unknown, what: string): Result<T> {
  try {
    const result = v.safeParse(schema, input);
    if (result.success) return ok(result.output);
    const issues = result.issues.slice(0, 10).map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    return fail({ message: `invalid ${what}: ${issues[0]}`, issues });
  } catch (error) {
    // A hostile object (a throwing getter, a Proxy) must not take the host down.
    return fail({ message: `invalid ${what}: ${error instanceof Error ? error.message : String(error)}`, issues: [] });
  }
}

/** Parse JSON text (a WebSocket frame). Refuses frames longer than `maxLength` characters. */
export function parseJson(text: unknown, maxLength: number = LIMITS.frameBytes): Result<unknown> {
  if (typeof text !== 'string') return fail({ message: 'invalid frame: expected text', issues: [] });
  if (text.length > maxLength) return fail({ message: `invalid frame: longer than ${maxLength} characters`, issues: [] });
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return fail({ message: `invalid frame: not JSON (${error instanceof Error ? error.message : String(error)})`, issues: [] });
  }
}

/**
 * Host side: validate a request from a renderer. On failure the error carries
 * the request's `id` when one could be read, so the host can still reply.
 */
export function parseRendererRequest(input: unknown): Result<RendererRequest, ProtocolIssue & { id: number | null }> {
  const result = check(RendererRequestSchema, input, 'request');
  if (result.ok) return result;
  return fail({ ...result.error, id: readId(input) });
}

/** Alias of {@link parseRendererRequest} under the "validate" name. */
export const validateRendererRequest = parseRendererRequest;

/** Renderer side: validate a message pushed by the host. */
export function parseHostMessage(input: unknown): Result<HostMessage> {
  return check(HostMessageSchema, input, 'host message');
}

/** Renderer side (web mode): validate any frame from the host's socket: a pushed message or a reply. */
export function parseHostFrame(input: unknown): Result<HostFrame> {
  return check(HostFrameSchema, input, 'host frame') as Result<HostFrame>;
}

/** Renderer side: validate a reply to a request of `type`, including its value's shape. */
export function parseReply<K extends RequestType>(type: K, input: unknown): Result<ReplyOf<K>> {
  const reply = check(HostReplySchema, input, `reply to ${type}`);
  if (!reply.ok) return reply;
  if (!reply.value.ok) return ok({ ok: false, error: reply.value.error });
  const value = check(REQUESTS[type].result as v.GenericSchema, reply.value.value, `reply to ${type}`);
  if (!value.ok) return value;
  return ok({ ok: true, value: value.value } as ReplyOf<K>);
}

export function parseSessionEvent(input: unknown): Result<SessionEvent> {
  return check(SessionEventSchema, input, 'session event');
}

export function parseSessionSnapshot(input: unknown): Result<SessionSnapshot> {
  return check(SessionSnapshotSchema, input, 'snapshot');
}

/** Build the reply to request `id`. */
export function replyOk(id: number | null, value: unknown): HostReply {
  return { type: 'reply', id, ok: true, value };
}

export function replyError(id: number | null, error: HostError): HostReply {
  return { type: 'reply', id, ok: false, error };
}

function readId(input: unknown): number | null {
  try {
    if (typeof input !== 'object' || input === null) return null;
    const id = (input as { id?: unknown }).id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
  } catch {
    return null;
  }
}
