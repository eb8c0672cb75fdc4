import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X-Instance-ID-Signature: HMAC-SHA256 of the instance id under the secret the metadata agent and
 * Nova share (neutron's metadata_proxy_shared_secret), hex, as Nova's metadata handler checks it.
 */
export function signInstanceId(secret: string, instanceId: string): string {
  return createHmac('sha256', secret).update(instanceId).digest('hex');
}

/** Nova's side of it: does the signature match, compared in constant time. */
export function verifyInstanceId(secret: string, instanceId: string, signature: string): boolean {
  const expected = Buffer.from(signInstanceId(secret, instanceId));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
