import { describe, expect, it } from 'vitest';
import { checkConsent, latestConsent } from '../../domain/policy/consent';
import type { ConsentRecord } from '../../domain/policy/types';
import { consent } from '../fixtures/policy';

describe('consent history', () => {
  it('when a contact granted, withdrew and granted again, then the latest record wins', () => {
    const history = [
      consent('2026-01-05T10:00:00Z', 'email', 'marketing', true, 'checkout box'),
      consent('2026-02-05T10:00:00Z', 'email', 'marketing', false, 'unsubscribe link'),
      consent('2026-03-05T10:00:00Z', 'email', 'marketing', true, 'preference centre'),
    ];
    expect(latestConsent(history, 'email', 'marketing')?.source).toBe('preference centre');
    expect(checkConsent(history, 'email', 'marketing')).toMatchObject({ allowed: true, basis: 'consent' });
    expect(checkConsent(history.slice(0, 2), 'email', 'marketing')).toMatchObject({
      allowed: false,
      reason: 'opted_out',
    });
  });

  it('when records are listed out of order, then the time Relance received each decides, not the list order', () => {
    const history = [
      consent('2026-03-05T10:00:00Z', 'sms', 'marketing', false, 'STOP reply'),
      consent('2026-01-05T10:00:00Z', 'sms', 'marketing', true, 'checkout box'),
    ];
    expect(checkConsent(history, 'sms', 'marketing')).toMatchObject({ allowed: false, reason: 'opted_out' });
  });

  it('when a grant dated in the future arrived before a STOP, then the STOP wins', () => {
    const history = [
      // received at 10:00 but dated 10:04 by the sender's clock
      consent('2026-03-05T10:04:00Z', 'sms', 'transactional', true, 'CRM', '2026-03-05T10:00:00Z'),
      consent('2026-03-05T10:01:00Z', 'sms', 'transactional', false, 'STOP reply'),
    ];
    expect(checkConsent(history, 'sms', 'transactional')).toMatchObject({
      allowed: false,
      reason: 'opted_out',
    });
  });

  it('when a grant dated back arrives after a STOP (a CRM re-sync of an old form), then the STOP still holds', () => {
    const history = [
      consent('2026-03-10T09:00:00Z', 'sms', 'marketing', false, 'STOP reply'),
      // dated 1 March by the CRM, received by Relance on 12 March
      consent('2026-03-01T10:00:00Z', 'sms', 'marketing', true, 'CRM re-sync', '2026-03-12T08:00:00Z'),
    ];
    expect(checkConsent(history, 'sms', 'marketing')).toMatchObject({ allowed: false, reason: 'opted_out' });
    // A grant the customer gives after the STOP, received the same day, gives the channel back.
    const regranted = [
      ...history,
      consent('2026-03-11T18:00:00Z', 'sms', 'marketing', true, 'preference centre', '2026-03-12T08:05:00Z'),
    ];
    expect(checkConsent(regranted, 'sms', 'marketing')).toMatchObject({ allowed: true });
  });

  it('when two records were received at the same instant, then the one that arrived last wins, whatever the list order', () => {
    const same = '2026-03-05T10:00:00Z';
    const grantThenWithdraw = [
      consent(same, 'email', 'marketing', true, 'form'),
      consent(same, 'email', 'marketing', false, 'call'),
    ];
    expect(latestConsent(grantThenWithdraw, 'email', 'marketing')?.source).toBe('call');
    expect(latestConsent([...grantThenWithdraw].reverse(), 'email', 'marketing')?.source).toBe('call');
  });

  it('when reception instants are written with different offsets, then they compare as instants', () => {
    const history = [
      consent('2026-03-05T11:30:00+01:00', 'email', 'marketing', false, 'paris'), // 10:30Z
      consent('2026-03-05T10:00:00Z', 'email', 'marketing', true, 'utc'),
    ];
    expect(latestConsent(history, 'email', 'marketing')?.source).toBe('paris');
  });

  it('when records concern other channels or purposes, then they are ignored', () => {
    const history = [
      consent('2026-03-05T10:00:00Z', 'sms', 'marketing', true),
      consent('2026-03-05T10:00:00Z', 'email', 'transactional', true),
    ];
    expect(latestConsent(history, 'email', 'marketing')).toBeUndefined();
    expect(checkConsent(history, 'email', 'marketing')).toMatchObject({
      allowed: false,
      reason: 'no_consent',
    });
  });

  it('when a transactional channel was withdrawn then granted again, then messages may go again', () => {
    const history = [
      consent('2026-02-05T10:00:00Z', 'sms', 'transactional', false, 'STOP'),
      consent('2026-02-06T10:00:00Z', 'sms', 'transactional', true, 'START'),
    ];
    expect(checkConsent(history, 'sms', 'transactional')).toMatchObject({ allowed: true, basis: 'contract' });
    expect(checkConsent(history.slice(0, 1), 'sms', 'transactional')).toMatchObject({
      allowed: false,
      reason: 'opted_out',
    });
  });

  it('when a decision is explained, then the detail names the record, its time and its source', () => {
    const history = [consent('2026-02-05T10:00:00Z', 'email', 'marketing', false, 'unsubscribe link')];
    expect(checkConsent(history, 'email', 'marketing').detail).toBe(
      'marketing email consent withdrawn (withdrawn 2026-02-05T10:00:00Z via unsubscribe link)',
    );
  });
});

describe('consent and its legal basis', () => {
  const on = (
    basis: ConsentRecord['legalBasis'],
    purpose: 'marketing' | 'transactional' = 'marketing',
    granted = true,
    when = '2026-02-05T10:00:00Z',
  ): ConsentRecord => ({
    ...consent(when, 'email', purpose, granted, 'crm'),
    ...(basis ? { legalBasis: basis } : {}),
  });
  const softOptIn = { marketingOnLegitimateInterest: true };

  it('when marketing was granted on the consent basis (or on none, which means consent), then offers may go', () => {
    expect(checkConsent([on('consent')], 'email', 'marketing')).toMatchObject({
      allowed: true,
      basis: 'consent',
    });
    expect(checkConsent([on(undefined)], 'email', 'marketing')).toMatchObject({
      allowed: true,
      basis: 'consent',
    });
  });

  it('when marketing rests on the contract, then it is no_consent: a contract does not cover marketing', () => {
    const answer = checkConsent([on('contract')], 'email', 'marketing', softOptIn);
    expect(answer).toMatchObject({ allowed: false, reason: 'no_consent' });
    expect(answer.detail).toContain('a contract does not cover marketing');
  });

  it('when marketing rests on legitimate interest, then it goes only where the soft opt-in is turned on', () => {
    expect(checkConsent([on('legitimate_interest')], 'email', 'marketing')).toMatchObject({
      allowed: false,
      reason: 'no_consent',
    });
    expect(checkConsent([on('legitimate_interest')], 'email', 'marketing', softOptIn)).toMatchObject({
      allowed: true,
      basis: 'legitimate_interest',
    });
  });

  it('when a withdrawal follows a grant on any basis, then the withdrawal wins, soft opt-in or not', () => {
    for (const basis of ['consent', 'legitimate_interest', 'contract'] as const) {
      const history = [on(basis), on(basis, 'marketing', false, '2026-03-01T10:00:00Z')];
      expect(checkConsent(history, 'email', 'marketing', softOptIn)).toMatchObject({ reason: 'opted_out' });
      const service = [on(basis, 'transactional'), on(basis, 'transactional', false, '2026-03-01T10:00:00Z')];
      expect(checkConsent(service, 'email', 'transactional')).toMatchObject({ reason: 'opted_out' });
    }
  });

  it('when a transactional message has a record, then it goes on that record’s basis, contract by default', () => {
    expect(checkConsent([], 'email', 'transactional')).toMatchObject({ allowed: true, basis: 'contract' });
    expect(checkConsent([on('consent', 'transactional')], 'email', 'transactional')).toMatchObject({
      allowed: true,
      basis: 'consent',
    });
    expect(checkConsent([on(undefined, 'transactional')], 'email', 'transactional').detail).toContain(
      'on the contract basis',
    );
  });
});
