// SPDX-License-Identifier: EUPL-1.2
/** Every journey, by name, so tests and tools can loop over all flows. */
import { residentFlow } from './resident.ts';

export const FLOWS = {
  resident: residentFlow,
} as const;

export type FlowName = keyof typeof FLOWS;
