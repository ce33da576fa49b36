/**
 * The host's request handlers, as a table with one entry per request of the
 * protocol (src/protocol/messages.ts, REQUESTS). The table's type is mapped
 * over the request types, so a request added to the protocol fails to compile
 * until it has a handler, and each handler's reply is checked against that
 * request's result schema.
 */
import {
  parseRendererRequest,
  replyError,
  replyOk,
  type HostReply,
  type ParamsOf,
  type ReplyOf,
  type RequestType,
} from '../../protocol';
import type { View } from './views';

/** Handles one request of type K: its parameters, and the renderer that sent it (null for the menu). */
export type RequestHandler<K extends RequestType> = (params: ParamsOf<K>, view: View | null) => ReplyOf<K> | Promise<ReplyOf<K>>;

/** One handler for every request type: no more, no fewer. */
export type RequestHandlers = { readonly [K in RequestType]: RequestHandler<K> };

/** Why nothing is handled any more (the window or server closed), or null while requests are handled. */
export type ClosedReason = () => string | null;

/**
 * Run the handler of `type`, turning a throw into a `failed` reply. The menu
 * calls it directly (already typed); {@link handleRaw} calls it after
 * validating a renderer's request.
 */
export async function runRequest<K extends RequestType>(
  handlers: RequestHandlers,
  closed: ClosedReason,
  type: K,
  params: ParamsOf<K>,
  view: View | null,
): Promise<ReplyOf<K>> {
  const reason = closed();
  if (reason !== null) return { ok: false, error: { code: 'session-ended', message: reason } };
  try {
    const handler: RequestHandler<K> = handlers[type];
    return await handler(params, view);
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * Validate one raw request and answer it with its id. An invalid one is
 * answered `invalid-message` and changes nothing. Never throws.
 */
export async function handleRaw(handlers: RequestHandlers, closed: ClosedReason, raw: unknown, view: View | null): Promise<HostReply> {
  const parsed = parseRendererRequest(raw);
  if (!parsed.ok) return replyError(parsed.error.id, { code: 'invalid-message', message: parsed.error.message });
  const { id, type, ...params } = parsed.value;
  const reply = await runRequest(handlers, closed, type, params, view);
  return reply.ok ? replyOk(id, reply.value) : replyError(id, reply.error);
}

