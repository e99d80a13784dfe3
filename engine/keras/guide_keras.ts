// The Keras classes TF's guides use beyond the seed tutorials (loss and metric objects, more optimizers and
// learning-rate schedules, Embedding), gathered for keras/index.ts to spread into its namespaces.
import { newless } from './newless';
import { Embedding } from './layers/embedding';
import { Adamax } from './optimizers/adamax';
import { Nadam } from './optimizers/nadam';
import { AdamW } from './optimizers/adamw';
import { ExponentialDecay, PiecewiseConstantDecay, CosineDecay, LearningRateSchedule } from './optimizers/schedules';
import * as lossClasses from './loss_classes';
import * as metricObjects from './metric_objects';

/** tf.keras.optimizers.schedules: learning-rate schedules an optimizer takes as its learningRate. */
export const schedules = {
  LearningRateSchedule,
  ExponentialDecay: newless(ExponentialDecay),
  PiecewiseConstantDecay: newless(PiecewiseConstantDecay),
  CosineDecay: newless(CosineDecay),
};

export const guideKeras = {
  layers: { Embedding: newless(Embedding) },
  optimizers: {
    Adamax: newless(Adamax),
    Nadam: newless(Nadam),
    AdamW: newless(AdamW),
    // `as typeof`: the typings then name the namespace, which keeps its comment (the one on the const)
    schedules: schedules as typeof schedules,
  },
  losses: {
    Loss: lossClasses.Loss,
    SparseCategoricalCrossentropy: newless(lossClasses.SparseCategoricalCrossentropy),
    CategoricalCrossentropy: newless(lossClasses.CategoricalCrossentropy),
    BinaryCrossentropy: newless(lossClasses.BinaryCrossentropy),
    MeanSquaredError: newless(lossClasses.MeanSquaredError),
    MeanAbsoluteError: newless(lossClasses.MeanAbsoluteError),
    Huber: newless(lossClasses.Huber),
  },
  metrics: {
    Metric: metricObjects.Metric,
    Mean: newless(metricObjects.Mean),
    Sum: newless(metricObjects.Sum),
    SparseCategoricalAccuracy: newless(metricObjects.SparseCategoricalAccuracy),
    CategoricalAccuracy: newless(metricObjects.CategoricalAccuracy),
    BinaryAccuracy: newless(metricObjects.BinaryAccuracy),
    MeanSquaredError: newless(metricObjects.MeanSquaredErrorMetric),
    AUC: newless(metricObjects.AUC),
  },
};
