// SPDX-License-Identifier: EUPL-1.2
/**
 * What a conversation sends: the call-back request body the API expects, and the optional answers
 * added after it. Used by the server's no-JS path and by the island's later steps (loaded apart).
 */
import type { SavedConversation } from './conversation.ts';

/** The optional answers given after sending, as the supplement API takes them (only what was given). */
export function extrasBody(saved: SavedConversation): Record<string, unknown> {
  const c = saved.context;
  const body: Record<string, unknown> = { conversationId: saved.id };
  const given = {
    checkin: c.checkin,
    happened: c.happened,
    moreBills: c.moreBills,
    talkLanguage: c.talkLanguage,
    voicemail: c.voicemail,
    firstName: c.firstName || null,
    contactPrefs: c.contactPrefs.length > 0 ? c.contactPrefs : null,
  };
  for (const [key, value] of Object.entries(given)) if (value !== null) body[key] = value;
  return body;
}

/** The call-back request body the API expects, from the answers of a finished conversation. */
export function callbackBody(saved: SavedConversation, municipality: string, language: string): Record<string, unknown> {
  const c = saved.context;
  const body: Record<string, unknown> = {
    municipality,
    language,
    topic: c.topic ?? 'unknown',
    phone: c.phone,
    consent: c.consent,
    channel: c.channel,
    conversationId: saved.id,
    help: c.help,
    moments: c.moments,
    ways: c.ways,
  };
  if (c.contactPrefs.length > 0) body.contactPrefs = c.contactPrefs;
  const optional = {
    inviteId: c.inviteId,
    checkin: c.checkin,
    happened: c.happened,
    moreBills: c.moreBills,
    urgency: c.urgency,
    talkLanguage: c.talkLanguage,
    voicemail: c.voicemail,
    firstName: c.firstName || null,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== null) body[key] = value;
  return body;
}
