// Python builds Keras objects by calling the class (Dense(128), SGD(0.01)); JS needs `new`. The public
// tf.keras names are wrapped so both `tf.keras.layers.Dense(128)` and `new tf.keras.layers.Dense(128)` work,
// and `instanceof` still sees the class.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any) => any;
export type Newless<C extends AnyClass> = C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

export function newless<C extends AnyClass>(cls: C): Newless<C> {
  return new Proxy(cls, {
    apply(target, _thisArg, args: unknown[]) {
      return Reflect.construct(target as unknown as new (...a: unknown[]) => unknown, args);
    },
  }) as Newless<C>;
}
