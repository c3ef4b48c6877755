import { describe, expect, it } from 'vitest';

import {
  canChangeMerchantStatus,
  canGrantTier,
  canOnboardMerchant,
  canOpen,
  landingPath,
  visiblePages,
} from './roles';

const pagesOf = (roles: Parameters<typeof visiblePages>[0]) =>
  visiblePages(roles).map((entry) => entry.page);

describe('console roles', () => {
  it('shows an admin every page', () => {
    expect(pagesOf(['admin'])).toEqual([
      'dashboard',
      'customers',
      'smsOutbox',
      'ledger',
      'staff',
      'merchants',
      'settlements',
      'audit',
    ]);
    expect(canGrantTier(['admin'])).toBe(true);
  });

  it('shows the other roles only what their API routes allow', () => {
    expect(pagesOf(['support'])).toEqual(['dashboard', 'customers', 'merchants']);
    expect(pagesOf(['auditor'])).toEqual([
      'dashboard',
      'ledger',
      'merchants',
      'settlements',
      'audit',
    ]);
    expect(pagesOf(['marketing'])).toEqual(['dashboard']);
    expect(pagesOf(['outreach_agent', 'auditor'])).toEqual([
      'dashboard',
      'customers',
      'ledger',
      'merchants',
      'settlements',
      'audit',
    ]);
    expect(pagesOf(['risk'])).toEqual(['dashboard', 'customers', 'merchants']);
    expect(pagesOf([])).toEqual(['dashboard']);
    expect(canOpen(['risk'], 'smsOutbox')).toBe(false);
    expect(canOpen(['risk'], 'customers')).toBe(true);
    expect(canOpen(['auditor'], 'staff')).toBe(false);
    expect(canOpen(['auditor'], 'audit')).toBe(true);
    expect(canOpen(['support', 'risk', 'marketing', 'outreach_manager'], 'audit')).toBe(false);
  });

  it('lets only admins and outreach staff grant tier I', () => {
    expect(canGrantTier(['outreach_agent'])).toBe(true);
    expect(canGrantTier(['outreach_manager'])).toBe(true);
    expect(canGrantTier(['support', 'risk', 'auditor'])).toBe(false);
  });

  it('lets only admins onboard merchants, and admins and risk change their status', () => {
    expect(canOnboardMerchant(['admin'])).toBe(true);
    expect(canOnboardMerchant(['risk', 'support', 'auditor'])).toBe(false);
    expect(canChangeMerchantStatus(['risk'])).toBe(true);
    expect(canChangeMerchantStatus(['admin'])).toBe(true);
    expect(canChangeMerchantStatus(['support', 'auditor', 'marketing'])).toBe(false);
  });

  it('lands on the first useful page', () => {
    expect(landingPath(['admin'])).toBe('/console/customers');
    expect(landingPath(['auditor'])).toBe('/console/ledger');
    expect(landingPath(['marketing'])).toBe('/console/dashboard');
  });
});
