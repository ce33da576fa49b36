import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

/**
 * Compiles the TypeScript a worker needs to plain ES modules in a temporary
 * directory, so the worker runs on bare `node` the way a built corotone does.
 * Under `--import tsx` Node keeps a loader thread with an isolate of its own
 * (about 40 MB of RSS) that would be counted as the scheduler's memory.
 * Each file is transpiled alone (type-only imports dropped), and relative import
 * specifiers get the `.js` / `/index.js` that Node's ESM resolution needs.
 */
export class CompiledTree {
  readonly dir: string;

  /** `entries`: repository-relative folders (compiled recursively) and `.ts` files. */
  constructor(private readonly root: string, folders: string[]) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'corotone-bench-'));
    writeFileSync(path.join(this.dir, 'package.json'), '{ "type": "module" }\n');
    for (const entry of folders) {
      if (entry.endsWith('.ts')) this.compileFile(entry);
      else this.compileFolder(entry);
    }
  }

  /** Where the compiled counterpart of a repository-relative `.ts` file is. */
  output(relative: string): string {
    return path.join(this.dir, relative.replace(/\.ts$/, '.js'));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private compileFolder(relative: string): void {
    const absolute = path.join(this.root, relative);
    if (!existsSync(absolute)) return;
    for (const name of readdirSync(absolute)) {
      const child = path.join(relative, name);
      if (statSync(path.join(this.root, child)).isDirectory()) this.compileFolder(child);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) this.compileFile(child);
    }
  }

  private compileFile(relative: string): void {
    const source = readFileSync(path.join(this.root, relative), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: relative,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        isolatedModules: true,
        verbatimModuleSyntax: false,
      },
    });
    const from = path.dirname(path.join(this.root, relative));
    const fixed = outputText.replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g,
      (whole, lead: string, quote: string, spec: string) => {
        const target = path.resolve(from, spec);
        if (existsSync(`${target}.ts`)) return `${lead}${quote}${spec}.js${quote}`;
        if (existsSync(path.join(target, 'index.ts'))) return `${lead}${quote}${spec}/index.js${quote}`;
        return whole;
      },
    );
    const out = this.output(relative);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, fixed);
  }
}
