// A small sequential test runner for inside VS Code: the tests share one workbench, so they run in order,
// each printed as it passes or fails; the run fails if any test did. A failing test leaves a screenshot of the
// workbench as it was then (test-results/failed-<n>.png).
import { screenshot } from './driver';

export interface E2eTest { name: string; fn: () => Promise<void>; alsoForVsix: boolean }

const tests: E2eTest[] = [];

export function test(name: string, fn: () => Promise<void>, options: { alsoForVsix?: boolean } = {}): void {
  tests.push({ name, fn, alsoForVsix: options.alsoForVsix ?? false });
}

/** Runs every test, or with `vsixOnly` the few that check an installed .vsix. */
export async function runRegisteredTests(vsixOnly: boolean): Promise<void> {
  // TAPESCOPE_E2E_GREP: run only the tests whose name contains one of its `|`-separated parts.
  const only = process.env.TAPESCOPE_E2E_GREP?.split('|').filter(Boolean);
  let passed = 0;
  const failed: string[] = [];
  for (const t of tests) {
    if ((only?.length && !only.some((part) => t.name.includes(part))) || (vsixOnly && !t.alsoForVsix)) continue;
    const started = Date.now();
    try {
      await t.fn();
      passed++;
      console.log(`  ✔ ${t.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed.push(t.name);
      console.error(`  ✖ ${t.name}\n${(err as Error)?.stack ?? String(err)}`);
      await screenshot(`failed-${failed.length}`).catch(() => undefined);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed.length} failed`);
  if (failed.length) throw new Error(`${failed.length} end-to-end test(s) failed: ${failed.join('; ')}`);
}
