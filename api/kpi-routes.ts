/**
 * GET /v1/kpis?from=YYYY-MM-DD&to=YYYY-MM-DD: the collection KPIs of a period (definitions in
 * domain/kpis.ts, the README and the OpenAPI description), for finance (and admin).
 */
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../domain/errors';
import { computeKpis, parseKpiPeriod } from '../domain/kpis';
import type { Sql } from '../store/db';
import { kpiInput } from '../store/kpi-queries';

export function registerKpiRoutes(app: FastifyInstance, db: Sql): void {
  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/v1/kpis',
    { config: { access: ['finance'] } },
    async (request) => {
      const period = parseKpiPeriod(request.query);
      if (Array.isArray(period)) throw invalidInput(period, 'The KPI period is invalid');
      return computeKpis(await kpiInput(db, period));
    },
  );
}
