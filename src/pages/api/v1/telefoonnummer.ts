// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/telefoonnummer: check a typed phone number and read it back grouped.
import type { APIRoute } from 'astro';
import { handlePhoneCheck } from '../../../server/callbacks/api.ts';

export const POST: APIRoute = ({ request, clientAddress }) => handlePhoneCheck(request, clientAddress);
