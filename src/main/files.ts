/** Scripts the File menu offers: recent files (kept in userData) and the example lessons in resources/examples. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readExampleIndex } from '../node/app-session/examples';
import { writeOutputFile } from '../node/files/output-file';
import { readScriptFile } from '../node/files/read-script';

export const MAX_RECENT = 10;

export interface Example {
  label: string;
  path: string;
  /** The example's file name in resources/examples/index.json (opened with its story); absent for a plain script. */
  file?: string;
}

/**
 * The lessons of `resourcesDir/examples/index.json`, by title, in the index's
 * order; without an index, the .txt files in `resourcesDir` and
 * `resourcesDir/examples`, sorted by name.
 */
export function listExamples(resourcesDir: string): Example[] {
  const examplesDir = join(resourcesDir, 'examples');
  const lessons = readExampleIndex(examplesDir);
  if (lessons.length > 0) return lessons.map((e) => ({ label: e.title, path: join(examplesDir, e.file), file: e.file }));
  const found: Example[] = [];
  for (const dir of [resourcesDir, examplesDir]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (name.toLowerCase().endsWith('.txt')) found.push({ label: name, path: join(dir, name) });
    }
  }
  return found;
}

export class RecentFiles {
  private list: string[];

  constructor(private readonly file: string) {
    this.list = readRecent(file);
  }

  get paths(): string[] {
    return this.list.filter((p) => existsSync(p));
  }

  add(path: string): void {
    this.list = [path, ...this.list.filter((p) => p !== path)].slice(0, MAX_RECENT);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify(this.list, null, 2));
    } catch {
      // a read-only profile: the list lives for this run only
    }
  }

  clear(): void {
    this.list = [];
    try {
      writeFileSync(this.file, '[]');
    } catch {
      // as above
    }
  }
}

function readRecent(file: string): string[] {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(data) ? data.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function scriptLabel(path: string): string {
  return basename(path);
}

/**
 * The script to open from the command line (`corotone-app path/to/commands.txt`):
 * the first argument after the app's own that is not a switch and names a file
 * (not a folder, not a .js bundle).
 */
export function scriptFromArgv(argv: readonly string[], isPackaged: boolean): string | null {
  // Unpackaged, argv is [electron, app-dir-or-main, ...]; packaged, [app, ...].
  const rest = argv.slice(isPackaged ? 1 : 2);
  return rest.find((arg) => !arg.startsWith('-') && !/\.[cm]?js$/i.test(arg) && isFile(arg)) ?? null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A script the user opens: a regular file of at most MAX_SCRIPT_BYTES (1 MiB),
 * read with that cap, so a device or a FIFO is refused instead of read
 * forever. Throws FileReadError, whose message is one line naming the file.
 */
export async function readScriptForApp(path: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readScriptFile(path));
}

/**
 * Save and Export write through a temporary file renamed over the target, so
 * a full disk or a crash leaves the old file whole (through a symbolic link,
 * at the file it points to; see output-file.ts). Throws FileWriteError, whose
 * message is one line naming the file and the cause.
 */
export function saveFileForApp(path: string, bytes: Uint8Array): Promise<void> {
  return writeOutputFile(path, bytes);
}
