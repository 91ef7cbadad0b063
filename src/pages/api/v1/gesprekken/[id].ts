// SPDX-License-Identifier: EUPL-1.2
// PUT /api/v1/gesprekken/{id}: how far a conversation got (codes only, for reach counts).
import type { APIRoute } from 'astro';
import { handleConversationProgress } from '../../../../server/callbacks/progress-api.ts';

export const PUT: APIRoute = ({ request, params, clientAddress }) => handleConversationProgress(request, params.id ?? '', clientAddress);
