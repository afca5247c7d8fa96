import { z } from 'zod';
import { incomingRequestSchema } from '../domain/incoming.ts';

const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string',
      description: 'Error name: ValidationError, RuleViolationError, NotFoundError, ConflictError, ...',
    },
    message: { type: 'string' },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'problem'],
        properties: { field: { type: 'string' }, problem: { type: 'string' } },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const documentResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Document' } } },
});

const common = {
  '401': errorResponse('No token, or an invalid or expired one'),
  '403': errorResponse('The token\u2019s role may not do this'),
};

let cached: object | undefined;

/** The OpenAPI 3.1 description of the HTTP API, served at /v1/openapi.json. */
export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'docroute',
      version: '1',
      description: 'Registration, routing and signature tracking for a records office.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        IncomingRequest: z.toJSONSchema(incomingRequestSchema, { io: 'input', unrepresentable: 'any' }),
        Document: {
          type: 'object',
          description: 'A registration card: the request fields plus its registration.',
          required: ['id', 'regNumber', 'regDate', 'status'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            regNumber: { type: 'string', examples: ['01-05/1'] },
            regDate: { type: 'string', format: 'date' },
            regSeq: { type: 'integer' },
            journal: { type: 'string' },
            status: { type: 'string', enum: ['registered'] },
            duplicate: {
              type: 'boolean',
              description: 'True when the same letter was registered before (POST only)',
            },
          },
          additionalProperties: true,
        },
        Error: errorSchema,
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/incoming': {
        post: {
          summary: 'Register an incoming document',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 200 },
              description: 'A retry with the same key returns the first answer',
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/IncomingRequest' } } },
          },
          responses: {
            '201': documentResponse('Registered; the card with its number'),
            '200': documentResponse(
              'The same letter (correspondent, their number and date) was registered before: that card, with duplicate: true',
            ),
            '400': errorResponse('Malformed body: each field and problem named'),
            '409': errorResponse(
              'The same letter is being registered right now, or the Idempotency-Key is in use',
            ),
            '413': errorResponse('Body over 1 MB'),
            '422': errorResponse(
              'Breaks a rule: their date after receipt, receipt in the future, unknown executor',
            ),
            ...common,
          },
        },
      },
      '/v1/signatures/verify': {
        post: {
          summary:
            'Check a detached CMS signature: its certificate window at the signing time, the digest, the signature',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['signature'],
                  additionalProperties: false,
                  properties: {
                    signature: {
                      type: 'string',
                      contentEncoding: 'base64',
                      description: 'The .sig file (DER, BER or PEM)',
                    },
                    content: {
                      type: 'string',
                      contentEncoding: 'base64',
                      description: 'The signed document',
                    },
                    certificate: {
                      type: 'string',
                      contentEncoding: 'base64',
                      description: 'The signer\u2019s certificate, if the signature lacks it',
                    },
                    at: {
                      type: 'string',
                      description: 'Judge at this instant (ISO 8601) or calendar date (YYYY-MM-DD)',
                    },
                  },
                },
              },
            },
          },
          responses: {
            '200': {
              description:
                'The verdicts: certificate, signingTime, timeSource, window, digest, signature, stamp, reasons',
            },
            '400': errorResponse('Malformed request: each field and problem named'),
            '422': errorResponse('The signature or certificate cannot be read; the report is included'),
            ...common,
          },
        },
      },
      '/v1/documents': {
        get: {
          summary: 'Find documents by the correspondent\u2019s number or by our registration number',
          parameters: [
            { name: 'theirRef', in: 'query', schema: { type: 'string' } },
            { name: 'regNumber', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'Matching cards',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      items: { type: 'array', items: { $ref: '#/components/schemas/Document' } },
                    },
                  },
                },
              },
            },
            '400': errorResponse('Neither or both query parameters given'),
            ...common,
          },
        },
      },
      '/v1/documents/{id}': {
        get: {
          summary: 'A registration card',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': documentResponse('The card'),
            '404': errorResponse('No such document'),
            ...common,
          },
        },
      },
      '/v1/documents/{id}/history': {
        get: {
          summary: 'A document\u2019s hash-chained history and whether the chain is intact',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Events in order, with the chain verdict' },
            '404': errorResponse('No such document'),
            ...common,
          },
        },
      },
      '/v1/journals/{journal}/{year}': {
        get: {
          summary:
            'A registration journal for a year: every number taken, with its document or the reason it was voided',
          parameters: [
            { name: 'journal', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'year', in: 'path', required: true, schema: { type: 'integer' } },
          ],
          responses: {
            '200': { description: 'Entries from the first number to the counter' },
            '404': errorResponse('No such journal'),
            ...common,
          },
        },
      },
    },
  };
  return cached;
}
