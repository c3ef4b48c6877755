// Saving what the API answered (a PDF, a CSV, an XLSX) as a file. The calls carry the Bearer
// header, which a plain <a href> cannot send, so the body is fetched first and handed to the
// browser through a temporary object URL on an <a download>. The server's
// Content-Security-Policy limits img-src to 'self' and data:, which does not concern downloads.

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has started the download by now; the URL can go on the next task.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
