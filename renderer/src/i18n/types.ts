// The shape every language must have: the English bundle's keys with string leaves, so a
// translation missing a key (or adding one) fails to compile rather than showing English.
export type DeepStrings<T> = { readonly [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
