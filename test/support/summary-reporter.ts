import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/**
 * Ends the run with the plain line CI reads: "tests: N passed, N failed, N
 * skipped", after the list of every skipped test with its reason.
 *
 * Nothing that did not run counts as passed or silently as skipped: a test
 * that did not run because its file or a hook failed counts as failed, and so
 * does every error in collection or in a hook (a browser that cannot launch in
 * beforeAll, a server that cannot stop in afterAll), even in a file whose
 * tests passed.
 */
export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    const skips: string[] = [];
    const failures: string[] = [];
    for (const module of testModules) {
      const file = module.relativeModuleId;
      const suiteErrors = [module, ...module.children.allSuites()].flatMap((suite) => suite.errors().map((e) => ({ suite, message: e.message })));
      for (const { suite, message } of suiteErrors) failures.push(`${file}${suite.type === 'suite' ? ` > ${suite.fullName}` : ''}: ${firstLine(message)}`);
      failed += suiteErrors.length;
      const tests = [...module.children.allTests()];
      let failedHere = suiteErrors.length;
      for (const test of tests) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') {
          failed++;
          failedHere++;
        } else if (result.state === 'skipped' && isPlannedSkip(test)) skips.push(`${file} > ${test.fullName}: ${skipReason(test, result.note)}`);
        else if (suiteErrors.length > 0 || module.state() === 'failed') {
          // Never ran because its file or a hook failed: that is a failure, already listed above.
          failed++;
          failedHere++;
        } else skips.push(`${file} > ${test.fullName}: not run (${result.state})`);
      }
      if (module.state() === 'failed' && failedHere === 0) {
        failures.push(`${file}: failed to run`);
        failed++;
      }
    }
    failed += unhandledErrors.length;
    const out: string[] = [''];
    if (failures.length > 0) out.push(`errors outside tests (${failures.length}):`, ...failures.map((f) => `  ${f}`));
    if (skips.length > 0) out.push(`skipped (${skips.length}):`, ...shortList(skips).map((s) => `  ${s}`));
    out.push(`tests: ${passed} passed, ${failed} failed, ${skips.length} skipped`, '');
    process.stdout.write(out.join('\n'));
  }
}

/** Skipped on purpose (skip, skipIf, todo, context.skip, or left out by a -t filter), not because something before it failed. */
function isPlannedSkip(test: TestCase): boolean {
  if (test.options.mode === 'skip' || test.options.mode === 'todo') return true;
  const result = test.result();
  return result.state === 'skipped' && result.note !== undefined;
}

function skipReason(test: TestCase, note: string | undefined): string {
  if (note !== undefined) return note;
  if (test.options.mode === 'todo') return 'todo';
  const suites: string[] = [];
  for (let parent: TestSuite | TestModule = test.parent; parent.type === 'suite'; parent = parent.parent) suites.push(parent.name);
  return `marked skip${suites.length > 0 ? ` (in "${suites.join(' > ')}")` : ''}, or not selected by the run's filter`;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** A filtered run skips most tests: name the first few, and count the rest. */
function shortList(lines: string[], max = 30): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `… and ${lines.length - max} more`];
}
