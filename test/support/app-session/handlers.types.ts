/**
 * Type-level tests of the request handler table, checked by
 * `tsc -p tsconfig.node.json` (part of `npm test`): each `@ts-expect-error`
 * must meet an error, or the check fails. A request added to the protocol
 * without a handler fails to compile in the same way.
 */
import type { RequestHandlers } from '../../../src/node/app-session/handlers';
import type { RequestType } from '../../../src/protocol';

declare const complete: RequestHandlers;

// A table without the handler of one request does not compile.
const { 'set-speed': _setSpeed, ...withoutSetSpeed } = complete;
// @ts-expect-error Property ''set-speed'' is missing
export const missingHandler: RequestHandlers = withoutSetSpeed;

// A handler must answer with its own request's result.
export const wrongResult: RequestHandlers = {
  ...complete,
  // @ts-expect-error { stopped } is the reply of stop-source, not of cancel-task
  'cancel-task': () => ({ ok: true, value: { stopped: true } }),
};

// A handler gets its own request's parameters.
export const wrongParams: RequestHandlers = {
  ...complete,
  // @ts-expect-error submit-line has a `line`, not a `text`
  'submit-line': ({ text }) => ({ ok: true, value: { source: text } }),
};

// Every request type is a key of the table, and nothing else is.
type Keys = keyof RequestHandlers;
export const sameKeys: [Keys, RequestType] extends [RequestType, Keys] ? true : false = true;
// @ts-expect-error a request the protocol does not have has no handler
export const unknownRequest: RequestHandlers['eval'] = complete.panic;
