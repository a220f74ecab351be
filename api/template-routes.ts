/**
 * Template previews for the console: GET renders with the template's sample data, POST with the
 * data in the body. A missing or mistyped variable is a 400 naming it, never a blank.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, RelanceError } from '../domain/errors';
import type { TemplateRegistry } from '../templates/registry';
import { variableSets } from '../templates/variables';

interface PreviewQuery {
  locale?: string;
  channel?: string;
}

export function registerTemplateRoutes(app: FastifyInstance, templates: TemplateRegistry): void {
  const preview = (id: string, query: PreviewQuery, data: unknown) => {
    if (!templates.ids().includes(id))
      throw new RelanceError(ErrorCode.NotFound, `No template "${id}"; known: ${templates.ids().join(', ')}`);
    const meta = templates.meta(id);
    const channel = query.channel ?? meta.channels[0] ?? 'email';
    if (channel !== 'email' && channel !== 'sms')
      throw new RelanceError(ErrorCode.InvalidInput, 'Invalid channel', [
        { path: 'channel', message: 'expected "email" or "sms"' },
      ]);
    if (!meta.channels.includes(channel))
      throw new RelanceError(ErrorCode.InvalidInput, 'Invalid channel', [
        { path: 'channel', message: `expected one of ${meta.channels.join(', ')}` },
      ]);
    const rendered = templates.render(
      id,
      channel,
      query.locale ?? 'fr-FR',
      data ?? variableSets[meta.variables].sample,
    );
    return {
      template: id,
      purpose: meta.purpose,
      channel,
      locale: rendered.locale,
      ...(rendered.subject !== undefined ? { subject: rendered.subject } : {}),
      text: rendered.text,
      ...(rendered.html !== undefined ? { html: rendered.html } : {}),
      ...(rendered.sms ? { segments: rendered.sms.segments, encoding: rendered.sms.encoding } : {}),
      ...(rendered.compact ? { compact: true } : {}),
    };
  };

  // Marketing writes templates; finance reads the dunning ones it sends; agents see what went out.
  const access = { config: { access: ['marketing', 'finance', 'agent'] as const } };
  app.get('/v1/templates', access, () => ({
    templates: templates.ids().map((id) => {
      const meta = templates.meta(id);
      return {
        id,
        description: meta.description,
        purpose: meta.purpose,
        channels: meta.channels,
        variables: meta.variables,
      };
    }),
  }));
  app.get<{ Params: { id: string }; Querystring: PreviewQuery }>(
    '/v1/templates/:id/preview',
    access,
    (request) => preview(request.params.id, request.query, undefined),
  );
  app.post<{ Params: { id: string }; Querystring: PreviewQuery }>(
    '/v1/templates/:id/preview',
    access,
    (request) => preview(request.params.id, request.query, request.body),
  );
}
