/**
 * The preload: exposes ONE API, `window.corotone` (the protocol's
 * CorotoneApi), through contextBridge. It is built into a single CommonJS
 * file that requires only `electron` (a sandboxed preload can require nothing
 * else). Requests and host messages are validated here, and listeners get the
 * validated message only, never Electron's event object.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, createApi } from '../protocol';

/** The name the API has on `window`. */
export const API_GLOBAL = 'corotone';

const api = createApi({
  invoke: (request) => ipcRenderer.invoke(CHANNELS.request, request),
  listen(listener) {
    const wrapped = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(CHANNELS.host, wrapped);
    return () => {
      ipcRenderer.removeListener(CHANNELS.host, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld(API_GLOBAL, api);
