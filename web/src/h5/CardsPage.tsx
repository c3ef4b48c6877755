import { Button, Dialog, ErrorBlock, Form, List, NoticeBar, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { customerApi } from '../api/session';
import { bindCard, getMe, listCards, unbindCard } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FieldInput, FormError, H5Page, useErrorText } from './common';
import { formatChinaTime } from './historyFormat';
import { normalizeCardNumber } from './validation';

export function CardsPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const describe = useErrorText();
  const me = useLoad(() => getMe(customerApi), []);
  const cards = useLoad(() => listCards(customerApi), []);
  const [cardNumber, setCardNumber] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [binding, setBinding] = useState(false);

  const bind = async () => {
    setApiError(null);
    const digits = normalizeCardNumber(cardNumber);
    if (digits === null) {
      setMessage(t('error.cardNumber'));
      return;
    }
    setMessage(null);
    setBinding(true);
    try {
      await bindCard(customerApi, digits);
      setCardNumber('');
      Toast.show({ icon: 'success', content: t('cards.bound') });
      cards.reload();
      me.reload();
    } catch (error) {
      setApiError(error);
    } finally {
      setBinding(false);
    }
  };

  const unbind = async (cardId: string) => {
    const confirmed = await Dialog.confirm({
      content: t('cards.unbindConfirm'),
      confirmText: t('common.confirm'),
      cancelText: t('common.cancel'),
    });
    if (!confirmed) return;
    try {
      await unbindCard(customerApi, cardId);
      Toast.show({ content: t('cards.unbound') });
    } catch (error) {
      Toast.show({ icon: 'fail', content: describe(error) });
    }
    cards.reload();
    me.reload();
  };

  const needsIdentity = me.data !== null && me.data.real_name_masked === null;
  const list = cards.data ?? [];
  return (
    <H5Page title={t('cards.title')}>
      {needsIdentity && (
        <NoticeBar
          content={t('cards.needIdentity')}
          color="alert"
          onClick={() => navigate('/identity')}
          data-testid="cards-need-identity"
        />
      )}
      {cards.data !== null && list.length === 0 ? (
        <ErrorBlock status="empty" title={t('cards.empty')} description="" />
      ) : (
        <List data-testid="card-list">
          {list.map((card) => (
            <List.Item
              key={card.id}
              data-testid="card-item"
              data-card-id={card.id}
              data-last4={card.last4}
              description={formatChinaTime(card.bound_at)}
              extra={
                <Button
                  size="mini"
                  color="danger"
                  fill="outline"
                  onClick={() => unbind(card.id)}
                  data-testid="card-unbind"
                >
                  {t('cards.unbind')}
                </Button>
              }
            >
              {language === 'zh' ? card.bank : card.bank_en} {card.masked}
            </List.Item>
          ))}
        </List>
      )}
      <Form
        layout="vertical"
        mode="card"
        footer={
          <Button
            block
            color="primary"
            onClick={bind}
            loading={binding}
            disabled={needsIdentity}
            data-testid="card-bind-submit"
          >
            {t('cards.bind')}
          </Button>
        }
      >
        <Form.Item label={t('cards.number')}>
          <FieldInput
            testId="card-number"
            inputMode="numeric"
            maxLength={23}
            placeholder={t('cards.number.placeholder')}
            value={cardNumber}
            onChange={setCardNumber}
          />
        </Form.Item>
      </Form>
      <FormError error={apiError ?? cards.error} text={message} />
    </H5Page>
  );
}
