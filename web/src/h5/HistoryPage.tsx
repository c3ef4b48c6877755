// The history: newest first, loaded page by page with the server's cursor as the list scrolls,
// filtered by type and by a China-time date range.
import { Button, ErrorBlock, InfiniteScroll, List, Selector } from 'antd-mobile';
import { useCallback, useRef, useState } from 'react';

import { customerApi } from '../api/session';
import { HISTORY_TYPES, type HistoryEntry, type HistoryType } from '../api/types';
import { getHistory, type HistoryFilter } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { FormError, H5Page } from './common';
import { formatHistoryEntry } from './historyFormat';

const NO_FILTER: HistoryFilter = { types: [], from: '', to: '' };

function HistoryRow({ entry }: { entry: HistoryEntry }) {
  const { t } = useI18n();
  const line = formatHistoryEntry(entry);
  return (
    <List.Item
      data-testid="history-entry"
      data-entry-id={entry.id}
      data-type={entry.type}
      data-status={entry.status}
      data-amount-fen={entry.amount}
      data-direction={entry.direction}
      description={
        <>
          <span data-testid="history-entry-type">{t(line.typeKey)}</span>
          {' · '}
          <span data-testid="history-entry-status">{t(line.statusKey)}</span>
          {' · '}
          <span data-testid="history-entry-time">{line.time}</span>
          {line.memo && <div data-testid="history-entry-memo">{line.memo}</div>}
        </>
      }
      extra={
        <span className={`h5-amount-${line.tone}`} data-testid="history-entry-amount">
          {line.amount}
        </span>
      }
    >
      <span data-testid="history-entry-counterparty">{line.counterparty}</span>
    </List.Item>
  );
}

export function HistoryPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<HistoryFilter>(NO_FILTER);
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<unknown>(null);
  // The filter and cursor of the list shown; a generation number drops pages of an old filter.
  const filter = useRef<HistoryFilter>(NO_FILTER);
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const inFlight = useRef<{ generation: number; page: Promise<void> } | null>(null);

  const fetchPage = useCallback(async () => {
    const mine = generation.current;
    try {
      const page = await getHistory(customerApi, filter.current, cursor.current);
      if (generation.current !== mine) return;
      cursor.current = page.next_cursor;
      setEntries((previous) => {
        const seen = new Set(previous.map((entry) => entry.id));
        return [...previous, ...page.entries.filter((entry) => !seen.has(entry.id))];
      });
      setHasMore(page.next_cursor !== null);
      setError(null);
    } catch (cause) {
      if (generation.current !== mine) return;
      setError(cause);
      // InfiniteScroll shows its retry control when loadMore rejects.
      throw cause;
    }
  }, []);

  // One request at a time: a second call while a page is loading waits for that page.
  const loadMore = useCallback(async () => {
    const current = inFlight.current;
    if (current !== null && current.generation === generation.current) return current.page;
    const loading = {
      generation: generation.current,
      page: fetchPage().finally(() => {
        if (inFlight.current === loading) inFlight.current = null;
      }),
    };
    inFlight.current = loading;
    return loading.page;
  }, [fetchPage]);

  const apply = (next: HistoryFilter) => {
    generation.current += 1;
    filter.current = next;
    cursor.current = null;
    setEntries([]);
    setError(null);
    setHasMore(true);
  };

  const typeOptions = HISTORY_TYPES.map((type) => ({
    label: t(`history.type.${type}`),
    value: type,
  }));

  return (
    <H5Page title={t('history.title')}>
      <div className="h5-filter" data-testid="history-filter">
        <Selector<HistoryType>
          multiple
          columns={3}
          options={typeOptions}
          value={draft.types}
          onChange={(types) => setDraft((previous) => ({ ...previous, types }))}
          data-testid="history-type-filter"
        />
        <div className="h5-filter-dates">
          <label>
            {t('history.from')}
            <input
              className="h5-date"
              type="date"
              value={draft.from}
              max={draft.to || undefined}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
              data-testid="history-from"
            />
          </label>
          <label>
            {t('history.to')}
            <input
              className="h5-date"
              type="date"
              value={draft.to}
              min={draft.from || undefined}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
              data-testid="history-to"
            />
          </label>
        </div>
        <div className="h5-filter-dates">
          <Button
            size="small"
            color="primary"
            onClick={() => apply(draft)}
            data-testid="history-apply"
          >
            {t('history.apply')}
          </Button>
          <Button
            size="small"
            onClick={() => {
              setDraft(NO_FILTER);
              apply(NO_FILTER);
            }}
            data-testid="history-clear"
          >
            {t('history.clear')}
          </Button>
        </div>
      </div>
      {!hasMore && entries.length === 0 && error === null ? (
        <ErrorBlock status="empty" title={t('common.empty')} description="" />
      ) : (
        <List data-testid="history-list">
          {entries.map((entry) => (
            <HistoryRow key={entry.id} entry={entry} />
          ))}
        </List>
      )}
      <FormError error={error} />
      <InfiniteScroll
        key={generation.current}
        loadMore={loadMore}
        hasMore={hasMore}
        data-testid="history-more"
      >
        {(more, failed, retry) =>
          failed ? (
            <Button size="small" onClick={retry}>
              {t('common.retry')}
            </Button>
          ) : more ? (
            t('common.loading')
          ) : entries.length > 0 ? (
            <span data-testid="history-end">{t('common.noMore')}</span>
          ) : null
        }
      </InfiniteScroll>
    </H5Page>
  );
}
