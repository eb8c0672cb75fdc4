import { NeutronError } from '../errors.js';

/**
 * A request without a believable identity. The body is the one Neutron answers (keystonemiddleware
 * writes it), plus `detail`: why, in a few words, for the person reading it. Never a NeutronError
 * body: clients (keystoneauth, openstacksdk) read `error.message` on a 401.
 */
export class Unauthorized extends Error {
  readonly status = 401;
  constructor(
    readonly detail: string,
    /** keystone mode: where to get a token (`WWW-Authenticate: Keystone uri="..."`). */
    readonly wwwAuthenticate?: string,
  ) {
    super(`unauthorized: ${detail}`);
    this.name = 'Unauthorized';
  }

  toBody() {
    return { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.', detail: this.detail } };
  }
}

/** Keystone could not say who the caller is (down, slow, or talking nonsense): 503, never an open door. */
export const keystoneUnavailable = (why: string) =>
  new NeutronError('ServiceUnavailable', 503, 'The Keystone service is temporarily unavailable.', why);
