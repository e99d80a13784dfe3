// tf.keras: layers, models, optimizers, losses and metrics. Every class is also callable without `new`,
// as in Python (tf.keras.layers.Dense(128, {activation: 'relu'}), tf.keras.optimizers.SGD(0.01)).
import { newless } from './newless';
import { Layer } from './layer';
import { Dense } from './layers/dense';
import { Flatten } from './layers/flatten';
import { Dropout } from './layers/dropout';
import { Activation } from './layers/activation_layer';
import { Input, InputLayer } from './layers/input_layer';
import { Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D } from './layers/conv';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from './layers/pooling';
import { BatchNormalization, LayerNormalization } from './layers/normalization';
import { Reshape, UpSampling2D, ZeroPadding2D } from './layers/reshaping';
import { KerasTensor } from './keras_tensor';
import { Model, Sequential } from './model';
import { Optimizer } from './optimizers/optimizer';
import { SGD } from './optimizers/sgd';
import { Adam } from './optimizers/adam';
import { RMSprop } from './optimizers/rmsprop';
import { Adagrad } from './optimizers/adagrad';
import { losses } from './losses';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy } from './metrics';
import { clearSession } from './naming';
import { guideKeras } from './guide_keras';
import { EarlyStopping } from './callbacks';

/** tf.keras: layers, models, optimizers, losses, metrics and callbacks, callable without `new` as in Python. */
export const keras = {
  Input,
  Model: newless(Model),
  Sequential: newless(Sequential),
  KerasTensor,
  /** tf.keras.layers: Dense, Conv2D, pooling, normalization, Dropout, … (each callable with or without `new`). */
  layers: {
    Layer,
    Dense: newless(Dense),
    Flatten: newless(Flatten),
    Dropout: newless(Dropout),
    Activation: newless(Activation),
    InputLayer: newless(InputLayer),
    ...guideKeras.layers,
    Conv1D: newless(Conv1D),
    Conv2D: newless(Conv2D),
    Conv2DTranspose: newless(Conv2DTranspose),
    DepthwiseConv2D: newless(DepthwiseConv2D),
    MaxPooling2D: newless(MaxPooling2D),
    AveragePooling2D: newless(AveragePooling2D),
    GlobalAveragePooling2D: newless(GlobalAveragePooling2D),
    GlobalMaxPooling2D: newless(GlobalMaxPooling2D),
    BatchNormalization: newless(BatchNormalization),
    LayerNormalization: newless(LayerNormalization),
    Reshape: newless(Reshape),
    UpSampling2D: newless(UpSampling2D),
    ZeroPadding2D: newless(ZeroPadding2D),
  },
  /** tf.keras.optimizers: SGD, Adam, RMSprop, Adagrad. */
  optimizers: {
    Optimizer,
    SGD: newless(SGD),
    Adam: newless(Adam),
    RMSprop: newless(RMSprop),
    Adagrad: newless(Adagrad),
    ...guideKeras.optimizers,
  },
  /** tf.keras.losses: per-example losses, by camelCase and Keras's snake_case names. */
  losses: { ...losses, ...guideKeras.losses },
  /** tf.keras.metrics: accuracy metrics as numbers. */
  metrics: { categoricalAccuracy, sparseCategoricalAccuracy, binaryAccuracy, ...guideKeras.metrics },
  /** tf.keras.callbacks: EarlyStopping (any object of Callback methods also works). */
  callbacks: { EarlyStopping: newless(EarlyStopping) },
  /** tf.keras.backend: clearSession. */
  backend: { clearSession },
};

export { Layer, Dense, Flatten, Dropout, Activation, Input, InputLayer, KerasTensor, Model, Sequential, Optimizer, SGD, Adam, RMSprop, Adagrad, EarlyStopping };
