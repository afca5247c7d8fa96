import { SESv2Client } from '@aws-sdk/client-sesv2';
import { sesMailer } from '../../adapters/mail/ses-mailer.ts';
import { type DepFactory, once } from './factory.ts';

// SES sends as the identity of the From address (infra/aws grants it).
export const mailer: DepFactory<'mailer'> = once(() => sesMailer({ client: new SESv2Client({}) }));
