import { encodeTaskError } from '../domain/task-failure.ts';
import type { DepFactory } from './lambda/factory.ts';
import { documentIdOf, executionOf, functionLogger, type LambdaContext } from './lambda/log.ts';
import type { DepName, Task, TaskDeps } from './task.ts';

/** How a Lambda function builds each dependency its task uses, from functions/handlers/lambda/. */
export type Wiring<D extends DepName> = { readonly [K in D]-?: DepFactory<K> };

export type LambdaTaskHandler<I, O> = (event: I, context?: LambdaContext) => Promise<O>;

/**
 * The Lambda entry point for a task: the same `run` the local engine calls, with AWS stores. Only
 * the dependencies the task declares are wired, each from its own module imported by the handler
 * file, so esbuild leaves every other SDK client and library out of the function's bundle. Each
 * invocation logs one JSON line (the task, the document, the request), a failure with its error name.
 */
export function lambdaHandler<I, O, D extends DepName>(
  task: Task<I, O, D>,
  wiring: Wiring<D>,
): LambdaTaskHandler<I, O> {
  let deps: Promise<Pick<TaskDeps, D>> | undefined;
  let logger: ReturnType<typeof functionLogger> | undefined;
  const build = async (): Promise<Pick<TaskDeps, D>> =>
    Object.fromEntries(
      await Promise.all(
        task.uses.map(async (name) => {
          const make = (wiring as Partial<Wiring<D>> | undefined)?.[name];
          if (make === undefined) throw new Error(`${task.id} has no Lambda wiring for '${name}'`);
          return [name, await make()] as const;
        }),
      ),
    ) as Pick<TaskDeps, D>;

  return async (event, context) => {
    logger ??= functionLogger({ task: task.id });
    if (context !== undefined) logger.addContext(context as never);
    const documentId = documentIdOf(event);
    const execution = executionOf(event);
    logger.appendKeys({
      ...(documentId === undefined ? {} : { documentId }),
      ...(execution === undefined ? {} : { execution }),
    });
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      deps ??= build().catch((error: unknown) => {
        // A container whose dependencies failed to build tries again on its next invocation.
        deps = undefined;
        throw error;
      });
      const output = await task.run(event, await deps);
      const madeId = documentId === undefined ? documentIdOf(output) : undefined;
      logger.info('task completed', { durationMs: durationMs(), ...(madeId ? { documentId: madeId } : {}) });
      return output;
    } catch (error) {
      const encoded = encodeTaskError(error);
      logger.error('task failed', {
        errorName: encoded.name,
        durationMs: durationMs(),
        error: error instanceof Error ? error : encoded,
      });
      throw encoded;
    } finally {
      logger.resetKeys();
    }
  };
}
