// The customer's message inbox (消息) of API v1 and the switch for personalised offers.
//
// Marketing ops push a campaign's offer to the customers whose spending matches an audience
// (api/offerPush.ts); each lands here as a message of kind "offer", once per customer and
// campaign. The inbox is newest first and paged by an opaque cursor; reading marks one message
// (or all of them) read and answers how many are left unread.
//
// Turning personalised offers off (PIPL art. 24: a person may refuse marketing based on their
// profile) keeps the customer out of every offer push from then on.
//
// The customer page is h5/MessagesPage.tsx; its words are in i18n/messageInboxMessages.ts.
import type { ApiClient } from './client';

/** The page size the inbox asks for. */
export const MESSAGES_PAGE_SIZE = 20;

/** The kinds of message this client knows; others may come and are shown as plain messages. */
export const MESSAGE_KINDS = ['offer'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** One message of the inbox; `id` is unique within the customer's inbox. */
export interface Message {
  id: string;
  /** "offer": a campaign's offer, opened on /offers. A kind this client does not know comes as is. */
  kind: MessageKind | string;
  campaign_id: string;
  title: string;
  body: string;
  /** RFC 3339. */
  created_at: string;
  read: boolean;
}

/** GET /me/messages: one page, newest first, with the unread count of the whole inbox. */
export interface MessagePage {
  messages: Message[];
  unread: number;
  /** Null on the last page. */
  next_cursor: string | null;
}

/** GET and PUT /me/offer-preferences. */
export interface OfferPreferences {
  personalised: boolean;
}

const MESSAGES_PATH = '/api/v1/me/messages';
const PREFERENCES_PATH = '/api/v1/me/offer-preferences';

/** One page of the inbox: the first without a cursor, the next with the last page's next_cursor. */
export function listMessages(api: ApiClient, cursor?: string | null): Promise<MessagePage> {
  const params = new URLSearchParams();
  params.set('limit', String(MESSAGES_PAGE_SIZE));
  if (cursor !== undefined && cursor !== null) params.set('cursor', cursor);
  return api.get<MessagePage>(`${MESSAGES_PATH}?${params.toString()}`);
}

/**
 * Marks one message read (`id`), or every message when no id is given; answers the unread
 * count left. An id the inbox does not hold: 404 MESSAGE_NOT_FOUND.
 */
export async function markMessagesRead(api: ApiClient, id?: string): Promise<number> {
  const body = id === undefined ? {} : { id };
  const answer = await api.post<{ unread: number }>(`${MESSAGES_PATH}/read`, body);
  return answer.unread;
}

/** Whether the customer lets offers be chosen from their spending habits. */
export async function getOfferPreferences(api: ApiClient): Promise<boolean> {
  const answer = await api.get<OfferPreferences>(PREFERENCES_PATH);
  return answer.personalised;
}

/** Turns personalised offers on or off; answers the setting as stored. */
export async function setOfferPreferences(api: ApiClient, personalised: boolean): Promise<boolean> {
  const body: OfferPreferences = { personalised };
  const answer = await api.put<OfferPreferences>(PREFERENCES_PATH, body);
  return answer.personalised;
}
