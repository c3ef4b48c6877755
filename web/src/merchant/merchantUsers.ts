// The rules the users page applies before it asks the server (which checks them again): what a
// username and a password must look like, and which status change each row offers.
import type { MerchantPortalUser } from '../api/types';

/** 3-32 of a-z, 0-9, _ . -, starting with a letter (the server lower-cases what it gets). */
export function isValidUsername(username: string): boolean {
  return /^[a-z][a-z0-9_.-]{2,31}$/.test(username.trim().toLowerCase());
}

/** 8-64 characters with at least one letter and one digit. */
export function isStrongEnough(password: string): boolean {
  const length = password.length;
  return length >= 8 && length <= 64 && /[A-Za-z]/.test(password) && /\d/.test(password);
}

/**
 * What the row of `user` offers the owner `meId`: disable an active user other than oneself,
 * enable a disabled one. The server also keeps the merchant's last active owner; as the one
 * asking is an active owner, another active owner is never the last.
 */
export function statusAction(user: MerchantPortalUser, meId: string): 'disable' | 'enable' | null {
  if (user.status === 'disabled') return 'enable';
  return user.id === meId ? null : 'disable';
}
