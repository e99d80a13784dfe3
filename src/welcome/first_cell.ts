// What "Tapescope: New Cell File" writes: one cell that records a tape and takes a gradient (6.0).
export const FIRST_CELL = `// Tapescope cells: put the cursor in a cell and press Shift+Enter (Ctrl+Enter runs it and stays there).
// %% The derivative of x² at x = 3
const x = new tf.Variable(3.0);
const tape = new tf.GradientTape();
const y = tape.record(() => x.mul(x));
tape.gradient(y, x)
`;
