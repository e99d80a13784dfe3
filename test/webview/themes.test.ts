// The inspector in VS Code's light, dark and high-contrast themes, with seed 000's chain rule recorded
// by the real engine: its colours come from the theme's variables (the page sets none of its own), and
// every kind of text a user reads — node titles, shapes, value and gradient faces, toolbar, tape list,
// details — stands out from what is behind it (WCAG contrast ratio at least 3:1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { pageErrors, send, startInspectorHarness, THEMES, type InspectorHarness, type ThemeName } from './inspector_page';
import { chainRuleCell } from './engine_traces';
import { screenshotPath } from './screenshots';

const run = { runId: 1, cellTitle: 'The chain rule', file: '/work/example/cells.ts', line: 3 };

/** '#rrggbb' as Chromium reports a computed colour. */
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

interface Sample { what: string; fg: string; bg: string }

/** Each text's colour and the opaque colour behind it (an SVG text: its node's box; HTML: the nearest painted ancestor). */
async function textSamples(page: Page): Promise<Sample[]> {
  // A string, not a function: tsx's transform would add helpers (__name) the page does not have.
  return page.evaluate(`(() => {
    const behind = (start) => {
      const box = start.closest('g.node') && start.closest('g.node').querySelector('rect.node-box');
      if (box) return getComputedStyle(box).fill;
      for (let e = start; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg && bg !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(bg)) return bg;
      }
      return getComputedStyle(document.body).backgroundColor;
    };
    const picks = [
      ['node title', 'g.node text.node-title'], ['node shape', 'g.node text.node-subtitle'],
      ['value face', 'g.node text.node-face:not(.grad)'], ['gradient face', 'g.node text.node-face.grad'],
      ['toolbar button', '.toolbar button.fit'], ['search box', '.toolbar input.graph-search'],
      ['tape entry', '.tape-entry'], ['tape counts', '.tape-counts'],
      ['details title', '.details-title'], ['details facts', '.facts dd'], ['view tab', '.inspector-header [role="tab"]'],
    ];
    return picks.map(([what, selector]) => {
      const e = document.querySelector(selector);
      if (!e) return { what, fg: 'missing', bg: 'missing' };
      const style = getComputedStyle(e);
      return { what, fg: e instanceof SVGElement ? style.fill : style.color, bg: behind(e) };
    });
  })()`);
}

function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('themes', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  for (const theme of Object.keys(THEMES) as ThemeName[]) {
    it(`${theme}: colours come from the theme's variables and every text stands out (≥ 3:1)`, async () => {
      const vars = THEMES[theme].vars as Record<string, string>;
      const page = await harness.openPage({ theme, width: 1280, height: 800 });
      const cell = chainRuleCell();
      await send(page, { type: 'tapes', run, tapes: cell.tapes });
      assert.equal(await page.locator('g.node.target rect.node-box').first().evaluate((r) => getComputedStyle(r).stroke), rgb(vars['--vscode-charts-orange']), 'the target outlined in the chart orange');
      await page.locator('g.node.target').first().click();
      assert.equal(await page.locator('g.node.target rect.node-box').first().evaluate((r) => getComputedStyle(r).stroke), rgb(vars['--vscode-focusBorder']), 'selected: the focus colour');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), rgb(vars['--vscode-editor-background']));
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), rgb(vars['--vscode-editor-foreground']));
      const box = page.locator('g.node.kind-op rect.node-box').first();
      assert.equal(await box.evaluate((r) => getComputedStyle(r).fill), rgb(vars['--vscode-editorWidget-background']), 'node boxes are widget-coloured');
      assert.equal(await page.locator('g.node text.node-title').first().evaluate((t) => getComputedStyle(t).fill), rgb(vars['--vscode-editor-foreground']));
      assert.equal(await page.locator('g.node text.node-face.grad').first().evaluate((t) => getComputedStyle(t).fill), rgb(vars['--vscode-charts-green']), 'gradients in the chart green');
      const samples = await textSamples(page);
      for (const s of samples) {
        assert.notEqual(s.fg, 'missing', `${s.what} is on the page`);
        const ratio = contrast(s.fg, s.bg);
        if (process.env.INSPECTOR_DEBUG) console.log(theme, s.what, s.fg, s.bg, ratio.toFixed(2));
        assert.ok(ratio >= 3, `${theme}: ${s.what} ${s.fg} on ${s.bg} has contrast ${ratio.toFixed(2)}:1`);
      }
      await page.screenshot({ path: screenshotPath(`theme-${theme}-1280x800.png`) });
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    });
  }
});
