// SPDX-License-Identifier: EUPL-1.2
/**
 * Where the server puts the screens after sending (AfterSend.tsx) so its rendering of the island
 * has them from the start; in the browser the slot stays empty and the island loads them itself.
 */
import type { LaterScreens } from './LaterSteps.tsx';

export const laterStepsSlot: { screens: LaterScreens | null } = { screens: null };
