/** The outcome of a parse or validation: these functions never throw. */
export type Result<T, E = ProtocolIssue> = { ok: true; value: T } | { ok: false; error: E };

/** What was wrong with a message, in a sentence, plus each issue's path. */
export interface ProtocolIssue {
  message: string;
  issues: string[];
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
