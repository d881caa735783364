// Prints the five slowest tests after every run, with their timeouts, so
// drift towards a timeout is visible in CI logs long before it fails.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const SHOWN = 5;

export default class SlowestReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests: { name: string; ms: number; timeout: number }[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests() as Iterable<TestCase>) {
        const ms = test.diagnostic()?.duration;
        if (ms === undefined) continue;
        tests.push({ name: `${module.moduleId.replace(`${process.cwd()}/`, '')} › ${test.fullName}`, ms, timeout: test.options.timeout ?? 0 });
      }
    }
    tests.sort((a, b) => b.ms - a.ms);
    if (tests.length === 0) return;
    const lines = tests.slice(0, SHOWN).map((t) => {
      const share = t.timeout ? ` (${Math.round((t.ms / t.timeout) * 100)}% of its ${(t.timeout / 1000).toFixed(0)} s timeout)` : '';
      return `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.name}${share}`;
    });
    process.stdout.write(`\nSlowest ${lines.length} tests:\n${lines.join('\n')}\n`);
  }
}
