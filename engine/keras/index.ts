// tf.keras: layers, models, optimizers, losses and metrics. Every class is also callable without `new`,
// as in Python (tf.keras.layers.Dense(128, {activation: 'relu'}), tf.keras.optimizers.SGD(0.01)).
import { newless } from './newless';
import { Layer } from './layer';
import { Dense } from './layers/dense';
import { Flatten } from './layers/flatten';
import { Dropout } from './layers/dropout';
import { Activation } from './layers/activation_layer';
import { Input, InputLayer } from './layers/input_layer';
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

export const keras = {
  Input,
  Model: newless(Model),
  Sequential: newless(Sequential),
  KerasTensor,
  layers: {
    Layer,
    Dense: newless(Dense),
    Flatten: newless(Flatten),
    Dropout: newless(Dropout),
    Activation: newless(Activation),
    InputLayer: newless(InputLayer),
    ...guideKeras.layers,
  },
  optimizers: {
    Optimizer,
    SGD: newless(SGD),
    Adam: newless(Adam),
    RMSprop: newless(RMSprop),
    Adagrad: newless(Adagrad),
    ...guideKeras.optimizers,
  },
  losses: { ...losses, ...guideKeras.losses },
  metrics: { categoricalAccuracy, sparseCategoricalAccuracy, binaryAccuracy, ...guideKeras.metrics },
  backend: { clearSession },
};

export { Layer, Dense, Flatten, Dropout, Activation, Input, InputLayer, KerasTensor, Model, Sequential, Optimizer, SGD, Adam, RMSprop, Adagrad };
