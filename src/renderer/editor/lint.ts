/**
 * Errors at their line as you type: the buffer is parsed in the page with
 * core's parser (no round trip), and each located diagnostic
 * (source:line:col, message, hint) becomes a CodeMirror lint mark.
 */
import { linter, lintGutter, type Diagnostic as LintMark } from '@codemirror/lint';
import type { Extension, Text } from '@codemirror/state';
import type { Diagnostic } from '../../core/language/diagnostics';

/** A diagnostic's place in the document: its line and columns (1-based, UTF-16), clamped to the line. */
export function markOf(doc: Text, d: Diagnostic): LintMark {
  const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
  const from = Math.min(line.from + Math.max(0, d.col - 1), line.to);
  const to = Math.min(line.from + Math.max(d.col, (d.endCol ?? d.col + 1) - 1), line.to);
  const where = `${d.source}:${d.line}:${d.col}`;
  return {
    from,
    to: Math.max(from, to),
    severity: 'error',
    source: where,
    message: d.hint !== undefined ? `${d.message}\nhint: ${d.hint}` : d.message,
  };
}

/** Lint the buffer with `check` (its text → located diagnostics), a little after each change. */
export function noteLinter(check: (text: string) => readonly Diagnostic[]): Extension {
  return [linter((view) => check(view.state.doc.toString()).map((d) => markOf(view.state.doc, d)), { delay: 200 }), lintGutter()];
}
