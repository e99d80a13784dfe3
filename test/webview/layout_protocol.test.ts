// The page ⇄ layout worker messages: what the worker computes from a request equals the layout the page would
// compute itself, and both validators reject what the other side could never have sent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateLayoutReply, validateLayoutRequest } from '../../src/protocol/layout_messages';
import { graphLayoutOf, layoutBoxes, layoutGraph, placeBoxes } from '../../webview/graph/dag_layout';
import { buildViewGraph, defaultCollapsedScopes } from '../../webview/graph/view_graph';
import { mseCell } from './engine_traces';

describe('layout messages', () => {
  it('a request survives structured cloning and validation, and its placement is the layout the page would make', () => {
    const [tape] = mseCell().tapes;
    const graph = buildViewGraph(tape, defaultCollapsedScopes(tape));
    const boxes = layoutBoxes(graph, { faces: true });
    const request = validateLayoutRequest(structuredClone({ type: 'layout', id: 7, boxes }));
    const reply = validateLayoutReply(structuredClone({ type: 'placed', id: 7, placement: placeBoxes(request.boxes) }));
    assert.equal(reply.type, 'placed');
    const viaWorker = graphLayoutOf(graph, boxes, (reply as Extract<typeof reply, { type: 'placed' }>).placement);
    const here = layoutGraph(graph, { faces: true });
    assert.deepEqual([...viaWorker.nodes.values()].map((p) => [p.node.id, p.x, p.y, p.width, p.height]),
      [...here.nodes.values()].map((p) => [p.node.id, p.x, p.y, p.width, p.height]));
    assert.deepEqual([...viaWorker.edgePoints], [...here.edgePoints]);
    // Every box is placed apart from the others in its layer (no two boxes overlap).
    const placed = [...here.nodes.values()];
    for (const [i, a] of placed.entries()) for (const b of placed.slice(i + 1)) {
      const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 - 0.5 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2 - 0.5;
      assert.ok(apart, `${a.node.id} and ${b.node.id} overlap`);
    }
  });

  it('rejects malformed requests and replies with the reason', () => {
    assert.throws(() => validateLayoutRequest({ type: 'layout', id: 1, boxes: [{ id: 'a', width: 'wide', height: 3, parents: [] }] }), /box .* needs id, width, height and parents/);
    assert.throws(() => validateLayoutRequest({ type: 'place', id: 1, boxes: [] }), /expected \{type: "layout"/);
    assert.throws(() => validateLayoutReply({ type: 'placed', id: 1, placement: { width: 1, height: 1, quality: 'best', x: [1], y: [], edges: [] } }), /x and y of equal length/);
    assert.throws(() => validateLayoutReply({ type: 'placed', id: 1, placement: { width: 1, height: 1, quality: 'perfect', x: [], y: [], edges: [] } }), /quality/);
    assert.equal(validateLayoutReply({ type: 'failed', id: 2, message: 'boom' }).type, 'failed');
  });
});
