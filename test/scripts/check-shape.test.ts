/**
 * scripts/check-shape.mjs (`npm run lint:shape`) on fixture files written
 * here: it names a file over 600 lines and a function over 80 (of every kind
 * of function), with where it begins and how long it is, exits 1 for them,
 * and passes a file of 600 lines and functions of 80.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/check-shape.mjs');
const dir = mkdtempSync(join(tmpdir(), 'check-shape-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `lines` lines of code: a header, `lines - 2` statements and a footer. */
function body(header: string, lines: number, footer = '}'): string {
  const statements = Array.from({ length: lines - 2 }, (_, i) => `  total += ${i};`);
  return [header, ...statements, footer].join('\n');
}

/** Writes a fixture file into its own folder; returns the folder. */
function fixture(name: string, text: string): string {
  const folder = mkdtempSync(join(dir, 'case-'));
  writeFileSync(join(folder, name), text);
  return folder;
}

function check(path: string): { status: number | null; lines: string[] } {
  const run = spawnSync(process.execPath, [SCRIPT, path], { cwd: path, encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.split('\n').filter((l) => l !== '') };
}

describe('check-shape', () => {
  it('names a file of 601 lines and exits 1', () => {
    const text = Array.from({ length: 601 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    const result = check(fixture('long.ts', text));
    expect(result.status).toBe(1);
    expect(result.lines).toEqual(['long.ts:1 (file) (601 lines)']);
  });

  it('passes a file of 600 lines', () => {
    const text = Array.from({ length: 600 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    expect(check(fixture('just.ts', text))).toEqual({ status: 0, lines: [] });
  });

  it.each([
    ['a function declaration', 'function big() {', 'big'],
    ['a generator function', 'function* steps() {', 'steps'],
    ['an arrow', 'const draw = () => {', 'draw', '};'],
    ['a function expression', 'const old = function () {', 'old', '};'],
  ])('names %s of 81 lines, where it begins, and exits 1', (_kind, header, name, footer = '}') => {
    const text = `let total = 0;\n\n${body(header, 81, footer)}\n`;
    const result = check(fixture('fn.ts', text));
    expect(result.status).toBe(1);
    expect(result.lines).toEqual([`fn.ts:3 ${name} (81 lines)`]);
  });

  it('names a method of 81 lines inside a class, and not the class', () => {
    const text = `let total = 0;\nexport class Big {\n${body('  paint(): void {', 81, '  }')}\n}\n`;
    const result = check(fixture('cls.ts', text));
    expect(result.status).toBe(1);
    expect(result.lines).toEqual(['cls.ts:3 paint (81 lines)']);
  });

  it('passes functions of 80 lines of every kind', () => {
    const text = [
      'let total = 0;',
      body('function big() {', 80),
      body('function* steps() {', 80),
      body('const draw = () => {', 80, '};'),
      `export class Big {\n${body('  paint(): void {', 80, '  }')}\n}`,
      '',
    ].join('\n');
    expect(check(fixture('ok.ts', text))).toEqual({ status: 0, lines: [] });
  });
});
