/**
 * A reply carries at most MAX_REPLY_DIAGNOSTICS diagnostics; its message says
 * how many more there were. A 4.4 MB script of errors once made a 139.7 MB
 * reply; the first errors are what a user fixes first anyway.
 */
import { MAX_DIAGNOSTICS } from '../../core/language/diagnostics';
import type { HostReply } from '../../protocol';

/** The one cap on diagnostics shown (core's), so a reply, a load and the CLI show the same first errors. */
export const MAX_REPLY_DIAGNOSTICS = MAX_DIAGNOSTICS;

export function capReplyDiagnostics(reply: HostReply, max = MAX_REPLY_DIAGNOSTICS): HostReply {
  if (reply.ok) {
    const value = reply.value as { diagnostics?: unknown[] } | null;
    if (value === null || typeof value !== 'object' || !Array.isArray(value.diagnostics) || value.diagnostics.length <= max) return reply;
    return { ...reply, value: { ...value, diagnostics: value.diagnostics.slice(0, max) } };
  }
  const { diagnostics } = reply.error;
  if (diagnostics === undefined || diagnostics.length <= max) return reply;
  const more = diagnostics.length - max;
  return {
    ...reply,
    error: { ...reply.error, message: `${reply.error.message} (the first ${max} shown, and ${more.toLocaleString('en-US')} more)`, diagnostics: diagnostics.slice(0, max) },
  };
}
