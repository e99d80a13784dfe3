// The sizes of one sliding-window op (convolution or pooling) over NHWC images, resolved from the op's
// strides, dilations and padding by engine/shape/conv_shape.ts. Kernels read nothing else.
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Output channels (convolution: the filter's last axis; depthwise: in × multiplier; pooling: in). */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  /** Zeros added above and left of the image (bottom/right padding follows from the output size). */
  padTop: number;
  padLeft: number;
}

/** Output positions: one row of the im2col matrix each. */
export function outputPositions(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth;
}

/** Length of one im2col row: the filter's taps times the input channels. */
export function patchLength(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}
