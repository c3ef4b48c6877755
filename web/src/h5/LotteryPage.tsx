// The lucky draw (幸运抽奖) at /lottery: a prize wheel (SVG) whose sectors are sized by the
// published chances with 谢谢参与 the rest, the draw button, the draws left today and in all, the
// daily sign-in (签到) when it earns a draw, how to earn more draws in words, the published
// chances (公示中奖概率, as regulation requires) and my newest 20 draws (GET /me/lottery).
//
// Pressing the button asks the server first (POST /me/lottery/draws with the press's
// Idempotency-Key: a retry after no answer or a 5xx reuses it and answers the same draw), then
// the wheel turns to the result in under 2 s (not at all when the customer prefers reduced
// motion) and the result shows. A refusal (no draws left, today's limit, …) shows as form-error
// with its code: the button stays pressable so the server says why. While the lottery is not
// running the page says so and shows past draws only.
import { Button, Card, List, NoticeBar, Tag, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';

import { ActionKey } from '../api/idempotency';
import {
  bpsToPercent,
  drawLottery,
  getMyLottery,
  signInLottery,
  thanksChanceBps,
  type DrawAnswer,
  type LotteryDraw,
  type MyLottery,
} from '../api/lottery';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { formatChinaTime } from './historyFormat';
import {
  SPIN_MS,
  drawText,
  drawsLeftToday,
  earnRules,
  landingSector,
  prizeText,
  prizeValueText,
  sectorPath,
  shortLabel,
  spinRotation,
  wheelSectors,
  type WheelSector,
} from './lotteryFormat';

const PRIZE_COLORS = ['#c8102e', '#f5a623', '#e8553e', '#ffcf5c', '#b5121b', '#ff8a3d'];
const THANKS_COLOR = '#d9d9d9';
const SIZE = 300;
const CENTER = SIZE / 2;
const RADIUS = 140;
const LABEL_Y = CENTER - RADIUS * 0.68;
/** Sectors narrower than this (degrees) carry no label: the chances list names them. */
const MIN_LABELLED_DEG = 14;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
}

function sectorColor(sector: WheelSector, index: number): string {
  if (sector.kind === 'thanks') return THANKS_COLOR;
  return PRIZE_COLORS[index % PRIZE_COLORS.length] ?? '#c8102e';
}

function Wheel({
  sectors,
  rotation,
  durationMs,
  spinning,
}: {
  sectors: readonly WheelSector[];
  rotation: number;
  durationMs: number;
  spinning: boolean;
}) {
  const { t } = useI18n();
  return (
    <div
      className="h5-lottery-wheel"
      data-testid="lottery-wheel"
      data-rotation={rotation}
      data-spinning={spinning}
      data-sectors={sectors.length}
    >
      <div className="h5-lottery-pointer" aria-hidden="true" />
      <svg
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="img"
        aria-label={t('lottery.wheel')}
        className="h5-lottery-disc"
        style={{
          transform: `rotate(${rotation}deg)`,
          transition: durationMs > 0 ? `transform ${durationMs}ms cubic-bezier(0.17, 0.67, 0.21, 1)` : 'none',
        }}
      >
        <circle cx={CENTER} cy={CENTER} r={RADIUS + 6} fill="#8c0b1f" />
        {sectors.map((sector, index) => {
          const middle = (sector.startDeg + sector.endDeg) / 2;
          const label = sector.kind === 'thanks' ? t('lottery.thanks') : sector.name;
          const soldOut = sector.prize !== null && !sector.prize.available;
          const dark = sector.kind === 'thanks' || index % 2 === 1;
          // A label in the lower half is turned about itself, so that it reads upright at rest.
          const upsideDown = middle > 90 && middle < 270;
          return (
            <g
              key={`${sector.kind}-${sector.name}-${index}`}
              data-sector-kind={sector.kind}
              data-sector-name={sector.name}
              data-chance-bps={sector.chanceBps}
            >
              <path
                d={sectorPath(CENTER, RADIUS, sector.startDeg, sector.endDeg)}
                fill={sectorColor(sector, index)}
                opacity={soldOut ? 0.45 : 1}
                stroke="#ffffff"
                strokeWidth={1}
              />
              {sector.endDeg - sector.startDeg >= MIN_LABELLED_DEG && (
                <text
                  x={CENTER}
                  y={LABEL_Y}
                  transform={`rotate(${middle} ${CENTER} ${CENTER})${upsideDown ? ` rotate(180 ${CENTER} ${LABEL_Y})` : ''}`}
                  textAnchor="middle"
                  dominantBaseline="middle"
                  fontSize={13}
                  fontWeight={600}
                  fill={dark ? '#5a0000' : '#ffffff'}
                >
                  {shortLabel(label)}
                </text>
              )}
            </g>
          );
        })}
        <circle cx={CENTER} cy={CENTER} r={26} fill="#ffffff" stroke="#8c0b1f" strokeWidth={3} />
      </svg>
    </div>
  );
}

/** The result of the last draw, once the wheel has stopped. */
function DrawResult({ draw }: { draw: LotteryDraw }) {
  const { t } = useI18n();
  const won = draw.won && draw.prize !== null;
  return (
    <div
      className={`h5-lottery-result ${won ? 'h5-lottery-won' : ''}`}
      data-testid="lottery-result"
      data-won={won}
      data-prize-name={won && draw.prize !== null ? draw.prize.name : ''}
      data-draw-id={draw.id}
      role="status"
    >
      {won && draw.prize !== null ? (
        <>
          <div className="h5-lottery-result-title">{t('lottery.result.won', { prize: prizeText(t, draw.prize) })}</div>
          <div className="h5-muted">
            {t(draw.prize.kind === 'cash' ? 'lottery.result.cash' : 'lottery.result.points')}
          </div>
        </>
      ) : (
        <div className="h5-lottery-result-title">{t('lottery.result.lost')}</div>
      )}
    </div>
  );
}

/** The published chances: each prize's, and 谢谢参与's. */
function Odds({ lottery }: { lottery: MyLottery }) {
  const { t } = useI18n();
  const thanks = thanksChanceBps(lottery.prizes);
  return (
    <List header={t('lottery.odds')}>
      {lottery.prizes.map((prize) => (
        <List.Item
          key={prize.name}
          data-testid="lottery-odds-row"
          data-name={prize.name}
          data-kind={prize.kind}
          data-chance-bps={prize.chance_bps}
          data-available={prize.available}
          description={prizeValueText(t, prize)}
          extra={<span className="h5-lottery-percent">{bpsToPercent(prize.chance_bps)}%</span>}
        >
          {prize.name}{' '}
          {!prize.available && (
            <Tag color="default" fill="outline">
              {t('lottery.odds.soldOut')}
            </Tag>
          )}
        </List.Item>
      ))}
      {thanks > 0 && (
        <List.Item
          data-testid="lottery-odds-row"
          data-name={t('lottery.thanks')}
          data-kind="thanks"
          data-chance-bps={thanks}
          extra={<span className="h5-lottery-percent">{bpsToPercent(thanks)}%</span>}
        >
          {t('lottery.thanks')}
        </List.Item>
      )}
      <List.Item>
        <span className="h5-muted">{t('lottery.odds.note')}</span>
      </List.Item>
    </List>
  );
}

function MyDraws({ draws }: { draws: readonly LotteryDraw[] }) {
  const { t } = useI18n();
  return (
    <List header={t('lottery.myDraws')}>
      {draws.length === 0 && <List.Item data-testid="lottery-draws-none">{t('lottery.myDraws.none')}</List.Item>}
      {draws.map((draw) => (
        <List.Item
          key={draw.id}
          data-testid="lottery-draw-row"
          data-id={draw.id}
          data-won={draw.won}
          data-prize-name={draw.prize?.name ?? ''}
          description={formatChinaTime(draw.time)}
        >
          <span className={draw.won ? 'h5-amount-in' : 'h5-muted'}>{drawText(t, draw)}</span>
        </List.Item>
      ))}
    </List>
  );
}

/** The page's copy of the lottery after a draw or a sign-in: the new chances, the draw first. */
function withDraw(lottery: MyLottery, answer: DrawAnswer): MyLottery {
  const { chances, ...draw } = answer;
  const draws = [draw, ...lottery.draws.filter((d) => d.id !== draw.id)].slice(0, 20);
  return { ...lottery, chances, draws };
}

export function LotteryPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => getMyLottery(customerApi), []);
  // What the page learnt from its own calls since the last load; dropped when a load arrives.
  const [local, setLocal] = useState<MyLottery | null>(null);
  useEffect(() => setLocal(null), [loaded.data]);
  const lottery = local ?? loaded.data;

  const [rotation, setRotation] = useState(0);
  const [durationMs, setDurationMs] = useState(0);
  const [spinning, setSpinning] = useState(false);
  const [result, setResult] = useState<LotteryDraw | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [signingIn, setSigningIn] = useState(false);
  const action = useRef(new ActionKey());
  const timer = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const sectors = wheelSectors(lottery?.prizes ?? []);

  const draw = async () => {
    if (lottery === null || spinning) return;
    setError(null);
    setResult(null);
    setSpinning(true);
    // One key per press; kept for a retry only after an answer that says nothing (no answer, 5xx).
    const key = action.current.keyFor('draw');
    let answer: DrawAnswer;
    try {
      answer = await drawLottery(customerApi, key);
      action.current.settle();
    } catch (cause) {
      action.current.settle(cause);
      setError(cause);
      setSpinning(false);
      // The chances may have changed meanwhile (another device, a new day): read them again.
      loaded.reload();
      return;
    }
    const sector = landingSector(sectors, answer);
    const duration = sector === null || prefersReducedMotion() ? 0 : SPIN_MS;
    setDurationMs(duration);
    if (sector !== null) setRotation((current) => spinRotation(current, sector));
    const finish = () => {
      timer.current = null;
      setResult(answer);
      setSpinning(false);
      setLocal(withDraw(lottery, answer));
      // A prize may have run out: the list's availability comes from the server.
      loaded.reload();
    };
    if (duration === 0) finish();
    else timer.current = window.setTimeout(finish, duration);
  };

  const signIn = async () => {
    if (lottery === null) return;
    setError(null);
    setSigningIn(true);
    try {
      const chances = await signInLottery(customerApi);
      setLocal({ ...lottery, chances });
      Toast.show({ icon: 'success', content: t('lottery.signIn.done') });
    } catch (cause) {
      setError(cause);
      loaded.reload();
    } finally {
      setSigningIn(false);
    }
  };

  const chances = lottery?.chances;
  return (
    <H5Page title={t('lottery.title')}>
      <div data-testid="lottery-page" data-active={lottery?.active}>
        <FormError error={loaded.data === null ? loaded.error : null} />
        {lottery !== null && chances !== undefined && (
          <>
            {!lottery.active && <NoticeBar content={t('lottery.off')} color="alert" data-testid="lottery-off" />}
            {lottery.active && (
              <Card className="h5-page h5-lottery-card">
                <Wheel sectors={sectors} rotation={rotation} durationMs={durationMs} spinning={spinning} />
                <div
                  className="h5-lottery-chances"
                  data-testid="lottery-chances"
                  data-available={chances.available}
                  data-used-today={chances.used_today}
                  data-limit={chances.daily_limit}
                  data-left-today={drawsLeftToday(chances)}
                >
                  <div className="h5-lottery-chances-today">{t('lottery.chances', { today: drawsLeftToday(chances) })}</div>
                  <div className="h5-muted">
                    {t('lottery.chances.total', {
                      total: chances.available,
                      used: chances.used_today,
                      limit: chances.daily_limit,
                    })}
                  </div>
                </div>
                <Button
                  block
                  color="primary"
                  size="large"
                  onClick={draw}
                  loading={spinning}
                  loadingText={t('lottery.drawing')}
                  disabled={spinning}
                  data-testid="lottery-draw"
                  data-available={chances.available}
                >
                  {t('lottery.draw')}
                </Button>
                {lottery.sign_in_draw && (
                  <Button
                    block
                    fill="outline"
                    color="primary"
                    style={{ marginTop: 12 }}
                    onClick={signIn}
                    loading={signingIn}
                    disabled={chances.signed_in_today || signingIn}
                    data-testid="lottery-sign-in"
                    data-signed-in={chances.signed_in_today}
                  >
                    {chances.signed_in_today ? t('lottery.signedIn') : t('lottery.signIn')}
                  </Button>
                )}
                <FormError error={error} />
                {result !== null && !spinning && <DrawResult draw={result} />}
                {lottery.ends_at !== null && (
                  <div className="h5-muted" style={{ marginTop: 12 }} data-testid="lottery-ends-at" data-time={lottery.ends_at}>
                    {t('lottery.until', { time: formatChinaTime(lottery.ends_at) })}
                  </div>
                )}
              </Card>
            )}
            {lottery.active && (
              <List header={t('lottery.howToEarn')}>
                <List.Item data-testid="lottery-earn-rules">{earnRules(t, lottery)}</List.Item>
              </List>
            )}
            {lottery.active && <Odds lottery={lottery} />}
            <MyDraws draws={lottery.draws} />
          </>
        )}
      </div>
    </H5Page>
  );
}
