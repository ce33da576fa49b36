/**
 * The inspector's await tree draws the lines `corotone --step`'s `tree` prints
 * (the core's formatAwaitTree, as `asyncio pstree` draws them): the same
 * prefix before every row, from the flat rows the host sends.
 */
import { describe, expect, it } from 'vitest';
import { formatAwaitTree, type AwaitNode } from '../../../src/core/debug/inspect';
import { flatten } from '../../../src/node/app-session/stepping';
import { treePrefix } from '../../../src/renderer/debug/inspector-view';

let nextId = 1;
function node(children: AwaitNode[] = []): AwaitNode {
  const id = nextId++;
  return {
    task: { id, name: `task ${id}`, source: 's.txt', line: id, col: 1 },
    awaits: children.length > 0 ? { kind: 'tasks', ids: children.map((c) => c.task.id) } : { kind: 'sleep', until: 1 },
    children,
  };
}

describe('the await tree’s rows', () => {
  it('have the prefixes the CLI prints, for nested and sibling tasks and several roots', () => {
    const roots = [node([node([node(), node([node()])]), node()]), node(), node([node()])];
    const printed = formatAwaitTree(roots).map((line) => line.slice(0, line.indexOf('task ')));
    const rows = flatten(roots);
    expect(rows.map((r, i) => treePrefix(rows, i, r.depth))).toEqual(printed);
    // Some rows are nested under an open parent (│) and some end a level (└──).
    expect(printed.some((p) => p.includes('│'))).toBe(true);
    expect(printed.some((p) => p.includes('├── '))).toBe(true);
  });
});
