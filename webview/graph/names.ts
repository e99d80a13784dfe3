// The name a tensor is shown by: the user's (binding, Variable or Keras weight name), else what made it.
import type { TapeTrace } from '../../engine/trace/trace_format';

export function tensorDisplayName(tape: TapeTrace, tensorId: number): string {
  const tensor = tape.tensors.find((t) => t.id === tensorId);
  if (tensor?.name) return tensor.name;
  const producer = tape.nodes.find((n) => n.output === tensorId && n.kind === 'op');
  return producer ? `${producer.op} output` : `tensor ${tensorId}`;
}
