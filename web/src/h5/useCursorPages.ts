// A list read page by page with the API's cursor ("load more"): the first page once on mount,
// each later one appended, an item already shown not repeated. `onPage` sees every page (for
// figures that come with it, such as an unread count).
import { useCallback, useEffect, useRef, useState } from 'react';

export interface CursorPages<T> {
  items: T[];
  setItems: (update: (previous: T[]) => T[]) => void;
  cursor: string | null;
  done: boolean;
  loading: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  more: (from: string | null) => Promise<void>;
}

export function useCursorPages<T extends { id: string }, P extends { next_cursor: string | null }>(
  fetchPage: (cursor: string | null) => Promise<P>,
  itemsOf: (page: P) => T[],
  onPage?: (page: P) => void,
): CursorPages<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  // The latest callbacks, so that `more` stays the same function across renders.
  const latest = useRef({ fetchPage, itemsOf, onPage });
  latest.current = { fetchPage, itemsOf, onPage };

  const more = useCallback(async (from: string | null) => {
    setLoading(true);
    try {
      const page = await latest.current.fetchPage(from);
      const fresh = latest.current.itemsOf(page);
      setItems((previous) => {
        const seen = new Set(previous.map((item) => item.id));
        return [...previous, ...fresh.filter((item) => !seen.has(item.id))];
      });
      latest.current.onPage?.(page);
      setCursor(page.next_cursor);
      setDone(page.next_cursor === null);
      setError(null);
    } catch (cause) {
      setError(cause);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void more(null);
  }, [more]);

  return { items, setItems, cursor, done, loading, error, setError, more };
}
