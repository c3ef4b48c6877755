// Risk rule sets (admin and risk publish; auditors read): the active set and the shadow set
// (evaluated on live traffic, logged, never enforced), each versioned by the engine. An analyst
// edits a copy (thresholds and rules in a JSON editor checked before sending) and publishes it
// as the new active or shadow version; the engine compiles it and refuses a broken one
// (RULES_INVALID with the compiler's message). Every version is journaled and audited.
// Each rule shows its hits since its version was installed; the shadow log lists the events on
// which the shadow set decided differently from the active one (newest first).
import { Alert, Button, Card, Descriptions, Input, Space, Table, Tag, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';

import {
  getRuleSets,
  getShadowLog,
  parseRuleSetText,
  publishRuleSet,
  ruleSetText,
  type RuleSet,
  type RuleSpec,
  type ShadowLogEntry,
  type Verdict,
} from '../api/risk';
import { staffApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { rowTestAttributes } from './format';
import { hitsLabel, shadowStricter, verdictChange } from './riskRules';
import { canEditRisk } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

function RuleSetCard({ set, title, testId }: { set: RuleSet | null; title: string; testId: string }) {
  const { t } = useI18n();
  const columns = [
    { title: t('risk.rules.id'), dataIndex: 'id', key: 'id', width: 60 },
    { title: t('risk.rules.name'), dataIndex: 'name', key: 'name', render: (name: string) => <code>{name}</code> },
    {
      title: t('risk.rules.expression'),
      dataIndex: 'expression',
      key: 'expression',
      render: (expression: string) => <code>{expression}</code>,
    },
    { title: t('risk.rules.scoreLabel'), dataIndex: 'score', key: 'score', width: 70 },
    {
      title: t('risk.rules.action'),
      key: 'action',
      width: 120,
      render: (_: unknown, rule: RuleSpec) => (
        <Space>
          <Tag>{t(`risk.action.${rule.action}`)}</Tag>
          {rule.shadow && <Tag color="purple">{t('risk.rules.shadowRule')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('risk.rules.hits'),
      key: 'hits',
      width: 110,
      align: 'right' as const,
      render: (_: unknown, rule: RuleSpec) => (
        <span data-testid="rule-hits" data-hits={rule.hits ?? ''}>
          {hitsLabel(rule.hits, set?.evaluated)}
        </span>
      ),
    },
  ];
  return (
    <Card
      type="inner"
      title={title}
      style={{ marginBottom: 16 }}
      data-testid={testId}
      data-version={set?.version ?? 0}
      extra={set && t('risk.rules.version', { version: set.version })}
    >
      {set === null ? (
        t('risk.rules.none')
      ) : (
        <>
          <Descriptions size="small" column={3} title={t('risk.rules.thresholds')}>
            <Descriptions.Item label={t('risk.rules.challengeAt')}>{set.challenge_at ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('risk.rules.reviewAt')}>{set.review_at ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('risk.rules.denyAt')}>{set.deny_at ?? '—'}</Descriptions.Item>
          </Descriptions>
          {set.evaluated !== undefined && (
            <p data-testid="rules-evaluated" data-evaluated={set.evaluated}>
              {t('risk.rules.evaluated', { count: set.evaluated })}
            </p>
          )}
          <Table<RuleSpec>
            rowKey="id"
            size="small"
            dataSource={set.rules}
            columns={columns}
            pagination={false}
            onRow={(rule) => rowTestAttributes('rule-row', String(rule.id))}
          />
        </>
      )}
    </Card>
  );
}

function ShadowLog({ version }: { version: number }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ShadowLogEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (after: string | null) => {
    setBusy(true);
    try {
      const page = await getShadowLog(staffApi, after);
      setItems((previous) => (after === null ? page.items : [...previous, ...page.items]));
      setCursor(page.next_cursor);
      setError(null);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  }, []);

  // A new shadow version starts a new log.
  useEffect(() => {
    void load(null);
  }, [load, version]);

  const verdictName = (verdict: Verdict) => t(`risk.verdict.${verdict}`);
  const columns = [
    { title: t('risk.shadowLog.time'), dataIndex: 'at', key: 'at', width: 190 },
    { title: t('risk.shadowLog.event'), dataIndex: 'event', key: 'event', width: 110 },
    {
      title: t('risk.shadowLog.subject'),
      key: 'subject',
      render: (_: unknown, e: ShadowLogEntry) => e.subject_id ?? '—',
    },
    { title: t('risk.shadowLog.customer'), dataIndex: 'customer_id', key: 'customer' },
    {
      title: t('risk.shadowLog.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, e: ShadowLogEntry) => (e.amount === 0 ? '—' : formatFen(e.amount)),
    },
    {
      title: t('risk.shadowLog.verdicts'),
      key: 'verdicts',
      render: (_: unknown, e: ShadowLogEntry) => (
        <Tag color={shadowStricter(e.active_verdict, e.shadow_verdict) ? 'red' : 'green'}>
          {verdictChange(e.active_verdict, e.shadow_verdict, verdictName)}
        </Tag>
      ),
    },
    {
      title: t('risk.shadowLog.rules'),
      key: 'rules',
      render: (_: unknown, e: ShadowLogEntry) => (
        <Space wrap>
          {e.rules.map((rule) => (
            <code key={rule.id}>{rule.name || rule.id}</code>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Card type="inner" title={t('risk.shadowLog.title')} data-testid="shadow-log">
      <ConsoleError error={error} />
      <Table<ShadowLogEntry>
        rowKey="id"
        size="small"
        dataSource={items}
        columns={columns}
        pagination={false}
        loading={busy}
        onRow={(e) => rowTestAttributes('shadow-log-row', e.id)}
      />
      {cursor !== null && (
        <Button style={{ marginTop: 8 }} loading={busy} onClick={() => void load(cursor)} data-testid="shadow-log-more">
          {t('risk.shadowLog.more')}
        </Button>
      )}
    </Card>
  );
}

export function RiskRulesPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditRisk(staff.roles);
  const sets = useLoad(() => getRuleSets(staffApi), []);
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const publish = async (shadow: boolean) => {
    if (text === null) return;
    const parsed = parseRuleSetText(text);
    if (!parsed.ok) {
      setProblem(parsed.reason);
      return;
    }
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const published = await publishRuleSet(staffApi, parsed.body, shadow);
      void message.success(t('risk.rules.published', { version: published.version }));
      setText(null);
      sets.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('console.riskRules')}
      extra={
        editor &&
        text === null && (
          <Button onClick={() => setText(ruleSetText(sets.data?.active ?? null))} data-testid="rules-edit">
            {t('risk.rules.edit')}
          </Button>
        )
      }
    >
      <ConsoleError error={sets.error ?? error} />
      {text !== null && (
        <Card type="inner" style={{ marginBottom: 16 }}>
          {problem !== null && (
            <Alert type="error" title={problem} data-testid="rules-problem" style={{ marginBottom: 8 }} />
          )}
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 12, maxRows: 30 }}
            style={{ fontFamily: 'monospace' }}
            data-testid="rules-json"
          />
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" loading={busy} onClick={() => void publish(false)} data-testid="rules-publish">
              {t('risk.rules.publish')}
            </Button>
            <Button loading={busy} onClick={() => void publish(true)} data-testid="rules-publish-shadow">
              {t('risk.rules.publishShadow')}
            </Button>
            <Button onClick={() => setText(null)}>{t('common.cancel')}</Button>
          </Space>
        </Card>
      )}
      <RuleSetCard set={sets.data?.active ?? null} title={t('risk.rules.active')} testId="rules-active" />
      <RuleSetCard set={sets.data?.shadow ?? null} title={t('risk.rules.shadow')} testId="rules-shadow" />
      {sets.data?.shadow && <ShadowLog version={sets.data.shadow.version} />}
    </Card>
  );
}
