// tf.data: dataset readers (IDX / MNIST-format files, CSV). Filled in by the training stack.
export const data = {};
