/**
 * How `sample PATH` gets its audio without the core touching a file: a host
 * gives the session a loader (src/node/samples: the path rules and the
 * decoder), and loads every sample a script names before the script runs
 * (`preloadSamples`), and a typed line's before the line runs. The decoded
 * samples stay in the session's bank, so each file is decoded once a session;
 * a path the loader refused keeps its reason, which the `sample` line reports
 * where it runs, located (the same error every run).
 */
import type { Diagnostic } from '../language/diagnostics';
import { tokenize } from '../language/tokens';
import { textLines } from '../lines/text';
import { defineSessionSlice, type StateHolder } from '../session/state';
import { SampleBank, type DecodedAudio } from '../synth/sample-bank';

/** Why a loader would not give a file: what it found and what it expected (a located error is made of it). */
export class SampleRefused extends Error {
  constructor(
    message: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(message);
    this.name = 'SampleRefused';
  }
}

/** A host's reader of audio files: `path` as a script in `source` wrote it. Rejects with SampleRefused. */
export interface SampleLoader {
  load(path: string, source: string): Promise<{ id: string; audio: DecodedAudio }>;
}

/** The session's samples: the bank, and each refused `SOURCE\0PATH`'s located reason. */
export const sampleState = defineSessionSlice('samples', () => ({ bank: new SampleBank(), refusals: new Map<string, Diagnostic>() }));

export function samplesOf(holder: StateHolder): { bank: SampleBank; refusals: Map<string, Diagnostic> } {
  return sampleState.of(holder);
}

/** A path a `sample` command names, where it stands. */
export interface SamplePath {
  path: string;
  line: number;
  col: number;
  endCol: number;
}

/** Every path after a `sample` word in a script's text (in bodies, spawns and phrases too). */
export function samplePathsIn(text: string, source = ''): SamplePath[] {
  const found: SamplePath[] = [];
  for (const item of textLines(source, text)) {
    if (item.kind !== 'line' || !/sample/i.test(item.text)) continue;
    const tokens = tokenize(item.text);
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i].text.toLowerCase() !== 'sample') continue;
      const next = tokens[i + 1];
      found.push({ path: next.text, line: item.line, col: next.col, endCol: next.endCol });
    }
  }
  return found;
}

/**
 * Load every sample `text` (source `source`) names that the session does not
 * hold yet, one at a time in the script's order (so ids and errors come in
 * the same order every run). Returns the refusals, located at each path.
 */
export async function preloadSamples(holder: StateHolder, source: string, text: string, loader: SampleLoader): Promise<Diagnostic[]> {
  const { bank, refusals } = samplesOf(holder);
  const problems: Diagnostic[] = [];
  for (const at of samplePathsIn(text, source)) {
    const key = `${source}\0${at.path}`;
    if (bank.find(source, at.path) !== undefined) continue;
    const known = refusals.get(key);
    if (known !== undefined) {
      problems.push({ ...known, line: at.line, col: at.col, endCol: at.endCol });
      continue;
    }
    try {
      const { id, audio } = await loader.load(at.path, source);
      bank.add(source, at.path, id, audio);
    } catch (error) {
      if (!(error instanceof SampleRefused)) throw error;
      const d: Diagnostic = { source, line: at.line, col: at.col, endCol: at.endCol, message: error.message, found: error.found, expected: error.expected };
      refusals.set(key, d);
      problems.push(d);
    }
  }
  return problems;
}
