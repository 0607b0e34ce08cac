import { parentPort } from 'node:worker_threads';
import { ExtractionBudgetError } from './budget.js';
import { type ExtractionTask, runTask } from './tasks.js';

/**
 * Entry point of an extraction thread (see pool.ts): one task at a time, answered by id. An error crosses
 * as its name, message and, for a budget, its limit; the pool turns it back into the same class.
 */
export interface TaskMessage {
  id: number;
  task: ExtractionTask;
}

export type ThreadMessage =
  | { id: 0; type: 'ready' }
  | { id: number; type: 'text'; chars: number }
  | { id: number; type: 'loaded' }
  | { id: number; type: 'done'; result: unknown }
  | {
      id: number;
      type: 'error';
      error: { name: string; message: string; limit?: string; value?: number };
    };

const port = parentPort;
if (!port) throw new Error('thread.ts runs inside a worker thread only');

port.on('message', ({ id, task }: TaskMessage) => {
  const post = (message: ThreadMessage) => port.postMessage(message);
  runTask(
    task,
    (chars) => post({ id, type: 'text', chars }),
    () => post({ id, type: 'loaded' }),
  ).then(
    (result) => post({ id, type: 'done', result }),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      post({
        id,
        type: 'error',
        error: {
          name: e.name,
          message: e.message,
          ...(e instanceof ExtractionBudgetError ? { limit: e.limit, value: e.value } : {}),
        },
      });
    },
  );
});

// Module loading (tsx compiling the sources, in development) is not the input's fault: budgets start now.
port.postMessage({ id: 0, type: 'ready' } satisfies ThreadMessage);
