/**
 * The failure converter of every worker and client (see payload-codec.ts): error messages and
 * stack traces travel in an encoded payload, so the payload codec encrypts them too. The SDK
 * loads it by path with a plain require(), in the client and inside the workflow bundle, which
 * is why this one file is CommonJS rather than TypeScript.
 */
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
