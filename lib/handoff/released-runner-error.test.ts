import { expect, it } from 'vitest';
import { isReleasedRunnerError } from './worker';

const fromGraphile = (message: string) => {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    at onError (/app/node_modules/graphile-worker/dist/localQueue.js:378:27)`;
  return error;
};
const released = fromGraphile(
  'Error occurred whilst returning jobs from local queue to database queue: terminating connection due to administrator command',
);

it('only a released runner failing to return its jobs is tolerated by the worker process; anything else stops it', () => {
  expect(isReleasedRunnerError(released)).toBe(true);
  expect(isReleasedRunnerError(new AggregateError([released, released]))).toBe(true);
  // The same words from our own code, another graphile-worker error, a mix, or not an Error at all: exit 1.
  expect(isReleasedRunnerError(new Error(released.message))).toBe(false);
  expect(isReleasedRunnerError(fromGraphile('Cannot background something when the queue is already released'))).toBe(
    false,
  );
  expect(isReleasedRunnerError(new AggregateError([released, new TypeError('x is undefined')]))).toBe(false);
  expect(isReleasedRunnerError(new AggregateError([]))).toBe(false);
  expect(isReleasedRunnerError(released.message)).toBe(false);
});
