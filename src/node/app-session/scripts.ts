/**
 * The scripts and example lessons a host session plays: a script is checked
 * first, in slices between the host's other work, and plays only without
 * errors (parsed once: what was checked is what plays); the last one that started is the
 * "current script" (what export-audio renders), and the example opened last
 * is shown again to a renderer that reloads.
 */
import { MAX_DIAGNOSTICS, moreDiagnostics } from '../../core/language/diagnostics';
import type { Diagnostic } from '../../core/session/api';
import type { Example, ExampleSummary, HostError } from '../../protocol';
import type { EngineSession, ScriptText } from './engine';
import { readExample, readExampleIndex } from './examples';
import { parseInSlices } from './parse-in-slices';
import type { Views } from './views';

/** What loading a script did: `diagnostics` non-empty means it did not play at all. */
export interface ScriptLoad {
  source: string;
  started: boolean;
  /** Its errors, the first MAX_DIAGNOSTICS of them. */
  diagnostics: Diagnostic[];
  /** Errors past those: counted, not kept. */
  more: number;
}

export interface ExampleLoad extends ScriptLoad {
  example: Example;
}

export interface ScriptHost {
  engine(): EngineSession;
  /** Logical and wall seconds now, to stamp diagnostics found outside the engine. */
  now(): { t: number; wall: number };
  closed(): boolean;
  /** Decode the samples a script names before it plays (app-session/samples.ts). */
  preload?(engine: EngineSession, name: string, text: string): Promise<void>;
}

/** Scripts kept for export by name (each is at most LIMITS.scriptLength). */
const PLAYED_SCRIPTS = 64;

export class Scripts {
  private currentScript: ScriptText | null = null;
  /** The scripts that played, by source name (the newest PLAYED_SCRIPTS of them), for export. */
  private readonly playedScripts = new Map<string, ScriptText>();
  private currentExample: Example | null = null;

  constructor(
    private readonly host: ScriptHost,
    private readonly views: Views,
    /** Folder of the example lessons (with index.json); without it there are none. */
    private readonly examplesDir: string | undefined,
  ) {}

  /** The last script that started playing. */
  /** The script that played as source `name` (the latest load of that name), if it is still kept. */
  played(name: string): ScriptText | null {
    return this.playedScripts.get(name) ?? null;
  }

  get current(): ScriptText | null {
    return this.currentScript;
  }

  /** The example opened last. */
  get example(): Example | null {
    return this.currentExample;
  }

  /**
   * Check a script, and play it as source `name` only if it has no errors: a
   * script with parse errors plays nothing (it would not mean what it says
   * with lines left out); its errors are returned, every one located (the
   * first MAX_DIAGNOSTICS of them, and how many more). It is parsed once, in
   * slices, the host answering other requests meanwhile.
   */
  async load(name: string, text: string): Promise<ScriptLoad> {
    let engine = this.host.engine();
    let script = await this.parse(engine, name, text);
    // quit replaced the session meanwhile: a parse belongs to the session whose phrases it saw.
    while (!this.host.closed() && this.host.engine() !== engine) {
      engine = this.host.engine();
      script = await this.parse(engine, name, text);
    }
    if (script.errorCount > 0) return { source: name, started: false, diagnostics: script.diagnostics, more: script.more };
    if (this.host.closed()) return { source: name, started: false, diagnostics: [], more: 0 };
    // its samples are decoded first, so the core finds them when the lines run (a refusal is an error of its line)
    await this.host.preload?.(engine, name, text);
    if (this.host.closed() || this.host.engine() !== engine) return { source: name, started: false, diagnostics: [], more: 0 };
    const result = engine.loadParsed(script);
    const started = result.taskId !== null;
    if (started) {
      this.currentScript = { name, text };
      this.playedScripts.delete(name);
      this.playedScripts.set(name, this.currentScript);
      if (this.playedScripts.size > PLAYED_SCRIPTS) this.playedScripts.delete(this.playedScripts.keys().next().value!);
    }
    return { source: name, started, diagnostics: result.diagnostics, more: 0 };
  }

  private async parse(engine: EngineSession, name: string, text: string) {
    const script = engine.parseScript(name, text, { maxDiagnostics: MAX_DIAGNOSTICS, linesOnlyIfClean: true });
    await parseInSlices(script);
    return script;
  }

  /**
   * Load a script for someone who cannot be answered with a reply (the
   * Electron menu's Open Script): its errors, if any, go to every renderer as
   * `diagnostic` events, and a notice says what happened.
   */
  async open(name: string, text: string, what: string): Promise<ScriptLoad> {
    const result = await this.load(name, text);
    if (result.diagnostics.length > 0) {
      this.publishDiagnostics(result.diagnostics);
      this.views.notify('error', notPlayed(name, result.diagnostics, result.more).message);
    } else if (!result.started) this.views.notify('error', `${name}: not played, the session has ended`);
    else this.views.notify('info', what);
    return result;
  }

  /** The example lessons, in the index's order ([] without an examples folder). */
  listExamples(): ExampleSummary[] {
    return this.examplesDir === undefined ? [] : readExampleIndex(this.examplesDir);
  }

  /**
   * Open an example: every renderer is sent its story (an `example` message)
   * and, if `play`, it plays as a script named after its file. Null if there
   * is no such example.
   */
  async loadExample(file: string, play: boolean): Promise<ExampleLoad | null> {
    const example = this.examplesDir === undefined ? null : await readExample(this.examplesDir, file);
    if (example === null || this.host.closed()) return null;
    this.currentExample = example;
    this.views.publish({ type: 'example', example });
    if (!play) return { example, source: example.file, started: false, diagnostics: [], more: 0 };
    return { example, ...(await this.load(example.file, example.text)) };
  }

  /** Diagnostics found outside the engine (a refused script), as events every renderer prints. */
  private publishDiagnostics(diagnostics: Diagnostic[]): void {
    const { t, wall } = this.host.now();
    for (const diagnostic of diagnostics) this.views.push({ type: 'diagnostic', t, wall, diagnostic, taskId: null });
  }
}

/** The error of a script refused for its parse errors (`more` of them not kept). */
export function notPlayed(name: string, diagnostics: Diagnostic[], more = 0): HostError {
  const n = diagnostics.length + more;
  const count = `${n.toLocaleString('en-US')} error${n === 1 ? '' : 's'}`;
  return { code: 'parse-error', message: `${name}: not played, ${count} to fix first${moreDiagnostics(diagnostics.length, more)}`, diagnostics };
}
