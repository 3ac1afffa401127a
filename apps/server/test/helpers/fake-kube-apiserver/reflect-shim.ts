// @peculiar/x509 registers its classes with tsyringe, which refuses to load unless a Reflect metadata
// polyfill is present. reflect-metadata is not installed, and tsyringe only needs these three functions
// (constructor parameter types are never emitted for the library's classes), so a WeakMap-backed stand-in is
// enough. Import this module before '@peculiar/x509'.

type MetadataTarget = object;
const store = new WeakMap<MetadataTarget, Map<unknown, unknown>>();

function ownMap(target: MetadataTarget, create: boolean): Map<unknown, unknown> | undefined {
  let map = store.get(target);
  if (!map && create) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: MetadataTarget) => unknown;
  getOwnMetadata?: (key: unknown, target: MetadataTarget) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: MetadataTarget) => void;
}

const reflect = Reflect as typeof Reflect & ReflectMetadata;

if (!reflect.getMetadata) {
  reflect.getOwnMetadata = (key, target) => ownMap(target, false)?.get(key);
  reflect.defineMetadata = (key, value, target) => {
    ownMap(target, true)?.set(key, value);
  };
  reflect.getMetadata = (key, target) => {
    // Metadata is inherited along the prototype chain.
    for (let t: MetadataTarget | null = target; t; t = Object.getPrototypeOf(t) as MetadataTarget | null) {
      const map = ownMap(t, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
}

export {};
