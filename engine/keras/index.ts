// tf.keras: layers, models, optimizers, losses, metrics (the training stack fills this in).
import * as losses from '../ops/losses';

export const keras = {
  losses: {
    MSE: losses.meanSquaredError,
    mse: losses.meanSquaredError,
    meanSquaredError: losses.meanSquaredError,
    MAE: losses.meanAbsoluteError,
    mae: losses.meanAbsoluteError,
    meanAbsoluteError: losses.meanAbsoluteError,
    categoricalCrossentropy: losses.categoricalCrossentropy,
    sparseCategoricalCrossentropy: losses.sparseCategoricalCrossentropy,
    binaryCrossentropy: losses.binaryCrossentropy,
  },
};
