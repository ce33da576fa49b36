import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Per-session state lives in the session (session/state.ts), never at module
// level: a module-level WeakMap or WeakSet keyed by an object is the shape that
// state had (by scheduler, stream, task or context), shared by every session in
// the process and invisible to a reader of the session.

const CORE = join(__dirname, '../../../src/core');

/** Module-level weak collections that hold no session's state: facts about values that are the same in every session. */
const ALLOWED: Record<string, string> = {
  'commands/body.ts phrases': 'which command specs are phrases made by def: a fact about the spec',
  'language/deferred.ts settled': 'argument trees known to hold no placeholder: a fact about a parsed value',
  'language/deferred.ts unbound': 'argument trees known to hold no phrase parameter: a fact about a parsed value',
  'synth/voice-mix.ts widened': "a drum hit's samples as doubles: a copy of an immutable array, the same in every session (speed, issue 19)",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file name` of every top-level variable whose value is a `new WeakMap` or `new WeakSet`. */
function moduleLevelWeakCollections(): string[] {
  const found: string[] = [];
  for (const path of sourceFiles(CORE)) {
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init === undefined || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression)) continue;
        if (!/^Weak(Map|Set)$/.test(init.expression.text)) continue;
        found.push(`${relative(CORE, path).split('\\').join('/')} ${declaration.name.getText(file)}`);
      }
    }
  }
  return found.sort();
}

describe('state in src/core', () => {
  it('keeps no module-level WeakMap or WeakSet but those that hold no session state', () => {
    const found = moduleLevelWeakCollections();
    expect(found.filter((entry) => !(entry in ALLOWED))).toEqual([]);
    // The list stays true: an entry whose collection went away leaves it.
    expect(Object.keys(ALLOWED).filter((entry) => !found.includes(entry))).toEqual([]);
  });
});
