/** SMS segment counting lives in domain/ (workflow validators count too); templates read it here. */
export * from '../domain/sms-segments';
