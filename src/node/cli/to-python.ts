import { builtinCommands } from '../../core/commands';
import { toPython } from '../../core/python';
import { SessionState } from '../../core/session/state';
import { preloadScriptSamples } from '../samples/preload';
import { escapeControl } from '../../core/text';
import { FileWriteError } from '../files/atomic-write';
import { writeOutputFile } from '../files/output-file';
import type { ScriptFile } from './inputs';

/**
 * `corotone SCRIPT --to-python OUT.py`: write the script as a Python asyncio
 * program. What has no faithful asyncio form is a marked comment in the
 * program, and a warning here. Returns the exit code.
 */
export async function writePython(file: ScriptFile, out: string, stderr: NodeJS.WritableStream): Promise<number> {
  // Its samples are decoded as a run would, for their lengths: a file Python cannot play keeps its voice as long.
  const bank = await preloadScriptSamples({ state: new SessionState() }, [file]);
  const known = { sampleSeconds: (path: string) => bank.find(file.name, path)?.seconds };
  const { code, warnings } = toPython(new TextDecoder().decode(file.bytes), file.name, builtinCommands, known);
  // The file name and the script's text are user text: a terminal must not obey what they hold.
  for (const w of warnings) stderr.write(`${escapeControl(`${w.source}:${w.line}:${w.col}: warning: ${w.message}`, { singleLine: true })}\n`);
  try {
    await writeOutputFile(out, code);
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    stderr.write(`corotone: ${escapeControl(error.message, { singleLine: true })}\n`);
    return 3; // EXIT.file: the CLI's code for a file it could not read or write
  }
  const shown = escapeControl(out, { singleLine: true });
  stderr.write(`corotone: wrote ${shown} (python3 ${shown} | play ...; python3 ${shown} --events)\n`);
  return 0;
}
