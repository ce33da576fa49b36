#!/usr/bin/env node
/**
 * The shape check (`npm run lint:shape`): no file in src/ over 600 lines, no
 * function over 80 lines (declarations, methods, constructors, accessors,
 * arrows, function expressions and generators alike, measured from the line
 * it begins on to the line it ends on, both counted). Prints
 * `file:line name (N lines)` for each one over, and exits 1 if there is any.
 *
 *   node scripts/check-shape.mjs [--max-file N] [--max-function N] [path ...]
 *
 * Paths are files or folders (default: src). Every file counts for its length;
 * TypeScript and JavaScript files are parsed with the `typescript` package for
 * their functions. A nested function is measured on its own, and it also
 * counts in the length of the one around it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const PARSED = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Lines in a text, as an editor numbers them (a final newline opens no line). */
export function lineCount(text) {
  if (text.length === 0) return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

/** What a function is called where it is written: its own name, or the variable, property or class member it is assigned to. */
function nameOf(node) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) {
    return parent.name.getText();
  }
  if (parent && ts.isBinaryExpression(parent) && parent.right === node) return parent.left.getText();
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

/** Every function of a source text with its first line and length: `{ name, line, lines }`. */
export function functionsOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    // an overload or an abstract method has no body, and so no length of its own
    if (isFunction(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: nameOf(node), line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/** What is over the limits in these paths, one `file:line name (N lines)` a finding. */
export function checkShape(paths, { maxFile = 600, maxFunction = 80, root = process.cwd() } = {}) {
  const findings = [];
  for (const file of paths.flatMap(filesUnder)) {
    const text = readFileSync(file, 'utf8');
    const shown = relative(root, file) || file;
    const lines = lineCount(text);
    if (lines > maxFile) findings.push(`${shown}:1 (file) (${lines} lines)`);
    if (!PARSED.test(file)) continue;
    for (const fn of functionsOf(file, text)) {
      if (fn.lines > maxFunction) findings.push(`${shown}:${fn.line} ${fn.name} (${fn.lines} lines)`);
    }
  }
  return findings;
}

function main(argv) {
  const paths = [];
  const limits = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--max-file' || arg === '--max-function') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} takes a whole number of lines, found ${argv[i] ?? 'nothing'}`);
      limits[arg === '--max-file' ? 'maxFile' : 'maxFunction'] = n;
    } else paths.push(arg);
  }
  const findings = checkShape(paths.length > 0 ? paths : ['src'], limits);
  for (const finding of findings) console.log(finding);
  if (findings.length > 0) {
    console.error(`shape: ${findings.length} over the limits (files ${limits.maxFile ?? 600} lines, functions ${limits.maxFunction ?? 80})`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`shape: ${error.message}`);
    process.exitCode = 2;
  }
}
