// Messages (消息, /messages): the customer's inbox, newest first, 20 at a time with "load more".
// Unread messages are bold with a dot; tapping one opens it (its whole text) and marks it read,
// and an offer (kind "offer") then shows 去看看, which opens /offers. "Mark all read" clears the
// unread count. On top, the switch for personalised offers (PIPL art. 24: the customer may
// refuse marketing based on their spending profile).
import { Badge, Button, List, SpinLoading, Switch, Toast } from 'antd-mobile';
import { useState, type CSSProperties } from 'react';
import { useNavigate } from 'react-router';

import {
  getOfferPreferences,
  listMessages,
  markMessagesRead,
  setOfferPreferences,
  type Message,
} from '../api/messages';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { hasMessage } from '../i18n/translate';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { formatChinaTime } from './historyFormat';
import { useCursorPages } from './useCursorPages';

/** The switch for personalised offers, with its one-line explanation. */
function PersonalisedSwitch() {
  const { t } = useI18n();
  const loaded = useLoad(() => getOfferPreferences(customerApi), []);
  const [stored, setStored] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const personalised = stored ?? loaded.data;

  const change = async (next: boolean) => {
    setError(null);
    try {
      const answer = await setOfferPreferences(customerApi, next);
      setStored(answer);
      Toast.show({ content: t(answer ? 'messages.personalised.on' : 'messages.personalised.off') });
    } catch (cause) {
      setError(cause);
    }
  };

  return (
    <>
      <List>
        <List.Item
          description={<span data-testid="offer-personalised-help">{t('messages.personalised.help')}</span>}
          extra={
            personalised === null ? (
              loaded.loading ? (
                <SpinLoading style={{ '--size': '20px' }} />
              ) : undefined
            ) : (
              <Switch
                checked={personalised}
                onChange={change}
                data-testid="offer-personalised-switch"
                data-checked={personalised ? 'true' : 'false'}
              />
            )
          }
        >
          {t('messages.personalised')}
        </List.Item>
      </List>
      <FormError error={error ?? loaded.error} />
    </>
  );
}

/** An opened message shows its whole text; a closed one its first two lines. */
const OPEN_BODY: CSSProperties = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };
const CLOSED_BODY: CSSProperties = {
  display: '-webkit-box',
  WebkitLineClamp: 2,
  WebkitBoxOrient: 'vertical',
  overflow: 'hidden',
  overflowWrap: 'anywhere',
};

function MessageItem({
  message,
  open,
  onTap,
}: {
  message: Message;
  open: boolean;
  onTap: (message: Message) => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const kindKey = `messages.kind.${message.kind}`;
  return (
    <List.Item
      onClick={() => onTap(message)}
      data-testid="message-item"
      data-message-id={message.id}
      data-read={message.read ? 'true' : 'false'}
      data-kind={message.kind}
      data-open={open ? 'true' : 'false'}
      prefix={
        message.read ? (
          <span style={{ display: 'inline-block', width: 8 }} />
        ) : (
          <Badge content={Badge.dot} data-testid="message-unread-dot" aria-label={t('messages.unread')} />
        )
      }
      description={
        <>
          <div data-testid="message-body" style={open ? OPEN_BODY : CLOSED_BODY}>
            {message.body}
          </div>
          <div className="h5-muted">
            {hasMessage(kindKey) && <span>{t(kindKey)} · </span>}
            <span data-testid="message-time" data-time={message.created_at}>
              {formatChinaTime(message.created_at)}
            </span>
          </div>
          {open && message.kind === 'offer' && (
            <Button
              size="small"
              color="primary"
              style={{ marginTop: 8 }}
              onClick={(event) => {
                event.stopPropagation();
                navigate('/offers');
              }}
              data-testid="message-open-offer"
              data-campaign-id={message.campaign_id}
            >
              {t('messages.openOffer')}
            </Button>
          )}
        </>
      }
    >
      <span data-testid="message-title" style={{ fontWeight: message.read ? 'normal' : 'bold' }}>
        {message.title}
      </span>
    </List.Item>
  );
}

export function MessagesPage() {
  const { t } = useI18n();
  const [unread, setUnread] = useState(0);
  const [readingAll, setReadingAll] = useState(false);
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const {
    items: messages,
    setItems: setMessages,
    cursor,
    done,
    loading,
    error,
    setError,
    more,
  } = useCursorPages(
    (from: string | null) => listMessages(customerApi, from),
    (page) => page.messages,
    (page) => setUnread(page.unread),
  );

  const markRead = (ids: ReadonlySet<string> | 'all') =>
    setMessages((previous) => previous.map((m) => (ids === 'all' || ids.has(m.id) ? { ...m, read: true } : m)));

  const tap = async (message: Message) => {
    setOpened((previous) => new Set(previous).add(message.id));
    if (message.read) return;
    try {
      setUnread(await markMessagesRead(customerApi, message.id));
      markRead(new Set([message.id]));
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  };

  const readAll = async () => {
    setReadingAll(true);
    try {
      setUnread(await markMessagesRead(customerApi));
      markRead('all');
      setError(null);
      Toast.show({ content: t('messages.allRead') });
    } catch (cause) {
      setError(cause);
    } finally {
      setReadingAll(false);
    }
  };

  return (
    <H5Page title={t('messages.title')}>
      <div data-testid="messages-page" data-unread={unread}>
        <PersonalisedSwitch />
        <div className="h5-page" style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span className="h5-muted" data-testid="messages-unread" data-count={unread}>
            {t('messages.unread')} {unread}
          </span>
          <Button
            size="small"
            onClick={() => void readAll()}
            loading={readingAll}
            disabled={unread === 0}
            data-testid="messages-read-all"
          >
            {t('messages.readAll')}
          </Button>
        </div>
        <FormError error={error} />
        <List data-testid="messages-list">
          {messages.map((message) => (
            <MessageItem
              key={message.id}
              message={message}
              open={opened.has(message.id)}
              onTap={(m) => void tap(m)}
            />
          ))}
        </List>
        {loading && <SpinLoading />}
        {!loading && messages.length === 0 && error === null && (
          <p className="h5-page h5-muted" data-testid="messages-empty">
            {t('messages.empty')}
          </p>
        )}
        {!done && !loading && messages.length > 0 && (
          <div className="h5-page">
            <Button block onClick={() => void more(cursor)} data-testid="messages-more">
              {t('common.loadMore')}
            </Button>
          </div>
        )}
        {done && messages.length > 0 && (
          <p className="h5-page h5-muted" data-testid="messages-end">
            {t('common.noMore')}
          </p>
        )}
      </div>
    </H5Page>
  );
}
