/** `relance simulate <scenario> [--json] [--config file]`: exit 0, or 2 on an invalid scenario. */
import { DateTime } from 'luxon';
import { loadScenario, ScenarioError } from './simulator/scenario';
import { runSimulation } from './simulator/run-simulation';
import type { Discrepancy, Timeline } from './simulator/timeline';

export async function simulateCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const configIndex = args.indexOf('--config');
  const configFiles = configIndex >= 0 && args[configIndex + 1] ? [args[configIndex + 1] ?? ''] : [];
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--config');
  if (!file) {
    process.stderr.write('usage: relance simulate <scenario.yaml|json> [--json] [--config overrides.yaml]\n');
    return 2;
  }
  try {
    const timeline = await runSimulation(loadScenario(file), { configFiles });
    process.stdout.write(json ? `${JSON.stringify(timeline, null, 2)}\n` : humanTimeline(timeline));
    return 0;
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function humanTimeline(t: Timeline): string {
  const lines: string[] = [];
  for (const m of t.messages) {
    const local = DateTime.fromISO(m.localTime, { setZone: true }).toFormat('yyyy-LL-dd HH:mm ZZZZ');
    const status = m.status === 'sent' ? 'sent' : `${m.status} (${m.reason ?? '?'})`;
    lines.push(
      `${local}  ${m.subjectIds.join('+').padEnd(12)} ${String(m.step).padEnd(14)} ${m.channel.padEnd(5)} ${status}${m.plannedAt ? `  [planned ${m.plannedAt}]` : ''}`,
    );
    if (m.subject) lines.push(`    ${m.subject}`);
  }
  for (const h of t.handoffs) {
    const state = [h.status, h.owner, h.resolution].filter(Boolean).join(', ');
    lines.push(
      `${h.at}  ${h.subjectIds.join('+').padEnd(12)} handoff #${h.id}: ${h.reason} [${state}; due ${h.dueBy ?? '-'}]`,
    );
  }
  for (const a of t.agentActions ?? [])
    lines.push(
      `${a.at}  ${a.subjectId.padEnd(12)} agent ${a.by}: ${a.type} ${a.status}${a.reason ? ` (${a.reason})` : ''}`,
    );
  lines.push('', 'Sequences:');
  for (const s of t.sequences) lines.push(`  ${s.id}: ${s.status}${s.outcome ? ` (${s.outcome})` : ''}`);
  lines.push('', `Discrepancies between the provider and the ledger: ${t.discrepancies.length || 'none'}`);
  for (const d of t.discrepancies) lines.push(`  ${describeDiscrepancy(d)}`);
  return `${lines.join('\n')}\n`;
}

function describeDiscrepancy(d: Discrepancy): string {
  switch (d.kind) {
    case 'provider_without_ledger':
      return `${d.kind}: ${d.channel} ${d.providerMessageId} to ${d.to} (key ${d.idempotencyKey ?? 'none'}, ledger ${d.ledgerStatus ?? 'no row'})`;
    case 'ledger_sent_without_provider':
      return `${d.kind}: ${d.step ?? '?'} ${d.channel} to ${d.to ?? '?'} (ledger ${d.ledgerId}, key ${d.idempotencyKey})`;
    case 'provider_duplicate':
      return `${d.kind}: ${d.step ?? '?'} ${d.channel} to ${d.to} received ${d.providerMessageIds.length} times (ledger ${d.ledgerId})`;
  }
}
