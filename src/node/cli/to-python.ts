import { toPython } from '../../core/python';
import { FileWriteError } from '../files/atomic-write';
import { writeOutputFile } from '../files/output-file';
import type { ScriptFile } from './inputs';

/**
 * `corotone SCRIPT --to-python OUT.py`: write the script as a Python asyncio
 * program. What has no faithful asyncio form is a marked comment in the
 * program, and a warning here. Returns the exit code.
 */
export async function writePython(file: ScriptFile, out: string, stderr: NodeJS.WritableStream): Promise<number> {
  const { code, warnings } = toPython(new TextDecoder().decode(file.bytes), file.name);
  for (const w of warnings) stderr.write(`${w.source}:${w.line}:${w.col}: warning: ${w.message}\n`);
  try {
    await writeOutputFile(out, code);
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    stderr.write(`corotone: ${error.message}\n`);
    return 3; // EXIT.file: the CLI's code for a file it could not read or write
  }
  stderr.write(`corotone: wrote ${out} (python3 ${out} | play ...; python3 ${out} --events)\n`);
  return 0;
}
