/**
 * Ingestion's side of erasure (contract §7). An erased contact stays erased: events that would
 * record something about it again (an upsert under its id, a consent, an invoice, a campaign
 * naming it, a plan, a dispute, a promise) are refused with 400. Facts that only move money or
 * close an invoice (a payment, a cancellation, a dispute's resolution) are still recorded, with
 * their stored data scrubbed, since the accounts must stay whole.
 */
import { getContact, type Contact } from '../store/contact-repository';
import type { Sql } from '../store/db';
import { eraseContact } from '../store/erasure-repository';

export const erasedMessage = (contact: Pick<Contact, 'id' | 'erasedAt'>) =>
  `contact "${contact.id}" was erased (${contact.erasedAt ?? ''}): nothing more is recorded about it or sent to it`;

/** Invoice facts still accepted for an erased contact's invoice. */
export const ACCOUNTING_FACTS: ReadonlySet<string> = new Set([
  'invoice.payment',
  'invoice.cancelled',
  'invoice.dispute_resolved',
]);

type Issue = (field: string, message: string) => undefined;

/** The contact `data.contactId` names, or an issue when it is unknown or erased. */
export async function liveContact(tx: Sql, contactId: string, issue: Issue): Promise<Contact | undefined> {
  const contact = await getContact(tx, contactId);
  if (!contact) return issue('contactId', `unknown contact "${contactId}"`);
  return contact.erasedAt ? issue('contactId', erasedMessage(contact)) : contact;
}

/** Applies contact.erased; a contact already erased is left as it is (a retry is harmless). */
export async function applyErasure(
  tx: Sql,
  contactId: string,
  at: string,
  issue: Issue,
): Promise<string | undefined> {
  const contact = await getContact(tx, contactId);
  if (!contact) return issue('contactId', `unknown contact "${contactId}"`);
  if (contact.erasedAt) return `contact ${contact.id} was already erased (${contact.erasedAt})`;
  await eraseContact(tx, contact, at);
  return undefined;
}
