import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { toPython } from '../../core/python';
import type { ScriptFile } from './inputs';

/**
 * `corotone SCRIPT --to-python OUT.py`: write the script as a Python asyncio
 * program. What has no faithful asyncio form is a marked comment in the
 * program, and a warning here. Returns the exit code.
 */
export async function writePython(file: ScriptFile, out: string, stderr: NodeJS.WritableStream): Promise<number> {
  const { code, warnings } = toPython(new TextDecoder().decode(file.bytes), file.name);
  for (const w of warnings) stderr.write(`${w.source}:${w.line}:${w.col}: warning: ${w.message}\n`);
  // Written whole or not at all: a temporary file beside it, then renamed over it.
  const temporary = `${out}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, code, { mode: 0o755 });
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true });
    stderr.write(`corotone: cannot write ${out}: ${(error as Error).message}\n`);
    return 2;
  }
  stderr.write(`corotone: wrote ${out} (python3 ${out} | play ...; python3 ${out} --events)\n`);
  return 0;
}
