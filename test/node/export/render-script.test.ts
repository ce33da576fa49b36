/**
 * The export's own render (renderScriptInThread): a script is parsed once,
 * the parse that found no errors being the one that plays.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { ExportFailure, renderScriptInThread } from '../../../src/node/export/render-script';
import { parseWav } from '../../support/audio';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('exporting a script', () => {
  it('parses it once, and plays what that parse found', () => {
    const parse = vi.spyOn(Session.prototype, 'parseScript');
    const { wav, cut } = renderScriptInThread({ name: 'once.txt', text: 'def riff beep 64 0.25\nriff\nbeep 67 0.25\n' }, 8000);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(cut).toBeNull();
    // Both notes played: the phrase the parse defined, and the line after it.
    const parsed = parseWav(wav);
    expect(parsed.frames / parsed.rate).toBeCloseTo(0.5, 1);
  });

  it('with parse errors parses it once and makes no file', () => {
    const parse = vi.spyOn(Session.prototype, 'parseScript');
    expect(() => renderScriptInThread({ name: 'bad.txt', text: 'beep 60 0.1\nnosuch 1\n' })).toThrow(ExportFailure);
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
