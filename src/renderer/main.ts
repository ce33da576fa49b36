/** Entry point of the renderer page (Electron window or web mode's page). */
import '@xterm/xterm/css/xterm.css';
import './styles.css';
import './editor/editor.css';
import { App } from './app';
import { defaultTransport, type Transport } from './transport';

declare global {
  interface Window {
    /** Set by a test page before this script runs, to drive the app with a fake host. */
    __corotoneTransport?: Transport;
    /** The running app, for the e2e tests and for poking at in DevTools. */
    __corotone?: App;
  }
}

const app = new App(window.__corotoneTransport ?? defaultTransport());
window.__corotone = app;
