/** The admin token API tests build the server with, and the header that sends it. */
export const TEST_ADMIN_TOKEN = 'rl_test-admin-token-not-a-secret-0123456789';
export const authHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;
