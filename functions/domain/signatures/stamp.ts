/** The electronic-signature mark for a document's visualisation (ГОСТ Р 7.0.97). */

import { russianDateIn } from '../time-zone.ts';
import type { Certificate } from './certificate.ts';

export type Stamp = readonly [string, string, string, string, string];

/** Five lines; validity dates are calendar dates in the organisation's zone. */
export function signatureStamp(
  certificate: Pick<Certificate, 'serial' | 'owner' | 'notBefore' | 'notAfter'>,
  timeZone: string,
): Stamp {
  return [
    'ДОКУМЕНТ ПОДПИСАН',
    'ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
    `Сертификат ${certificate.serial.toUpperCase()}`,
    `Владелец ${certificate.owner}`,
    `Действителен с ${russianDateIn(certificate.notBefore, timeZone)} по ${russianDateIn(certificate.notAfter, timeZone)}`,
  ];
}
