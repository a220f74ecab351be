/** The workflows a Relance worker runs (the bundle's entry point). */
export { invoiceDunningWorkflow, invoiceDunningWorkflowV2 } from './invoice-dunning.workflow';
export { campaignMessageWorkflow } from './campaign-message.workflow';
export { expirySequenceWorkflow } from './expiry-sequence.workflow';
export { campaignWorkflow } from './campaign.workflow';
export { campaignRunWorkflow } from './campaign-run.workflow';
