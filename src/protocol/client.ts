/**
 * Builds a {@link CorotoneApi} over any transport. The transport moves raw,
 * unvalidated data; this module validates outgoing requests before sending
 * and every reply and host message on arrival (invalid ones are dropped or
 * turned into an `invalid-message` error result).
 */
import { API_METHODS, API_METHOD_NAMES, localError, type CorotoneApi, type HostMessageListener } from './api';
import type { RendererRequest, RequestType } from './messages';
import { parseHostMessage, parseRendererRequest, parseReply } from './validate';

export interface ApiTransport {
  /** Send a request and resolve with the host's raw reply (reject if the transport fails). */
  invoke(request: RendererRequest): Promise<unknown>;
  /** Receive raw pushed host messages. Returns an unsubscribe function. */
  listen(listener: (raw: unknown) => void): () => void;
  /** Called with each host message that failed validation (default: console.warn). */
  onInvalid?: (message: string) => void;
}

export function createApi(transport: ApiTransport): CorotoneApi {
  let nextId = 1;
  const warn = transport.onInvalid ?? ((message: string) => console.warn(`corotone: ${message}`));

  async function call(type: RequestType, params: unknown) {
    const request = parseRendererRequest({ ...(isObject(params) ? params : {}), id: nextId++, type });
    if (!request.ok) return localError(request.error.message, 'invalid-message');
    let raw: unknown;
    try {
      raw = await transport.invoke(request.value);
    } catch (error) {
      return localError(`the host did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    const reply = parseReply(type, raw);
    if (!reply.ok) return localError(reply.error.message, 'invalid-message');
    return reply.value;
  }

  const api: Record<string, unknown> = {};
  for (const name of API_METHOD_NAMES) {
    const type = API_METHODS[name];
    api[name] = (params?: unknown) => call(type, params);
  }
  api.onHostMessage = (listener: HostMessageListener) => {
    if (typeof listener !== 'function') return () => {};
    return transport.listen((raw) => {
      const message = parseHostMessage(raw);
      if (message.ok) listener(message.value);
      else warn(message.error.message);
    });
  };
  return Object.freeze(api) as CorotoneApi;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
