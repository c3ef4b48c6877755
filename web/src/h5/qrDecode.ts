// Decoding a QR code from pixels with jsQR: from a camera frame or an uploaded picture. Small
// pictures (a server PNG may be a few modules per pixel) are scaled up first, without smoothing,
// so that jsQR's finder-pattern search has enough pixels to work with.
import jsQR from 'jsqr';

import { blobToDataUrl } from '../dataUrl';

/** Pictures are drawn at least this wide/high before decoding. */
const MIN_DECODE_SIZE_PX = 600;
/** And at most this, so a 48-megapixel photo does not allocate hundreds of megabytes. */
const MAX_DECODE_SIZE_PX = 1600;

export function decodeImageData(image: ImageData): string | null {
  const result = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
  return result?.data ?? null;
}

/** The scale that brings the larger side into [MIN, MAX]. */
export function decodeScale(width: number, height: number): number {
  const larger = Math.max(width, height, 1);
  if (larger < MIN_DECODE_SIZE_PX) return Math.ceil(MIN_DECODE_SIZE_PX / larger);
  if (larger > MAX_DECODE_SIZE_PX) return MAX_DECODE_SIZE_PX / larger;
  return 1;
}

/** Draws a picture (or video frame) into a canvas and decodes it; null when no QR was found. */
export function decodeDrawable(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement = document.createElement('canvas'),
): string | null {
  const scale = decodeScale(width, height);
  // A white margin: codes printed edge to edge still get the quiet zone jsQR needs.
  const margin = 16;
  canvas.width = Math.round(width * scale) + 2 * margin;
  canvas.height = Math.round(height * scale) + 2 * margin;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) return null;
  context.imageSmoothingEnabled = false;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, margin, margin, canvas.width - 2 * margin, canvas.height - 2 * margin);
  return decodeImageData(context.getImageData(0, 0, canvas.width, canvas.height));
}

/** Files larger than this are refused before decoding: no QR picture needs more. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Decodes the QR code in an image file (PNG, JPEG, SVG …); null when none is found. */
export async function decodeFile(file: Blob): Promise<string | null> {
  if (file.size > MAX_FILE_BYTES) return null;
  const image = new Image();
  image.src = await blobToDataUrl(file);
  await image.decode();
  return decodeDrawable(image, image.naturalWidth || 300, image.naturalHeight || 300);
}

/** True for text that looks like a qianbao merchant QR ("qbpay:1.…"). */
export function isWalletQr(text: string): boolean {
  return text.startsWith('qbpay:');
}
