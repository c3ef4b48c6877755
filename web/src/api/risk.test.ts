import { describe, expect, it } from 'vitest';

import { parseRuleSetText, ruleSetText, type RuleSet } from './risk';

const SET: RuleSet = {
  version: 3,
  challenge_at: 40,
  review_at: 70,
  deny_at: 100,
  rules: [{ id: 1, name: 'large', expression: 'amount_fen >= 50000', score: 0, action: 'review', shadow: false }],
};

describe('the rule-set editor text', () => {
  it('round-trips a set without its version', () => {
    const text = ruleSetText(SET);
    expect(text).not.toContain('version');
    const parsed = parseRuleSetText(text);
    expect(parsed).toEqual({ ok: true, body: { ...SET, version: undefined } });
  });

  it('leaves out the counters the server adds to a set', () => {
    const counted: RuleSet = {
      ...SET,
      evaluated: 40,
      verdicts: { allow: 30, challenge: 0, review: 10, deny: 0 },
      rules: SET.rules.map((rule) => ({ ...rule, hits: 10 })),
    };
    const text = ruleSetText(counted);
    expect(text).not.toContain('hits');
    expect(text).not.toContain('evaluated');
    expect(text).not.toContain('verdicts');
    expect(parseRuleSetText(text)).toEqual({ ok: true, body: { ...SET, version: undefined } });
  });

  it('names what is wrong', () => {
    const reason = (text: string) => {
      const parsed = parseRuleSetText(text);
      return parsed.ok ? null : parsed.reason;
    };
    expect(reason('{')).not.toBeNull();
    expect(reason('{"rules": []}')).toBe('challenge_at: an integer or null');
    expect(reason(JSON.stringify({ ...SET, review_at: 1.5 }))).toBe('review_at: an integer or null');
    expect(reason(JSON.stringify({ ...SET, rules: [], deny_at: null }))).toBe('rules: a non-empty list');
    expect(reason(JSON.stringify({ ...SET, rules: [] }))).toBe('rules: a non-empty list');
    expect(reason(JSON.stringify({ ...SET, rules: [SET.rules[0], SET.rules[0]] }))).toBe('rules[1].id: repeated');
    expect(reason(JSON.stringify({ ...SET, rules: [{ ...SET.rules[0], expression: '' }] }))).toBe(
      'rules[0].expression',
    );
  });
});
