/**
 * A CA's distribution point on this machine, for the CRL-fetching tests: an HTTP server on
 * 127.0.0.1 (loopback only, a free port) serving what each test puts under a path, counting the
 * requests per path; and a test PKI made with docroute's own issuer (a GOST CA, its CRLs, signers
 * whose certificates name a distribution point on that server, their detached signatures).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  issueCertificate,
  issuerOf,
  type NameSpec,
  selfIssuer,
} from '../../functions/domain/signatures/issue-certificate.ts';
import { issueCrl, type Revocation } from '../../functions/domain/signatures/issue-crl.ts';
import { signDetached } from '../../functions/domain/signatures/sign-detached.ts';
import { generateSigningKey, type SigningKey } from '../../functions/domain/signatures/signing-key.ts';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface CrlServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly routes: Map<string, Route>;
  /** Requests seen per path (with its query), whatever the answer. */
  readonly hits: Map<string, number>;
  hitsOf(path: string): number;
  totalHits(): number;
  close(): Promise<void>;
}

export async function startCrlServer(): Promise<CrlServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    hits,
    hitsOf: (path) => hits.get(path) ?? 0,
    totalHits: () => [...hits.values()].reduce((sum, n) => sum + n, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves fixed bytes. */
export function serve(bytes: Uint8Array | string, contentType = 'application/pkix-crl'): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': contentType }).end(bytes);
  };
}

export interface TestPki {
  readonly caKey: SigningKey;
  readonly ca: Uint8Array;
  readonly content: Uint8Array;
  /** A CRL of the CA, current now, listing `revoked`. */
  crl(revoked?: readonly Revocation[], times?: { thisUpdate?: Date; nextUpdate?: Date }): Uint8Array;
  /** A signer whose certificate names `crlUrl` as its distribution point, and its signature on `content`. */
  signer(serial: string, crlUrl?: string): { certificate: Uint8Array; signature: Uint8Array };
}

const caName: NameSpec = [
  ['CN', 'Тестовый УЦ с точкой распространения'],
  ['O', 'docroute'],
  ['C', 'RU'],
];

export function makePki(now = new Date(), name: NameSpec = caName): TestPki {
  const day = 86_400_000;
  const caKey = generateSigningKey('gost2012-256');
  const ca = issueCertificate(
    {
      subject: name,
      publicKeyInfo: caKey.publicKeyInfo,
      serial: '01',
      notBefore: new Date(now.getTime() - day),
      notAfter: new Date(now.getTime() + 365 * day),
      ca: {},
    },
    selfIssuer(name, caKey),
  );
  const content = new TextEncoder().encode('Исх. № 07-04/11180 от 23.12.2021: ответ на запрос');
  return {
    caKey,
    ca,
    content,
    crl: (revoked = [], times = {}) =>
      issueCrl(
        {
          thisUpdate: times.thisUpdate ?? new Date(now.getTime() - 3600_000),
          nextUpdate: times.nextUpdate ?? new Date(now.getTime() + day),
          revoked,
          number: 1,
        },
        issuerOf(ca, caKey),
      ),
    signer(serial, crlUrl) {
      const key = generateSigningKey('gost2012-256', 'A');
      const certificate = issueCertificate(
        {
          subject: [
            ['CN', 'Куликов Василий Иванович'],
            ['SN', 'Куликов'],
            ['G', 'Василий Иванович'],
          ],
          publicKeyInfo: key.publicKeyInfo,
          serial,
          notBefore: new Date(now.getTime() - 3600_000),
          notAfter: new Date(now.getTime() + 30 * day),
          ...(crlUrl === undefined ? {} : { crlDistributionPoint: crlUrl }),
        },
        issuerOf(ca, caKey),
      );
      return { certificate, signature: signDetached({ content, key, certificate, signingTime: now }) };
    },
  };
}
