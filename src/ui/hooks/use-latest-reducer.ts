import { useCallback, useReducer, useRef, type Dispatch } from 'react';

/**
 * useReducer plus a ref that is up to date the moment an action is dispatched.
 * Key handlers read the ref: two keys can arrive before React draws the first
 * one's result, and Ink hands them to a handler from an older render.
 */
export function useLatestReducer<S, A>(reducer: (s: S, a: A) => S, initial: S): [S, Dispatch<A>, { readonly current: S }] {
  const [state, dispatchReact] = useReducer(reducer, initial);
  const latest = useRef(state);
  const dispatch = useCallback(
    (action: A) => {
      latest.current = reducer(latest.current, action);
      dispatchReact(action);
    },
    [reducer],
  );
  return [state, dispatch, latest];
}
