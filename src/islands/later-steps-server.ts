// SPDX-License-Identifier: EUPL-1.2
/**
 * Imported by the pages that render the conversation island: fills the slot (later-steps-slot.ts)
 * with the screens after sending, so the server's rendering of the island has them from the start.
 */
import { Icon } from './Icon.tsx';
import { laterScreens } from './LaterSteps.tsx';
import { laterStepsSlot } from './later-steps-slot.ts';
import { ListenButton, Say } from './Listen.tsx';

laterStepsSlot.screens ??= laterScreens({ Say, ListenButton, Icon });
