import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the last committed `value`, for callbacks and loops that outlive a render (a scanner's
 * listener, an answer arriving after an await). Written after the commit, not during render: a render React throws
 * away must not leave its value behind.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
