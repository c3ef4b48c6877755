import { describe, expect, it } from 'vitest';

import { deviceKeyEn, deviceKeyZh } from '../i18n/deviceKeyMessages';
import { fromBase64Url, toBase64Url } from './deviceKey';

describe('device key helpers', () => {
  it('writes base64url without padding, as the server does', () => {
    expect(toBase64Url(new Uint8Array([]))).toBe('');
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(toBase64Url(new Uint8Array(32)).length).toBe(43);
    expect(toBase64Url(new Uint8Array(64)).length).toBe(86);
  });

  it('reads back what it writes', () => {
    const bytes = new Uint8Array(64).map((_, i) => (i * 37) & 0xff);
    expect(Array.from(fromBase64Url(toBase64Url(bytes)))).toEqual(Array.from(bytes));
    const text = 'qianbao device challenge v1\nlogin\n';
    const decoded = new TextDecoder().decode(fromBase64Url(toBase64Url(new TextEncoder().encode(text))));
    expect(decoded).toBe(text);
  });

  it('has every text in both languages', () => {
    expect(Object.keys(deviceKeyEn).sort()).toEqual(Object.keys(deviceKeyZh).sort());
  });
});
