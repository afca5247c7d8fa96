import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { buildChain, chainCheck } from '../../../functions/domain/signatures/chain.ts';
import { readCrl } from '../../../functions/domain/signatures/crl.ts';
import type { Check } from '../../../functions/domain/signatures/report.ts';
import type { TrustList } from '../../../functions/domain/signatures/trust-list.ts';
import { describeCertificate, verifySignature } from '../../../functions/domain/signatures/verify.ts';
import {
  type BuiltCertificate,
  buildCertificate,
  buildPki,
  buildSignedData,
  crlOf,
  intermediateName,
  KeyUsageBit,
  keyIdOf,
  keyPair,
  name,
  Oids,
  printable,
  rootName,
  text,
  toPem,
  utf8,
} from './build.ts';

const content = text('Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021');
const signingTime = new Date('2021-12-23T07:15:00Z');
const now = new Date('2025-06-01T09:00:00Z');
const crlTime = new Date('2025-05-30T00:00:00Z');
const timeZone = 'Europe/Moscow';

const statusesOf = (checks: readonly Check[]) =>
  Object.fromEntries(
    checks.map((c) => [c.check, c.subIndication === null ? c.status : `${c.status} ${c.subIndication}`]),
  );

/** The trust list of an office that lists `anchors` and holds current CRLs of both CAs. */
function officeTrust(
  pki: { root: BuiltCertificate; intermediate: BuiltCertificate },
  anchors: readonly BuiltCertificate[] = [pki.root],
): TrustList {
  return {
    anchors: anchors.map((anchor) => readCertificate(anchor.der)),
    intermediates: [],
    crls: [
      readCrl(crlOf(pki.root, rootName, crlTime), 'root.crl'),
      readCrl(crlOf(pki.intermediate, intermediateName, crlTime), 'intermediate.crl'),
    ],
  };
}

function verifyIn(
  signer: BuiltCertificate,
  cmsCertificates: readonly BuiltCertificate[],
  trustList: TrustList,
) {
  const signature = buildSignedData({
    content,
    certificate: signer,
    signingTime,
    extraCertificates: cmsCertificates.map((c) => c.der),
  });
  return verifySignature({ signature, content, now, timeZone }, { trustList });
}

describe('a complete chain to a listed CA with current CRLs', () => {
  it.each(['rsa', 'p256'] as const)('%s: the verdict is valid, «Подпись действительна»', (kind) => {
    const pki = buildPki(kind);
    const report = verifyIn(pki.signer, [pki.intermediate], officeTrust(pki));
    expect(statusesOf(report.checks)).toEqual({
      window: 'passed',
      digest: 'passed',
      signature: 'passed',
      certificate_signature: 'passed',
      chain: 'passed',
      revocation: 'passed',
    });
    expect(report).toMatchObject({
      verdict: 'valid',
      indication: 'TOTAL-PASSED',
      subIndications: [],
      summary: 'Подпись действительна.',
    });
  });

  it('lists every link in certificate.chain with its answer', () => {
    const pki = buildPki('rsa');
    const report = verifyIn(pki.signer, [pki.intermediate], officeTrust(pki));
    expect(report.certificate?.chain).toEqual([
      {
        subject: 'Куликов Василий Иванович',
        serial: '0118EC5A8BAE6CF293EB11EE5A2E22B808',
        issuer: 'Промежуточный УЦ docroute',
        validity: 'valid',
        signature: 'valid',
        revocation: 'not_revoked',
        isTrustAnchor: false,
        status: 'passed',
        reason: 'Подпись издателя верна; действовал; не отозван.',
      },
      {
        subject: 'Промежуточный УЦ docroute',
        serial: '1001',
        issuer: 'Корневой УЦ docroute',
        validity: 'valid',
        signature: 'valid',
        revocation: 'not_revoked',
        isTrustAnchor: false,
        status: 'passed',
        reason: 'Подпись издателя верна; действовал; не отозван.',
      },
      {
        subject: 'Корневой УЦ docroute',
        serial: '01',
        issuer: 'Корневой УЦ docroute',
        validity: 'valid',
        signature: null,
        revocation: null,
        isTrustAnchor: true,
        status: 'passed',
        reason: 'В списке доверенных; действовал.',
      },
    ]);
    expect(report.checks.find((c) => c.check === 'chain')?.reason).toBe(
      'Цепочка сертификатов построена до доверенного удостоверяющего центра «Корневой УЦ docroute»: сертификатов в цепочке 3, подписи издателей верны.',
    );
  });

  it('finds the intermediate among extra certificates when the CMS lacks it', () => {
    const pki = buildPki('p256');
    const trust = { ...officeTrust(pki), intermediates: [readCertificate(pki.intermediate.der)] };
    expect(verifyIn(pki.signer, [], trust).verdict).toBe('valid');
    expect(verifyIn(pki.signer, [], officeTrust(pki)).checks.find((c) => c.check === 'chain')).toMatchObject({
      status: 'not_checked',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      reason:
        'Цепочка сертификатов не построена: издатель «Промежуточный УЦ docroute» не найден среди доверенных.',
    });
  });

  it('stops at a listed intermediate: the office trusts the accredited CA itself', () => {
    const pki = buildPki('rsa');
    const report = verifyIn(pki.signer, [], officeTrust(pki, [pki.intermediate]));
    expect(report.verdict).toBe('valid');
    expect(report.certificate?.chain.map((link) => [link.subject, link.isTrustAnchor])).toEqual([
      ['Куликов Василий Иванович', false],
      ['Промежуточный УЦ docroute', true],
    ]);
  });
});

describe('no chain to a trusted CA', () => {
  const pki = buildPki('rsa');

  it('a root that is not listed: indeterminate, and the report says which', () => {
    const other = buildPki('p256', { label: 'other' });
    const report = verifyIn(pki.signer, [pki.intermediate, pki.root], {
      ...officeTrust(pki),
      anchors: [
        readCertificate(
          buildCertificate({
            subject: name([Oids.CN, utf8('Другой УЦ')]),
            issuer: name([Oids.CN, utf8('Другой УЦ')]),
            key: other.root.key,
          }).der,
        ),
      ],
    });
    expect(statusesOf(report.checks)).toMatchObject({
      certificate_signature: 'passed',
      chain: 'not_checked NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(report.reasons).toContain(
      'Цепочка сертификатов не построена: корневой сертификат «Корневой УЦ docroute» не входит в список доверенных.',
    );
    expect(report.verdict).toBe('indeterminate');
  });

  it('a foreign CA: its issuer is nowhere', () => {
    const foreignName = name([Oids.C, printable('RU')], [Oids.CN, utf8('Чужой УЦ')]);
    const foreign = buildCertificate({ issuer: foreignName, issuerKey: keyPair('rsa', 'foreign') });
    const report = verifyIn(foreign, [], officeTrust(pki));
    expect(statusesOf(report.checks)).toMatchObject({
      certificate_signature: 'not_checked NO_CERTIFICATE_CHAIN_FOUND',
      chain: 'not_checked NO_CERTIFICATE_CHAIN_FOUND',
      revocation: 'not_checked TRY_LATER',
    });
    expect(report.reasons).toContain(
      'Цепочка сертификатов не построена: издатель «Чужой УЦ» не найден среди доверенных.',
    );
  });

  it('without any trust list, says that none was given', () => {
    const report = verifyIn(pki.signer, [pki.intermediate], { anchors: [], intermediates: [], crls: [] });
    expect(report.checks.find((c) => c.check === 'chain')?.reason).toBe(
      'Цепочка сертификатов не построена: издатель «Корневой УЦ docroute» не найден среди доверенных: список доверенных удостоверяющих центров не задан (--trust или «trust» в конфигурации).',
    );
  });
});

describe('a test root without basicConstraints', () => {
  const pki = buildPki('rsa', { label: 'no-bc', rootWithoutBasicConstraints: true });

  it('listed: accepted, and the report says so', () => {
    const report = verifyIn(pki.signer, [pki.intermediate], officeTrust(pki));
    expect(report.verdict).toBe('valid');
    const chain = report.checks.find((c) => c.check === 'chain');
    expect(chain?.reason).toContain(
      'Корневой сертификат «Корневой УЦ docroute» без признака УЦ принят, так как включён в список доверенных.',
    );
    expect(report.certificate?.chain[2]?.reason).toBe(
      'В списке доверенных; действовал; принят без признака УЦ.',
    );
  });

  it('not listed (only in the CMS): no chain', () => {
    const report = verifyIn(pki.signer, [pki.intermediate, pki.root], { ...officeTrust(pki), anchors: [] });
    expect(statusesOf(report.checks)).toMatchObject({ chain: 'not_checked NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('as an intermediate (not listed): it may not issue certificates', () => {
    // A certificate without basicConstraints in the middle, under a proper listed root.
    const top = buildPki('rsa', { label: 'top' });
    const middleKey = keyPair('rsa', 'middle-no-bc');
    const middle = buildCertificate({
      serialHex: '2002',
      subject: intermediateName,
      issuer: rootName,
      key: middleKey,
      issuerKey: top.root.key,
      notBefore: new Date('2020-06-01T00:00:00Z'),
      notAfter: new Date('2035-01-01T00:00:00Z'),
    });
    const signer = buildCertificate({ issuer: intermediateName, issuerKey: middleKey });
    const report = verifyIn(signer, [middle], officeTrust(top));
    expect(statusesOf(report.checks)).toMatchObject({ chain: 'failed CHAIN_CONSTRAINTS_FAILURE' });
    expect(report.reasons).toContain(
      'Цепочка сертификатов не подтверждена: в сертификате «Промежуточный УЦ docroute» нет признака УЦ (basicConstraints).',
    );
    expect(report.summary).toBe(
      'Подпись не подтверждена: сертификат в цепочке не вправе выпускать сертификаты.',
    );
  });
});

describe('a broken link', () => {
  const pki = buildPki('p256');

  /** The DER with the last `from` replaced by `to` of the same length. */
  function edit(der: Uint8Array, from: string, to: string): Uint8Array {
    const at = Buffer.from(der).lastIndexOf(Buffer.from(from, 'utf8'));
    if (at < 0) throw new Error(`no ${from}`);
    const edited = Uint8Array.from(der);
    edited.set(Buffer.from(to, 'utf8'), at);
    return edited;
  }

  it('the signer’s certificate with its owner edited: invalid, SIG_CRYPTO_FAILURE, said once', () => {
    const edited = { ...pki.signer, der: edit(pki.signer.der, 'Иванович', 'Иванавич') };
    const report = verifyIn(edited, [pki.intermediate], officeTrust(pki));
    expect(statusesOf(report.checks)).toMatchObject({
      signature: 'passed',
      certificate_signature: 'failed SIG_CRYPTO_FAILURE',
      chain: 'failed SIG_CRYPTO_FAILURE',
    });
    expect(report.summary).toBe(
      'Подпись не подтверждена: сертификат подписанта изменён или выпущен не его издателем.',
    );
    expect(report.certificate?.chain[0]).toMatchObject({ signature: 'invalid', status: 'failed' });
  });

  it('an intermediate edited after issue (its notAfter moved): the chain fails', () => {
    const moved = { ...pki.intermediate, der: edit(pki.intermediate.der, '350101000000Z', '450101000000Z') };
    const report = verifyIn(pki.signer, [moved], officeTrust(pki));
    expect(statusesOf(report.checks)).toMatchObject({
      certificate_signature: 'passed',
      chain: 'failed SIG_CRYPTO_FAILURE',
    });
    expect(report.reasons).toContain(
      'Цепочка сертификатов не подтверждена: подпись издателя «Корневой УЦ docroute» под сертификатом «Промежуточный УЦ docroute» неверна.',
    );
    expect(report.summary).toBe(
      'Подпись не подтверждена: сертификат в цепочке изменён или выпущен не своим издателем.',
    );
  });

  it('prefers the issuer whose key verifies when two share a name (a renewed CA key)', () => {
    const renewed = buildPki('p256', { label: 'renewed' });
    // The renewed intermediate has the same name and no key identifiers on the signer to tell them apart.
    const signer = buildCertificate({ issuer: intermediateName, issuerKey: pki.intermediate.key });
    const trust = officeTrust(pki);
    const report = verifyIn(signer, [renewed.intermediate, pki.intermediate], trust);
    expect(statusesOf(report.checks)).toMatchObject({ certificate_signature: 'passed', chain: 'passed' });
  });
});

describe('CA constraints and validity along the chain', () => {
  const rootKey = keyPair('rsa', 'constraints-root');
  const middleKey = keyPair('rsa', 'constraints-middle');
  const ca = (spec: Parameters<typeof buildCertificate>[0]) =>
    buildCertificate({
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      ...spec,
    });

  function chainOf(root: BuiltCertificate, middle: BuiltCertificate, atTimeOfCheck = false): Check {
    const signer = readCertificate(buildCertificate({ issuer: intermediateName, issuerKey: middleKey }).der);
    const chain = buildChain(
      signer,
      { anchors: [readCertificate(root.der)], intermediates: [readCertificate(middle.der)] },
      { kind: 'instant', at: signingTime },
      timeZone,
    );
    return chainCheck(chain, true, atTimeOfCheck);
  }

  const root = ca({
    subject: rootName,
    issuer: rootName,
    key: rootKey,
    basicConstraints: { cA: true },
    keyUsageBits: [KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign],
  });
  const middle = (spec: Parameters<typeof buildCertificate>[0] = {}) =>
    ca({
      serialHex: '3003',
      subject: intermediateName,
      issuer: rootName,
      key: middleKey,
      issuerKey: rootKey,
      basicConstraints: { cA: true },
      ...spec,
    });

  it('passes a proper chain', () => {
    expect(chainOf(root, middle()).status).toBe('passed');
  });

  it('an intermediate with cA = false', () => {
    expect(chainOf(root, middle({ basicConstraints: { cA: false } }))).toMatchObject({
      status: 'failed',
      subIndication: 'CHAIN_CONSTRAINTS_FAILURE',
      reason:
        'Цепочка сертификатов не подтверждена: сертификат «Промежуточный УЦ docroute» не является сертификатом УЦ (cA = false).',
    });
  });

  it('an intermediate whose key may not sign certificates', () => {
    expect(chainOf(root, middle({ keyUsageBits: [KeyUsageBit.digitalSignature] })).reason).toMatch(
      /не предназначен для подписи сертификатов \(keyCertSign\)/,
    );
  });

  it('a root allowing no intermediate below it (pathLen 0)', () => {
    const strictRoot = ca({
      subject: rootName,
      issuer: rootName,
      key: rootKey,
      basicConstraints: { cA: true, pathLen: 0 },
    });
    expect(chainOf(strictRoot, middle()).reason).toBe(
      'Цепочка сертификатов не подтверждена: сертификат «Корневой УЦ docroute» разрешает не более 0 промежуточных УЦ под собой, а в цепочке их 1.',
    );
  });

  it('an intermediate expired at the signing time: EXPIRED; at the time of the check: unknown', () => {
    const expired = middle({ notAfter: new Date('2021-06-01T00:00:00Z') });
    expect(chainOf(root, expired)).toMatchObject({ status: 'failed', subIndication: 'EXPIRED' });
    expect(chainOf(root, expired, true)).toMatchObject({
      status: 'not_checked',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });
  });

  it('a GOST-signed link is not checked yet: ALGORITHM_NOT_SUPPORTED, never valid', () => {
    const signer = readCertificate(buildCertificate({ issuer: intermediateName, issuerKey: middleKey }).der);
    const gostSigned = { ...signer, signatureAlgorithm: { oid: Oids.gostSignature256, name: 'GOST' } };
    const chain = buildChain(
      gostSigned,
      { anchors: [readCertificate(root.der)], intermediates: [readCertificate(middle().der)] },
      { kind: 'instant', at: signingTime },
      timeZone,
    );
    expect(chainCheck(chain, true, false)).toMatchObject({
      status: 'not_checked',
      subIndication: 'ALGORITHM_NOT_SUPPORTED',
    });
  });

  it('uses the key identifiers: an issuer of the right name with another key id is not a candidate', () => {
    const signer = readCertificate(
      buildCertificate({
        issuer: intermediateName,
        issuerKey: middleKey,
        authorityKeyIdentifier: new Uint8Array(20).fill(9),
      }).der,
    );
    const withId = middle({ subjectKeyIdentifier: keyIdOf(middleKey) });
    const chain = buildChain(
      signer,
      { anchors: [readCertificate(root.der)], intermediates: [readCertificate(withId.der)] },
      { kind: 'instant', at: signingTime },
      timeZone,
    );
    expect(chain.complete).toBe(false);
    expect(chain.links).toHaveLength(1);
  });
});

describe('OpenSSL agrees on the RSA chain cases', () => {
  // `openssl verify -crl_check` judges now and checks the signer's CRL only; so do these cases.
  const day = 86_400_000;
  const today = new Date();
  const yesterday = new Date(today.getTime() - day);
  const serialHex = '0118EC5A8BAE6CF293EB11EE5A2E22B808';
  const dated = {
    signerNotBefore: new Date(today.getTime() - 30 * day),
    signerNotAfter: new Date(today.getTime() + 365 * day),
  };
  const pki = buildPki('rsa', { label: 'openssl', ...dated });
  const bareRoot = buildPki('rsa', { label: 'openssl-no-bc', rootWithoutBasicConstraints: true, ...dated });
  const stranger = buildPki('rsa', { label: 'openssl-stranger', ...dated });
  const interCrl = (revoked: { serialHex: string; date: Date }[] = [], extra = {}, at = yesterday) =>
    crlOf(pki.intermediate, intermediateName, at, revoked, extra);
  const edited = Uint8Array.from(pki.signer.der);
  edited.set(
    Buffer.from('Иванавич', 'utf8'),
    Buffer.from(edited).lastIndexOf(Buffer.from('Иванович', 'utf8')),
  );

  interface Case {
    readonly root: BuiltCertificate;
    readonly intermediate: BuiltCertificate;
    readonly signer: Uint8Array;
    readonly crl: Uint8Array;
    /** What `openssl verify` prints: OK, or the error. */
    readonly openssl: string;
    /** Our chain check, and the signer's revocation finding. */
    readonly ours: { chain: string; revocation: string | null };
  }
  const cases: Record<string, Case> = {
    good: {
      ...pki,
      signer: pki.signer.der,
      crl: interCrl(),
      openssl: 'OK',
      ours: { chain: 'passed', revocation: 'not_revoked' },
    },
    revoked: {
      ...pki,
      signer: pki.signer.der,
      crl: interCrl([{ serialHex, date: new Date(today.getTime() - 2 * day) }]),
      openssl: 'certificate revoked',
      ours: { chain: 'passed', revocation: 'revoked' },
    },
    'edited owner': {
      ...pki,
      signer: edited,
      crl: interCrl(),
      openssl: 'certificate signature failure',
      ours: { chain: 'failed SIG_CRYPTO_FAILURE', revocation: 'not_revoked' },
    },
    'foreign CA': {
      ...pki,
      root: stranger.root,
      signer: pki.signer.der,
      crl: interCrl(),
      openssl: 'unable to get local issuer certificate',
      ours: { chain: 'not_checked NO_CERTIFICATE_CHAIN_FOUND', revocation: 'not_revoked' },
    },
    'expired CRL': {
      ...pki,
      signer: pki.signer.der,
      crl: interCrl([], {}, new Date(today.getTime() - 30 * day)),
      openssl: 'CRL has expired',
      ours: { chain: 'passed', revocation: 'not_checked' },
    },
    'CRL with a bad signature': {
      ...pki,
      signer: pki.signer.der,
      crl: interCrl([], { corruptSignature: true }),
      openssl: 'CRL signature failure',
      ours: { chain: 'passed', revocation: 'not_checked' },
    },
  };
  const opensslVersion = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  const haveOpenssl = opensslVersion.status === 0;

  /** `openssl verify -CAfile root.pem -untrusted inter.pem -crl_check -CRLfile crl.pem signer.pem`. */
  function opensslSays(c: Case): string {
    const folder = mkdtempSync(join(tmpdir(), 'docroute-openssl-'));
    try {
      const write = (file: string, der: Uint8Array, label: string) => {
        writeFileSync(join(folder, file), toPem(der, label));
        return join(folder, file);
      };
      const run = spawnSync(
        'openssl',
        [
          'verify',
          '-CAfile',
          write('root.pem', c.root.der, 'CERTIFICATE'),
          '-untrusted',
          write('inter.pem', c.intermediate.der, 'CERTIFICATE'),
          '-crl_check',
          '-CRLfile',
          write('crl.pem', c.crl, 'X509 CRL'),
          write('signer.pem', c.signer, 'CERTIFICATE'),
        ],
        { encoding: 'utf8' },
      );
      const said = `${run.stdout}${run.stderr}`;
      if (run.status === 0) return said.includes(': OK') ? 'OK' : said;
      return /error \d+ at \d+ depth lookup: ([^\n]+)/.exec(said)?.[1] ?? said;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  function oursSay(c: Case): Case['ours'] {
    const report = describeCertificate(readCertificate(c.signer), today, timeZone, {
      trustList: {
        anchors: [readCertificate(c.root.der)],
        intermediates: [readCertificate(c.intermediate.der)],
        crls: [readCrl(c.crl), readCrl(crlOf(pki.root, rootName, yesterday))],
      },
    });
    const chain = report.checks.find((check) => check.check === 'chain');
    return {
      chain: chain?.subIndication === null ? 'passed' : `${chain?.status} ${chain?.subIndication}`,
      revocation: report.certificate.chain[0]?.revocation ?? null,
    };
  }

  it.each(Object.entries(cases))('%s', (_title, c) => {
    expect(oursSay(c)).toEqual(c.ours);
    if (!haveOpenssl) {
      console.info('openssl is not on PATH: only our side of the comparison was checked');
      return;
    }
    expect(opensslSays(c)).toBe(c.openssl);
  });

  it('a listed root without basicConstraints: OpenSSL refuses it, we accept it and say so', () => {
    const c: Case = {
      ...bareRoot,
      signer: bareRoot.signer.der,
      crl: crlOf(bareRoot.intermediate, intermediateName, yesterday),
      openssl: 'invalid CA certificate',
      ours: { chain: 'passed', revocation: 'not_revoked' },
    };
    const report = describeCertificate(readCertificate(c.signer), today, timeZone, {
      trustList: {
        anchors: [readCertificate(c.root.der)],
        intermediates: [readCertificate(c.intermediate.der)],
        crls: [readCrl(c.crl), readCrl(crlOf(bareRoot.root, rootName, yesterday))],
      },
    });
    expect(report.checks.find((check) => check.check === 'chain')?.reason).toMatch(/без признака УЦ принят/);
    if (!haveOpenssl) {
      console.info('openssl is not on PATH: only our side of the comparison was checked');
      return;
    }
    expect(opensslSays(c)).toBe(c.openssl);
  });
});
