// The layout rules as numbers: which sizes get a tape column, side or bottom details, and how big.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailsSizePx, layoutModeFor } from '../../webview/layout/layout_mode';

describe('layout mode by panel size', () => {
  it('beside the editor (620×570) and narrow strips: picker and details below; wide panels: column and details beside', () => {
    assert.deepEqual(layoutModeFor(620, 570), { tapeList: 'picker', details: 'bottom' });
    assert.deepEqual(layoutModeFor(400, 600), { tapeList: 'picker', details: 'bottom' });
    assert.deepEqual(layoutModeFor(360, 300), { tapeList: 'picker', details: 'bottom' });
    assert.deepEqual(layoutModeFor(1280, 800), { tapeList: 'column', details: 'side' });
    assert.deepEqual(layoutModeFor(900, 700), { tapeList: 'picker', details: 'side' });
    assert.deepEqual(layoutModeFor(1200, 1400), { tapeList: 'column', details: 'bottom' }, 'a tall panel puts details below');
    assert.deepEqual(layoutModeFor(2560, 1440), { tapeList: 'column', details: 'side' });
  });
  it('details take their fraction, at least a readable minimum, never more than 45% of the split', () => {
    assert.equal(detailsSizePx('bottom', 0.3, 500), 150);
    assert.equal(detailsSizePx('bottom', 0.05, 500), 110);
    assert.equal(detailsSizePx('bottom', 0.9, 500), 225);
    assert.equal(detailsSizePx('side', 0.27, 2000), 540);
    assert.equal(detailsSizePx('side', 0.27, 600), 240);
  });
});
