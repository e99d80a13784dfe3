// The protobuf messages of a TensorBoard event file (tensorflow/core/util/event.proto and
// tensorflow/core/framework/summary.proto), the fields we write, declared for protobufjs.
import * as protobuf from 'protobufjs/light';

const root = protobuf.Root.fromJSON({
  nested: {
    tensorflow: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'histo'] } },
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
                histo: { type: 'HistogramProto', id: 5 },
              },
            },
          },
        },
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sumSquares: { type: 'double', id: 5 },
            bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
      },
    },
  },
});

export const EventMessage = root.lookupType('tensorflow.Event');

/** A histogram as TensorBoard's HistogramProto stores it. */
export interface HistogramFields {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Number of values. */
  num: number;
  /** Sum of the values. */
  sum: number;
  /** Sum of their squares. */
  sumSquares: number;
  /** Right edge of each bucket. */
  bucketLimit: number[];
  /** Count in each bucket. */
  bucket: number[];
}

export type EventFields =
  | { wallTime: number; step: number; fileVersion: string }
  | { wallTime: number; step: number; summary: { value: Array<{ tag: string; simpleValue?: number; histo?: HistogramFields }> } };

export function encodeEvent(event: EventFields): Uint8Array {
  return EventMessage.encode(EventMessage.fromObject(event)).finish();
}
