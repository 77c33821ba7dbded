// SDES CNAME (RFC 3550 §6.5.1): a name for this endpoint that stays the same
// for the whole session. RFC 7022: a random one per session, so two streamers
// on one host never share it and it says nothing about the user.
import { randomBytes } from 'node:crypto';

export function sessionCname(): string {
  return `streamer-${randomBytes(9).toString('base64url')}`;
}
