/** OpenAPI paths of the template previews (api/template-routes.ts); roles come from the route table. */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = json({ $ref: '#/components/schemas/Error' });
const parameters = [
  { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'locale', in: 'query', schema: { type: 'string', example: 'fr-FR' } },
  { name: 'channel', in: 'query', schema: { enum: ['email', 'sms'] } },
];
const rendered = {
  description:
    'The rendered message: subject, text, html (email), segments and encoding (SMS); compact: true when the SMS was over its segment budget and its compact form is what goes out',
  content: json({ type: 'object' }),
};

export const templatePaths = {
  '/v1/templates': {
    get: {
      summary: 'The message templates: purpose, channels, variables',
      responses: { '200': { description: 'Templates', content: json({ type: 'object' }) } },
    },
  },
  '/v1/templates/{id}/preview': {
    get: {
      summary: 'Render a template with its sample data',
      parameters,
      responses: { '200': rendered, '404': { description: 'Unknown template', content: errorRef } },
    },
    post: {
      summary:
        'Render a template with the data in the body; a missing or mistyped variable is a 400 naming it',
      parameters,
      requestBody: { content: json({ type: 'object' }) },
      responses: {
        '200': rendered,
        '400': {
          description:
            'A variable missing or mistyped, named by path; or an SMS over its segment budget even in its compact form',
          content: errorRef,
        },
        '404': { description: 'Unknown template', content: errorRef },
      },
    },
  },
};
