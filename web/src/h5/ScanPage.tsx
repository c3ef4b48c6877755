// Scan to pay: the camera (getUserMedia, frames decoded with jsQR) or, where there is no camera
// or no permission, a picture of the code chosen from the album. The decoded text goes to
// POST /me/scans for a preview; PayPanel does the rest.
import { Button, SpinLoading } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError } from '../api/client';
import { previewScan } from '../api/payments';
import { customerApi } from '../api/session';
import type { ScanPreview } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { FormError, H5Page } from './common';
import { PayPanel } from './PayPanel';
import { decodeDrawable, decodeFile, isWalletQr } from './qrDecode';

/** Decode a camera frame at most this often: decoding is costly on a cheap phone. */
const FRAME_INTERVAL_MS = 200;

function useCamera(onText: (text: string) => void) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const timer = useRef<number | null>(null);
  const [active, setActive] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const stop = useCallback(() => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    setActive(false);
  }, []);

  const start = useCallback(async () => {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError('unsupported');
      return;
    }
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
    } catch {
      setError('denied');
      return;
    }
    const element = video.current;
    if (element === null) {
      stop();
      return;
    }
    element.srcObject = stream.current;
    await element.play().catch(() => {});
    setActive(true);
    const canvas = document.createElement('canvas');
    timer.current = window.setInterval(() => {
      if (element.readyState < element.HAVE_CURRENT_DATA) return;
      const text = decodeDrawable(element, element.videoWidth, element.videoHeight, canvas);
      if (text !== null) {
        stop();
        onText(text);
      }
    }, FRAME_INTERVAL_MS);
  }, [onText, stop]);

  useEffect(() => stop, [stop]);
  return { video, active, error, start, stop };
}

export function ScanPage() {
  const { t } = useI18n();
  const [qr, setQr] = useState<string | null>(null);
  const [preview, setPreview] = useState<ScanPreview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onText = useCallback(
    async (text: string) => {
      setApiError(null);
      setMessage(null);
      if (!isWalletQr(text)) {
        setMessage(t('scan.notWallet'));
        return;
      }
      setBusy(true);
      try {
        const answer = await previewScan(customerApi, text);
        setQr(text);
        setPreview(answer);
      } catch (error) {
        setApiError(error instanceof ApiError ? error : null);
        if (!(error instanceof ApiError)) setMessage(t('scan.failed'));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  const camera = useCamera(onText);

  const onFile = async (file: File | undefined) => {
    if (file === undefined) return;
    setMessage(null);
    setApiError(null);
    setBusy(true);
    const text = await decodeFile(file).catch(() => null);
    setBusy(false);
    if (text === null) {
      setMessage(t('scan.noCode'));
      return;
    }
    await onText(text);
  };

  if (qr !== null && preview !== null) {
    return (
      <H5Page title={t('scan.title')}>
        <PayPanel qr={qr} preview={preview} via="scan" />
      </H5Page>
    );
  }

  return (
    <H5Page title={t('scan.title')}>
      <div className="h5-page h5-scan">
        <video
          ref={camera.video}
          className="h5-scan-video"
          muted
          playsInline
          style={{ display: camera.active ? 'block' : 'none' }}
          data-testid="scan-video"
        />
        {camera.active ? (
          <Button block onClick={camera.stop} data-testid="scan-camera-stop">
            {t('scan.stopCamera')}
          </Button>
        ) : (
          <Button block color="primary" onClick={camera.start} data-testid="scan-camera">
            {t('scan.camera')}
          </Button>
        )}
        {camera.error && (
          <p className="h5-muted" data-testid="scan-camera-error">
            {t(camera.error === 'denied' ? 'scan.cameraDenied' : 'scan.cameraUnsupported')}
          </p>
        )}
        <label className="h5-upload">
          {t('scan.upload')}
          <input
            type="file"
            accept="image/*"
            onChange={(event) => {
              void onFile(event.target.files?.[0]);
              event.target.value = '';
            }}
            data-testid="scan-upload"
          />
        </label>
        {busy && <SpinLoading />}
      </div>
      <FormError error={apiError} text={message} />
    </H5Page>
  );
}
