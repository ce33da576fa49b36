/**
 * The page's copy of the session's samples (`sample PATH`): the host decodes
 * every file (a script's, or one dropped on the page) and the page fetches a
 * sample's PCM once, in parts (get-sample), into the core's SampleBank, so the
 * player reads a play of it (its part, at its rate) exactly as the WAV render
 * does. A voice of a sample not fetched yet asks for it and starts when it
 * comes, late by the round trip, from where it would be by then.
 */
import { SampleBank } from '../../core/synth/sample-bank';
import type { SamplePlay } from '../../core/stream/voice';
import type { CorotoneApi } from '../../protocol';

function floatsOf(base64: string): Float32Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}

export class PageSamples {
  private bank = new SampleBank();
  private readonly loading = new Map<string, Promise<boolean>>();
  private api: Pick<CorotoneApi, 'getSample'> | null = null;

  connect(api: Pick<CorotoneApi, 'getSample'>): void {
    this.api = api;
  }

  /** A new session: its samples are its own (an id may name another file now). */
  clear(): void {
    this.bank = new SampleBank();
    this.loading.clear();
  }

  /** A play of sample `play.id` at `sampleRate`, `rate` times as fast, if the page has it. */
  pcm(play: SamplePlay, sampleRate: number, rate = 1): Float32Array | undefined {
    return this.bank.pcm(play, sampleRate, rate);
  }

  /** Fetch sample `id` from the host (once); resolves true once the page has it. */
  fetch(id: string): Promise<boolean> {
    if (this.bank.get(id) !== undefined) return Promise.resolve(true);
    let loading = this.loading.get(id);
    if (loading === undefined) {
      loading = this.load(id);
      this.loading.set(id, loading);
    }
    return loading;
  }

  private async load(id: string): Promise<boolean> {
    const api = this.api;
    if (api === null) return false;
    const parts: Float32Array[] = [];
    let from = 0;
    let frames = 1;
    let sampleRate = 0;
    while (from < frames) {
      const reply = await api.getSample({ sample: id, from });
      if (!reply.ok) return false;
      const part = floatsOf(reply.value.data);
      if (part.length === 0) break;
      parts.push(part);
      ({ frames, sampleRate } = reply.value);
      from += part.length;
    }
    const data = new Float32Array(from);
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.length;
    }
    this.bank.add(null, id, id, { sampleRate, channelData: [data] });
    return true;
  }
}

/** The page's one copy (the player and the drop both use it). */
export const pageSamples = new PageSamples();
