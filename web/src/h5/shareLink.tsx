// Sharing a link from a customer page: copying it to the clipboard and drawing it as a QR code.
// The invite page (/referral) and the red packets page (/red-packets) share links this way.
import QRCode from 'qrcode';
import { useEffect, useRef } from 'react';

/** Copies text: the Clipboard API, else a selected <textarea> (older WebViews); false if neither. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, not a secure context): try the old way.
  }
  try {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const copied = document.execCommand('copy');
    document.body.removeChild(area);
    return copied;
  } catch {
    return false;
  }
}

/** The link as a QR code on a <canvas> carrying the test id and data-link. */
export function LinkQr({
  link,
  testId,
  label,
  width = 200,
}: {
  link: string;
  testId: string;
  label: string;
  width?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) {
      void QRCode.toCanvas(canvas.current, link, { width, margin: 2, errorCorrectionLevel: 'M' });
    }
  }, [link, width]);
  return <canvas ref={canvas} data-testid={testId} data-link={link} aria-label={label} />;
}
