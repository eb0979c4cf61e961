// The view library, in one place: Preact (escapes text by default, no eval, so the strict
// Content-Security-Policy holds) with htm tagged templates instead of a JSX build step.
import { h, render, Fragment } from '../vendor/preact.mjs';
import { useState, useEffect, useLayoutEffect, useRef, useCallback, useMemo, useReducer } from '../vendor/hooks.mjs';
import htm from '../vendor/htm.mjs';

export const html = htm.bind(h);
export { h, render, Fragment, useState, useEffect, useLayoutEffect, useRef, useCallback, useMemo, useReducer };

// Re-renders the calling component whenever `store` (an object with subscribe(fn) -> unsubscribe)
// announces a change, and returns store.get().
export function useStore(store) {
  const [, bump] = useReducer((n) => n + 1, 0);
  useEffect(() => store.subscribe(bump), [store]);
  return store.get();
}
