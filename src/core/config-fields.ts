import { z } from 'zod';

/** Field types every room's config section shares. */
export const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub login');
export const logins = z.array(login).default([]);
export const labelName = z.string().min(1).max(50);
export const color = z.string().regex(/^[0-9a-fA-F]{6}$/, 'must be a 6-digit hex colour without #');
