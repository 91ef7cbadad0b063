// SPDX-License-Identifier: EUPL-1.2
// GET /.well-known/security.txt (RFC 9116): the deployment's security contact, or 404 when none is configured.
import type { APIRoute } from 'astro';
import { securityTxtResponse } from '../../server/legal/security-txt.ts';
import { appConfig } from '../../server/runtime.ts';

export const GET: APIRoute = () => securityTxtResponse(appConfig());
