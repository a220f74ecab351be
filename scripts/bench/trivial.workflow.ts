/** The baseline of the sequence benchmark: a workflow that does nothing, on the same server. */
export function trivialWorkflow(): Promise<string> {
  return Promise.resolve('done');
}
