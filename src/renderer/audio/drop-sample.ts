/**
 * An audio file dropped on the page (or opened): sent to the host as
 * add-sample, which decodes it with the same decoder as --wav and keeps it for
 * the session under its name, so `sample NAME` plays it from any script or the
 * terminal. The page fetches its PCM at once, so its first play is on time.
 */
import { LIMITS } from '../../protocol';
import type { Page } from '../page';
import { pageSamples } from './samples';

/** The audio files the app takes in by name. */
export const AUDIO_FILE = /\.(wav|wave|flac|ogg|oga|mp3)$/i;

function base64Of(bytes: Uint8Array): string {
  let text = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) text += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(text);
}

export async function addSample(page: Page, file: File): Promise<void> {
  const { terminal } = page;
  if (file.size > LIMITS.droppedSampleBytes) {
    terminal.notice(`${file.name}: larger than ${LIMITS.droppedSampleBytes / 1024 / 1024} MiB, the largest audio file the app takes in (the command line reads up to 16 MiB: sample PATH in a script)`, true);
    return;
  }
  const reply = await page.api.addSample({ name: file.name, data: base64Of(new Uint8Array(await file.arrayBuffer())) });
  if (!reply.ok) {
    terminal.notice(reply.error.message, true);
    return;
  }
  await pageSamples.fetch(reply.value.id);
  terminal.success(`${file.name}: ${reply.value.seconds.toFixed(2)} s, ready: sample ${file.name}`);
}
