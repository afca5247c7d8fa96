import type { DepName, TaskDeps } from '../task.ts';

/** Builds one dependency in a Lambda container, from the environment CDK sets. */
export type DepFactory<K extends DepName> = () => TaskDeps[K] | Promise<TaskDeps[K]>;

/**
 * A value built once per container, on first use (never at import: the local engine imports these
 * too). A promise that rejects is forgotten, so the next invocation tries again.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    if (made === undefined) {
      const value = make();
      made = { value };
      if (value instanceof Promise)
        value.catch(() => {
          if (made?.value === value) made = undefined;
        });
    }
    return made.value;
  };
}

/**
 * The folders a function carries beside its bundle, under these names whatever the project calls
 * them (infra/aws/bundle-options.ts copies them there).
 */
export const carriedFolders = { calendar: 'calendar', trust: 'trust', crl: 'crl' } as const;

/** A path beside the bundle in Lambda; from the sources, beside this module (where nothing is). */
export function besideBundle(name: string): URL {
  return new URL(`./${name}`, import.meta.url);
}
