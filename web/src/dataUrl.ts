// Reading a Blob as a data: URL, for pictures shown or decoded in the page.

/**
 * A blob as a data: URL. The server's Content-Security-Policy allows images from 'self' and
 * data: only, so a blob: URL would not load in an <img>.
 */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(blob);
  });
}
