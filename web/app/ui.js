// The view library, in one place: Preact (escapes text by default, no eval, so the strict
// Content-Security-Policy holds) with htm tagged templates instead of a JSX build step.
import { h, render, Fragment } from '../vendor/preact.mjs';
import { useState, useEffect, useLayoutEffect, useRef, useCallback, useMemo, useReducer } from '../vendor/hooks.mjs';
import htm from '../vendor/htm.mjs';

export const html = htm.bind(h);
export { h, render, Fragment, useState, useEffect, useLayoutEffect, useRef, useCallback, useMemo, useReducer };

// Re-renders the calling component whenever `store` (an object with subscribe(fn) -> unsubscribe)
// announces a change, and returns store.get(). A change made between the render and the
// subscription (effects run after the render) is caught up at once, not missed.
export function useStore(store) {
  const value = store.get();
  const [, bump] = useReducer((n) => n + 1, 0);
  useEffect(() => {
    const unsubscribe = store.subscribe(bump);
    if (store.get() !== value) bump();
    return unsubscribe;
  }, [store]);
  return value;
}

// Loads what a page shows: { data, error, reload }. `load` is called at once and again whenever a
// value of `deps` changes; a failure keeps the last data and sets error (an ApiError).
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null });
  const reload = async () => {
    try {
      const data = await load();
      setState({ data, error: null });
      return data;
    } catch (error) {
      setState((s) => ({ ...s, error }));
      return null;
    }
  };
  useEffect(() => {
    reload();
  }, deps);
  return { ...state, reload };
}

// Calls `read` at once and every `ms` while the component is shown (a card that follows a state on
// the server). `read(alive)` gets a function that says whether the component is still shown, to
// keep an answer that comes too late from setting state.
export function useEvery(read, ms) {
  useEffect(() => {
    let stopped = false;
    const alive = () => !stopped;
    read(alive);
    const timer = setInterval(() => read(alive), ms);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
}

// The actions of a page that shows one thing (a bill, a return ticket): act(fn) is a click handler
// that runs fn, keeps its failure for the page to show (or clears the last one), and reads the
// thing again either way, so the page shows what the server holds.
export function actionsOf(reload, setFailure) {
  return (fn) => async () => {
    try {
      await fn();
      setFailure(null);
    } catch (e) {
      setFailure(e);
    }
    await reload();
  };
}

// Previous / next page buttons for a list that the server gives a page at a time.
export function Pager({ page, hasMore, go, label }) {
  return html`<nav class="pager" aria-label=${label}>
    <button type="button" disabled=${page <= 1} onClick=${() => go({ page: page - 1 })}>Previous page</button>
    <span>Page ${page}</span>
    <button type="button" disabled=${!hasMore} onClick=${() => go({ page: page + 1 })}>Next page</button>
  </nav>`;
}
