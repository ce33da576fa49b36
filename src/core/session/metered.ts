import { CommandTable, type AnyCommand } from '../language/command';
import { CommandError } from '../language/diagnostics';
import { pauseThen } from '../scheduler/ops';
import { lineOf, type Scheduler } from '../scheduler/scheduler';

/**
 * The table with every command's run counted: more than
 * maxCommandsPerResumption (limits.ts) in one resumption of a task (a `repeat` of
 * commands that take no time) fails the line, where nothing else could stop
 * it, since the scheduler gets control back only when the task suspends.
 */
export function meteredTable(table: CommandTable, scheduler: Scheduler): CommandTable {
  const max = scheduler.limits.maxCommandsPerResumption;
  let resumption = -1;
  let count = 0;
  const charge = (): void => {
    scheduler.work++;
    const r = scheduler.resumption;
    if (r !== resumption) {
      resumption = r;
      count = 0;
    }
    if (++count <= max) return;
    count = 0;
    const current = scheduler.current;
    const pos = current === null ? null : (lineOf(current).pos ?? current.pos);
    const message = `too much work without a pause: more than ${max.toLocaleString('en')} commands ran in one go with no time passing (a repeat of commands that take no time?)`;
    throw new CommandError(pos === null ? [] : [{ ...pos, message }]);
  };
  const meter = (spec: AnyCommand): AnyCommand => ({
    ...spec,
    run: (args, ctx, invocation) => {
      charge();
      const run = spec.run(args, ctx, invocation);
      // Live, a long resumption (20,000 spawns) lets the host in between two commands once its slice is over.
      return scheduler.pauseDue() ? pauseThen(run) : run;
    },
  });
  const counted = new CommandTable(table.commands.map(meter));
  for (const phrase of table.definitions()) counted.define(phrase);
  return counted;
}
