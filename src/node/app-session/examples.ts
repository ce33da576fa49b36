/**
 * The example lessons in `resources/examples`: `index.json` lists them (title,
 * file, seed, story) in the order a newcomer takes them, and each file opens
 * with a `#` header telling the story at more length. Only files the index
 * lists can be opened, so a request cannot reach any other file.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { ExampleSummarySchema, LIMITS, type Example, type ExampleSummary } from '../../protocol';

const IndexSchema = v.object({ examples: v.array(v.looseObject(ExampleSummarySchema.entries)) });

/** The index's examples, or [] when there is no readable index. Never throws. */
export function readExampleIndex(dir: string): ExampleSummary[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  } catch {
    return [];
  }
  const parsed = v.safeParse(IndexSchema, raw);
  if (!parsed.success) return [];
  return parsed.output.examples
    .filter((e) => /^[\w.-]+\.txt$/.test(e.file))
    .map(({ file, title, story, seed }) => (seed === undefined ? { file, title, story } : { file, title, story, seed }));
}

/** The leading `#` comment lines of a script, as prose (`# ` stripped; a bare `#` is a blank line). */
export function scriptHeader(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    out.push(line.replace(/^# ?/, ''));
  }
  return out.join('\n').trim();
}

/** An example by its file name, with its script; null if the index does not list it or it cannot be read. */
export async function readExample(dir: string, file: string): Promise<Example | null> {
  const summary = readExampleIndex(dir).find((e) => e.file === file);
  if (summary === undefined) return null;
  let text: string;
  try {
    text = await readFile(join(dir, summary.file), 'utf8');
  } catch {
    return null;
  }
  if (text.length > LIMITS.scriptLength) return null;
  return { ...summary, header: scriptHeader(text), text };
}
