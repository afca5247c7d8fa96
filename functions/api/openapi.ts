import { z } from 'zod';
import {
  type Answers,
  defineRoute,
  errorSchema,
  idempotencyKeySchema,
  openApiPath,
  type Route,
} from './contract.ts';
import { latestAnchorRoute, writeAnchorRoute } from './routes/anchors.ts';
import { calendarRoute } from './routes/calendar.ts';
import {
  closeControlRoute,
  controlListRoute,
  extensionRoute,
  overdueReportRoute,
  resolutionRoute,
} from './routes/control.ts';
import {
  documentHistoryRoute,
  findDocumentsRoute,
  getDocumentRoute,
  verifyHistoryRoute,
} from './routes/documents.ts';
import { registerIncomingRoute } from './routes/incoming.ts';
import { journalRoute } from './routes/journals.ts';
import { legalHoldRoute } from './routes/legal-hold.ts';
import { notificationsRoute } from './routes/notifications.ts';
import {
  approvalRoute,
  archiveRoute,
  draftDocxRoute,
  draftPdfRoute,
  letterPdfRoute,
  prepareReplyRoute,
  reviseReplyRoute,
  signatureRoute,
} from './routes/outgoing.ts';
import { summaryReportRoute } from './routes/reports.ts';
import { verifySignatureRoute } from './routes/signatures.ts';

export const openApiRoute = defineRoute({
  method: 'get',
  path: '/v1/openapi.json',
  summary: 'This description of the API (the one route that needs no token)',
  access: 'public',
  answers: { 200: { description: 'The OpenAPI 3.1 document' } },
});

/** Every route the API serves, in the order its document lists them. */
export const apiRoutes: ReadonlyArray<Route<Answers>> = [
  registerIncomingRoute,
  verifySignatureRoute,
  findDocumentsRoute,
  getDocumentRoute,
  documentHistoryRoute,
  verifyHistoryRoute,
  journalRoute,
  prepareReplyRoute,
  reviseReplyRoute,
  draftPdfRoute,
  draftDocxRoute,
  approvalRoute,
  signatureRoute,
  letterPdfRoute,
  archiveRoute,
  calendarRoute,
  resolutionRoute,
  extensionRoute,
  closeControlRoute,
  controlListRoute,
  overdueReportRoute,
  notificationsRoute,
  summaryReportRoute,
  writeAnchorRoute,
  latestAnchorRoute,
  legalHoldRoute,
  openApiRoute,
];

/** JSON Schema of a zod schema, without `$schema`: OpenAPI 3.1 already says it is 2020-12. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** OpenAPI parameters from a zod object: one per property, required unless it is optional. */
function parametersOf(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (schema === undefined) return [];
  const object = jsonSchemaOf(schema, 'input') as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    ...(description === undefined ? {} : { description }),
    schema: property,
  }));
}

const jsonContent = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

function operationOf(route: Route<Answers>) {
  const responses = Object.fromEntries(
    Object.entries(route.allAnswers).map(([status, answer]) => {
      const isError = Number(status) >= 400;
      const schema =
        answer.schema !== undefined ? jsonSchemaOf(answer.schema, 'output') : isError ? errorRef : undefined;
      return [
        status,
        {
          description: answer.description,
          ...(schema === undefined ? {} : { content: jsonContent(schema) }),
        },
      ];
    }),
  );
  const parameters = [
    ...parametersOf(route.params, 'path'),
    ...parametersOf(route.query, 'query'),
    ...(route.idempotencyKey === true
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: idempotencyKeySchema.description,
            schema: jsonSchemaOf(idempotencyKeySchema, 'input'),
          },
        ]
      : []),
  ];
  return {
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(route.roles === undefined ? {} : { description: `Roles: ${route.roles.join(', ')}` }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: jsonSchemaOf(route.body, 'input') },
            },
          },
        }),
    responses,
  };
}

const errorRef = { $ref: '#/components/schemas/Error' };

let cached: object | undefined;

/** The OpenAPI 3.1 description of the HTTP API, served at /v1/openapi.json, made from the routes' contract. */
export function openApiDocument(): object {
  if (cached !== undefined) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'docroute',
      version: '1',
      description: 'Registration, routing and signature tracking for a records office.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: jsonSchemaOf(errorSchema, 'output') },
    },
    security: [{ bearer: [] }],
    paths,
  };
  return cached;
}
