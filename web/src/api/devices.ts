// The customer's signed-in devices (security centre): list the live sessions, sign one out, or
// sign out every session but this one. Ids are not credentials.
import type { ApiClient } from './client';

/** One entry of GET /me/sessions. */
export interface DeviceSession {
  id: string;
  current: boolean;
  created_at: string;
  last_active_at: string;
  expires_at: string;
  /** The User-Agent of the log-in; empty for sessions opened before a server restart. */
  device: string;
  ip: string;
}

export async function listSessions(api: ApiClient): Promise<DeviceSession[]> {
  const answer = await api.request<{ sessions: DeviceSession[] }>('GET', '/api/v1/me/sessions');
  return answer.sessions;
}

export function signOutSession(api: ApiClient, id: string): Promise<unknown> {
  return api.request<unknown>('DELETE', `/api/v1/me/sessions/${encodeURIComponent(id)}`);
}

export function signOutOtherSessions(api: ApiClient): Promise<unknown> {
  return api.request<unknown>('DELETE', '/api/v1/me/sessions');
}

/** A short name for a User-Agent: the app or browser and the system, or the raw text. */
export function deviceLabel(userAgent: string): string {
  if (userAgent === '') return '';
  // The most specific name wins: Android phones also say Linux, Chrome also says Safari.
  const first = (names: string[]) => names.find((name) => userAgent.includes(name));
  const system = first(['Android', 'iPhone', 'iPad', 'Windows', 'Mac OS X', 'Linux']);
  const app = first(['QianbaoApp', 'MicroMessenger', 'Edg', 'Chrome', 'Firefox', 'Safari']);
  if (app === undefined && system === undefined) return userAgent.slice(0, 40);
  return [app === 'Edg' ? 'Edge' : app, system === 'Mac OS X' ? 'macOS' : system]
    .filter((part) => part !== undefined)
    .join(' · ');
}
