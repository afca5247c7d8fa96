import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../../functions/domain/errors.ts';
import { decodeInput, isBase64 } from '../../../functions/domain/signatures/input.ts';
import { buildCertificate, text, toPem } from './build.ts';

const der = buildCertificate().der;
const base64 = Buffer.from(der).toString('base64');

function reason(bytes: Uint8Array, kind: 'certificate' | 'signature' = 'certificate'): string {
  try {
    decodeInput(bytes, kind);
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableInputError);
    return (error as Error).message;
  }
  throw new Error('expected the input to be rejected');
}

describe('decodeInput: accepted forms', () => {
  it('takes DER as it is', () => {
    const decoded = decodeInput(der, 'certificate');
    expect(decoded.form).toBe('der');
    expect(decoded.der).toBe(der);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('reads PEM with %s line endings', (_name, eol) => {
    const decoded = decodeInput(text(toPem(der, 'CERTIFICATE', eol)), 'certificate');
    expect(decoded).toMatchObject({ form: 'pem', label: 'CERTIFICATE' });
    expect(Buffer.from(decoded.der).equals(Buffer.from(der))).toBe(true);
  });

  it('reads PEM with blank lines around it, trailing spaces and a UTF-8 byte order mark', () => {
    const pem = `\uFEFF\n\n${toPem(der, 'X509 CERTIFICATE').replace(/\n/g, '  \n')}\n\n`;
    expect(Buffer.from(decodeInput(text(pem), 'certificate').der).equals(Buffer.from(der))).toBe(true);
  });

  it.each(['PKCS7', 'CMS', 'SIGNED DATA', 'PKCS #7 SIGNED DATA'])('knows the signature label %s', (label) => {
    expect(decodeInput(text(toPem(der, label)), 'signature').label).toBe(label);
  });

  it('reads bare base64 on one line or wrapped, with CRLF and spaces', () => {
    expect(decodeInput(text(base64), 'certificate').form).toBe('base64');
    const wrapped = (base64.match(/.{1,76}/g) ?? []).join('\r\n');
    expect(
      Buffer.from(decodeInput(text(` ${wrapped}\r\n`), 'certificate').der).equals(Buffer.from(der)),
    ).toBe(true);
  });
});

describe('decodeInput: rejected input says why', () => {
  it('empty input', () => {
    expect(reason(new Uint8Array(0))).toMatch(/пуст/);
  });

  it('binary that is neither DER nor text', () => {
    expect(reason(Uint8Array.of(0x04, 0x02, 0xff, 0x00))).toMatch(/ни на DER/);
  });

  it('a PEM body that is not base64', () => {
    expect(
      reason(
        text('-----BEGIN CERTIFICATE-----\nThis is not base64 at all! ###\n-----END CERTIFICATE-----\n'),
      ),
    ).toMatch(/не является base64/);
  });

  it('an unknown label', () => {
    expect(reason(text(toPem(der, 'PUBLIC KEY')))).toMatch(/«PUBLIC KEY»/);
  });

  it('mismatched BEGIN and END labels', () => {
    const pem = toPem(der, 'CERTIFICATE').replace('END CERTIFICATE', 'END X509 CRL');
    expect(reason(text(pem))).toMatch(/не совпадают/);
  });

  it('a missing END line', () => {
    expect(reason(text(toPem(der, 'CERTIFICATE').replace(/-----END.*\n/, '')))).toMatch(
      /нет строки -----END/,
    );
  });

  it('text before BEGIN or after END', () => {
    expect(reason(text(`Subject: someone\n${toPem(der, 'CERTIFICATE')}`))).toMatch(/посторонний текст/);
    expect(reason(text(`${toPem(der, 'CERTIFICATE')}trailer\n`))).toMatch(/посторонний текст/);
  });

  it('two PEM blocks in one file', () => {
    expect(reason(text(toPem(der, 'CERTIFICATE') + toPem(der, 'CERTIFICATE')))).toMatch(
      /больше одного блока/,
    );
  });

  it('PEM headers (encrypted PEM)', () => {
    const pem = toPem(der, 'CERTIFICATE').replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n');
    expect(reason(text(pem))).toMatch(/заголовки/);
  });

  it('a certificate label where a signature is expected, and the other way round', () => {
    expect(reason(text(toPem(der, 'CERTIFICATE')), 'signature')).toMatch(
      /содержит сертификат, а ожидался подпись/,
    );
    expect(reason(text(toPem(der, 'PKCS7')), 'certificate')).toMatch(
      /содержит подпись, а ожидался сертификат/,
    );
  });

  it('base64 with wrong padding or length', () => {
    expect(reason(text(base64.slice(0, -1)))).toMatch(/длина или дополнение/);
    expect(reason(text(`${base64}=`))).toMatch(/длина или дополнение/);
  });

  it('base64 that decodes to something other than DER', () => {
    expect(reason(text(Buffer.from('hello world!').toString('base64')))).toMatch(/не структура DER/);
  });
});

describe('isBase64', () => {
  it('takes base64 digits with up to two padding characters, line breaks where allowed', () => {
    expect(isBase64(base64, { lineBreaks: false })).toBe(true);
    expect(isBase64('QQ==', { lineBreaks: false })).toBe(true);
    expect(isBase64('QUI=\r\n', { lineBreaks: true })).toBe(true);
    expect(isBase64('QU\nI=\n\n', { lineBreaks: true })).toBe(true);
  });

  it.each([
    ['', true],
    ['\n\n', true],
    ['====', true],
    ['QQ===', true],
    ['QQ=A', true],
    ['QQ==\nA', true],
    ['QQ!=', true],
    ['Q Q', true],
    ['QU\nI=', false],
  ])('refuses %j (line breaks allowed: %s)', (text, lineBreaks) => {
    expect(isBase64(text, { lineBreaks })).toBe(false);
  });

  it('answers in linear time where /^[A-Za-z0-9+/\\r\\n]+={0,2}[\\r\\n]*$/ took 21 s', () => {
    const started = performance.now();
    for (const count of [128_000, 400_000, 1_000_000]) {
      expect(isBase64(`${'\n'.repeat(count)}!`, { lineBreaks: true })).toBe(false);
      expect(isBase64(`A${'\r\n'.repeat(count)}=!`, { lineBreaks: true })).toBe(false);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
