import { describe, expect, it } from 'vitest';

import {
  canChangeMerchantStatus,
  canEditCampaigns,
  canEditCustomerLists,
  canEditPoints,
  canEditReferral,
  canEditLottery,
  canEditRedPackets,
  canEditRisk,
  canGrantTier,
  canOnboardMerchant,
  canOpen,
  canPayOutRefunds,
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
      'campaigns',
      'customerLists',
      'points',
      'referral',
      'lottery',
      'redPackets',
      'riskReviews',
      'riskRules',
      'riskLists',
      'amlReports',
    ]);
    expect(canGrantTier(['admin'])).toBe(true);
  });

  it('shows the other roles only what their API routes allow', () => {
    expect(pagesOf(['support'])).toEqual(['dashboard', 'customers', 'merchants']);
    const auditorPages = [
      'ledger',
      'merchants',
      'settlements',
      'audit',
      'campaigns',
      'customerLists',
      'points',
      'referral',
      'lottery',
      'redPackets',
      'riskReviews',
      'riskRules',
      'riskLists',
      'amlReports',
    ];
    expect(pagesOf(['auditor'])).toEqual(['dashboard', ...auditorPages]);
    expect(pagesOf(['marketing'])).toEqual([
      'dashboard',
      'campaigns',
      'customerLists',
      'points',
      'referral',
      'lottery',
      'redPackets',
    ]);
    expect(pagesOf(['outreach_agent', 'auditor'])).toEqual([
      'dashboard',
      'customers',
      ...auditorPages,
    ]);
    expect(pagesOf(['risk'])).toEqual([
      'dashboard',
      'customers',
      'merchants',
      'riskReviews',
      'riskRules',
      'riskLists',
      'amlReports',
    ]);
    expect(canOpen(['marketing'], 'riskReviews')).toBe(false);
    expect(canOpen(['support'], 'amlReports')).toBe(false);
    expect(canOpen(['marketing', 'outreach_manager', 'outreach_agent'], 'amlReports')).toBe(false);
    expect(canOpen(['support'], 'campaigns')).toBe(false);
    expect(canOpen(['support', 'risk', 'outreach_manager', 'outreach_agent'], 'customerLists')).toBe(false);
    expect(canOpen(['support', 'risk', 'outreach_manager', 'outreach_agent'], 'points')).toBe(false);
    expect(canOpen(['support', 'risk', 'outreach_manager', 'outreach_agent'], 'referral')).toBe(false);
    expect(canOpen(['support', 'risk', 'outreach_manager', 'outreach_agent'], 'lottery')).toBe(false);
    expect(canOpen(['support', 'risk', 'outreach_manager', 'outreach_agent'], 'redPackets')).toBe(false);
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

  it('lets only admins and support record a closed account\'s refund payout', () => {
    expect(canPayOutRefunds(['support'])).toBe(true);
    expect(canPayOutRefunds(['admin'])).toBe(true);
    expect(canPayOutRefunds(['risk', 'auditor', 'outreach_agent', 'marketing'])).toBe(false);
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
    expect(landingPath(['marketing'])).toBe('/console/campaigns');
    expect(landingPath([])).toBe('/console/dashboard');
  });

  it('lets admins and marketing edit campaigns, points, referral, the lottery and red packets, admins and risk act on risk', () => {
    expect(canEditCampaigns(['marketing'])).toBe(true);
    expect(canEditCampaigns(['admin'])).toBe(true);
    expect(canEditCampaigns(['auditor', 'risk', 'support'])).toBe(false);
    expect(canEditCustomerLists(['marketing'])).toBe(true);
    expect(canEditCustomerLists(['admin'])).toBe(true);
    expect(canEditCustomerLists(['auditor', 'risk', 'support'])).toBe(false);
    expect(canEditPoints(['marketing'])).toBe(true);
    expect(canEditPoints(['admin'])).toBe(true);
    expect(canEditPoints(['auditor', 'risk', 'support'])).toBe(false);
    expect(canEditReferral(['marketing'])).toBe(true);
    expect(canEditReferral(['admin'])).toBe(true);
    expect(canEditReferral(['auditor', 'risk', 'support'])).toBe(false);
    expect(canEditLottery(['marketing'])).toBe(true);
    expect(canEditLottery(['admin'])).toBe(true);
    expect(canEditLottery(['auditor', 'risk', 'support'])).toBe(false);
    expect(canEditRedPackets(['marketing'])).toBe(true);
    expect(canEditRedPackets(['admin'])).toBe(true);
    expect(canEditRedPackets(['auditor', 'risk', 'support'])).toBe(false);
    expect(canEditRisk(['risk'])).toBe(true);
    expect(canEditRisk(['admin'])).toBe(true);
    expect(canEditRisk(['auditor', 'marketing', 'support'])).toBe(false);
  });
});
