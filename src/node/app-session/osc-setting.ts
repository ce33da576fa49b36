/**
 * The app's OSC out (the set-osc request): the session's notes and cues to
 * one UDP address as OSC bundles, as `--osc` sends them (node/osc), on the
 * clock of whichever engine session plays. Web mode sends only to this
 * machine unless it was started with --osc-any-host.
 */
import type { SessionEvent } from '../../core/session/api';
import type { ReplyOf } from '../../protocol';
import { OscHostError, OscOut, readOscTarget, type OscClock } from '../osc/osc-out';

/** The latency OSC bundles are sent ahead by (as the command line's default). */
export const APP_OSC_LATENCY_MS = 100;

export class OscSetting {
  private out: OscOut | null = null;
  private target: string | null = null;

  constructor(
    private readonly loopbackOnly: boolean,
    private readonly clock: () => OscClock,
    warn: (text: string) => void,
  ) {
    this.warn = (text) => warn(`OSC out: ${text}`);
  }

  private readonly warn: (text: string) => void;

  /** Send to `text` (HOST:PORT) from now on, or to nobody (null). */
  async set(text: string | null): Promise<ReplyOf<'set-osc'>> {
    if (text === null) {
      await this.close();
      return { ok: true, value: { target: null } };
    }
    const target = readOscTarget(text.trim());
    if (target === null) return { ok: false, error: { code: 'failed', message: `OSC out takes HOST:PORT, like 127.0.0.1:57120, not "${text}"` } };
    let out: OscOut;
    try {
      out = await OscOut.open(target, { latencyMs: APP_OSC_LATENCY_MS, warn: this.warn, loopbackOnly: this.loopbackOnly });
    } catch (error) {
      if (!(error instanceof OscHostError)) throw error;
      return { ok: false, error: { code: 'failed', message: `OSC out: ${error.message}` } };
    }
    await this.close();
    out.start(this.clock());
    this.out = out;
    this.target = text.trim();
    return { ok: true, value: { target: this.target } };
  }

  /** Every event of the session, in order (a new engine's clock is taken up at its first event). */
  onEvent(event: SessionEvent): void {
    if (this.out === null) return;
    this.out.start(this.clock());
    this.out.onEvent(event);
  }

  async close(): Promise<void> {
    const out = this.out;
    this.out = null;
    this.target = null;
    await out?.close();
  }
}
