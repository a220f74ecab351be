/** OpenAPI paths of the token routes (api/token-routes.ts); their roles come from the route table. */
import { ROLES } from '../domain/roles';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = json({ $ref: '#/components/schemas/Error' });
const token = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'tok_5f1c0a2b9d3e4f60' },
    name: { type: 'string', example: 'Claire Martin' },
    role: { enum: [...ROLES] },
    createdAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'name', 'role', 'createdAt', 'revokedAt', 'lastUsedAt'],
};

export const tokenPaths = {
  '/v1/me': {
    get: {
      summary: "The calling token's name and role (what the console shows after sign-in)",
      responses: {
        '200': {
          description: 'The caller',
          content: json({
            type: 'object',
            properties: { name: { type: 'string' }, role: { enum: [...ROLES] } },
            required: ['name', 'role'],
          }),
        },
      },
    },
  },
  '/v1/tokens': {
    post: {
      summary:
        'Create an API token; the answer holds the token itself, shown this once (only its hash is kept)',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          additionalProperties: false,
          required: ['name', 'role'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: { enum: [...ROLES] } },
        }),
      },
      responses: {
        '201': {
          description: 'Created',
          content: json({ allOf: [token, { type: 'object', properties: { token: { type: 'string' } } }] }),
        },
        '400': { description: 'A missing or bad name or role, named by path', content: errorRef },
      },
    },
    get: {
      summary: 'The API tokens, revoked ones included (never their secrets)',
      responses: {
        '200': {
          description: 'Tokens',
          content: json({ type: 'object', properties: { tokens: { type: 'array', items: token } } }),
        },
      },
    },
  },
  '/v1/tokens/{id}': {
    delete: {
      summary: 'Revoke a token: from now on it gets 401',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The revoked token', content: json(token) },
        '404': { description: 'Unknown token', content: errorRef },
      },
    },
  },
};
