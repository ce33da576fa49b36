/**
 * The API a renderer uses, the same over both transports: Electron's preload
 * exposes it as `window.corotone` (via contextBridge) and web mode builds it
 * over a WebSocket ({@link connectWebSocket}). Every method returns a promise
 * of a result object; none rejects.
 *
 *   const api = window.corotone ?? connectWebSocket(...).api;
 *   const off = api.onHostMessage((m) => { if (m.type === 'events') ... });
 *   await api.requestSnapshot();          // the snapshot arrives via onHostMessage
 *   const r = await api.submitLine({ line: 'add 60' });
 */
import type { HostError, HostMessage, ParamsOf, ReplyOf, RequestType } from './messages';

/** Method name → request type. The API has exactly these methods plus {@link CorotoneApi.onHostMessage}. */
export const API_METHODS = {
  submitLine: 'submit-line',
  loadScript: 'load-script',
  stopSource: 'stop-source',
  interruptSource: 'interrupt-source',
  cancelTask: 'cancel-task',
  stopAll: 'stop-all',
  panic: 'panic',
  requestSnapshot: 'get-snapshot',
  exportAudio: 'export-audio',
  cancelExport: 'cancel-export',
  saveSession: 'save-session',
  listExamples: 'list-examples',
  loadExample: 'load-example',
  setSpeed: 'set-speed',
  setPaused: 'set-paused',
  setOsc: 'set-osc',
  step: 'step',
  inspect: 'inspect',
  explore: 'explore',
  replayFrom: 'replay-from',
  addSample: 'add-sample',
  getSample: 'get-sample',
} as const satisfies Record<string, RequestType>;

export type ApiMethodName = keyof typeof API_METHODS;

type Assert<T extends true> = T;
/** Compiles only while every request type has an API method (a new request needs one here too). */
export type EveryRequestHasAMethod = Assert<[Exclude<RequestType, (typeof API_METHODS)[ApiMethodName]>] extends [never] ? true : false>;

/** A playback speed the host accepts (1, 1/2, 1/4). */
export type Speed = ParamsOf<'set-speed'>['speed'];
export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethodName[];

/** Listener of host messages; it gets validated messages only. */
export type HostMessageListener = (message: HostMessage) => void;

export type CorotoneApi = {
  readonly [M in ApiMethodName]: (
    // Optional when every parameter is (stopAll(), exportAudio()).
    ...params: {} extends ParamsOf<(typeof API_METHODS)[M]>
      ? [params?: ParamsOf<(typeof API_METHODS)[M]>]
      : [params: ParamsOf<(typeof API_METHODS)[M]>]
  ) => Promise<ReplyOf<(typeof API_METHODS)[M]>>;
} & {
  /** Listen to pushed host messages (event batches, snapshots, notices). Returns an unsubscribe function. */
  readonly onHostMessage: (listener: HostMessageListener) => () => void;
};

/** Every key the API object has: the method names and `onHostMessage`. */
export const API_KEYS = [...API_METHOD_NAMES, 'onHostMessage'] as const;

/** A failed reply made on the renderer's side (the host never answered or answered garbage). */
export function localError(message: string, code: HostError['code'] = 'failed'): { ok: false; error: HostError } {
  return { ok: false, error: { code, message } };
}
