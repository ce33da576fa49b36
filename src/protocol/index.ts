/**
 * The protocol between the engine host (Electron main, web mode) and the
 * renderer: channel names, message schemas and types, validation, and the
 * renderer's API over either transport.
 */
export * from './api';
export * from './channels';
export * from './client';
export * from './inspector';
export * from './limits';
export * from './messages';
export * from './result';
export * from './schemas';
export * from './validate';
export * from './websocket-client';
export type { Diagnostic, SessionEvent, SessionSnapshot } from '../core/session/api';
