// A small sequential test runner for inside VS Code: the tests share one workbench, so they run in order,
// each printed as it passes or fails; the run fails if any test did. A failing test leaves a screenshot of the
// workbench as it was then (test-results/failed-<n>.png).
import { screenshot } from './driver';

export interface E2eTest { name: string; fn: () => Promise<void>; alsoForVsix: boolean; restrictedMode: boolean }

/** Which tests a run is for: the dev folder (all but Restricted Mode's), the installed .vsix, or Restricted Mode. */
export type RunMode = 'dev' | 'vsix' | 'restricted';

const tests: E2eTest[] = [];

/** `restrictedMode`: runs only in the run with workspace trust on and the folder untrusted (and only there). */
export function test(name: string, fn: () => Promise<void>, options: { alsoForVsix?: boolean; restrictedMode?: boolean } = {}): void {
  tests.push({ name, fn, alsoForVsix: options.alsoForVsix ?? false, restrictedMode: options.restrictedMode ?? false });
}

function belongsTo(t: E2eTest, mode: RunMode): boolean {
  if (mode === 'restricted') return t.restrictedMode;
  return !t.restrictedMode && (mode === 'dev' || t.alsoForVsix);
}

/** Runs the tests of this run's mode: every dev test, the few that check an installed .vsix, or Restricted Mode's. */
export async function runRegisteredTests(mode: RunMode): Promise<void> {
  // TAPESCOPE_E2E_GREP: run only the tests whose name contains one of its `|`-separated parts.
  const only = process.env.TAPESCOPE_E2E_GREP?.split('|').filter(Boolean);
  let passed = 0;
  const failed: string[] = [];
  for (const t of tests) {
    if ((only?.length && !only.some((part) => t.name.includes(part))) || !belongsTo(t, mode)) continue;
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
