/** OpenAPI paths of the segment routes (api/segment-routes.ts); roles come from the route table. */
import { z } from 'zod';
import { segmentSchema } from '../domain/segment';

const json = (schema: unknown) => ({ 'application/json': { schema } });

export const segmentPaths = {
  '/v1/segments/preview': {
    post: {
      summary:
        'How many contacts a segment selects now (erased contacts excluded), and the first 20 contact ids in id order',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          additionalProperties: false,
          required: ['segment'],
          properties: { segment: z.toJSONSchema(segmentSchema, { io: 'input', unrepresentable: 'any' }) },
        }),
      },
      responses: {
        '200': {
          description: 'The count and a sample',
          content: json({
            type: 'object',
            required: ['count', 'sample'],
            properties: {
              count: { type: 'integer', minimum: 0 },
              sample: { type: 'array', maxItems: 20, items: { type: 'string' } },
            },
          }),
        },
        '400': {
          description: 'A bad segment: each offending path, e.g. segment.all[0].regex',
          content: json({ $ref: '#/components/schemas/Error' }),
        },
      },
    },
  },
};
