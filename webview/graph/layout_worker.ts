// The layout worker: places the graph's boxes with d3-dag off the page's thread, so panning, zooming and
// clicking stay live while a large tape is laid out. One request at a time; the page ends this worker and
// starts another when a newer request should replace a running one (a synchronous layout cannot be stopped).
import { validateLayoutRequest, type LayoutReply } from '../../src/protocol/layout_messages';
import { placeBoxes } from './dag_layout';

const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: LayoutReply): void };

scope.onmessage = (event: MessageEvent) => {
  let id = -1;
  try {
    const request = validateLayoutRequest(event.data);
    id = request.id;
    scope.postMessage({ type: 'placed', id, placement: placeBoxes(request.boxes) });
  } catch (error) {
    scope.postMessage({ type: 'failed', id, message: (error as Error).message });
  }
};
