// SPDX-License-Identifier: EUPL-1.2
/**
 * The one icon registry: every pictogram and control icon the product may show, by our own
 * name. `npm run icons` builds public/icons.svg (a sprite with exactly these symbols) from
 * Fluent Emoji Flat (pictograms, MIT) and Tabler (controls, MIT); a test keeps it in sync.
 */
export const ICONS = {
  // pictograms (Fluent Emoji Flat)
  globe: ['fluent', 'globe-with-meridians'],
  'waving-hand': ['fluent', 'waving-hand'],
  envelope: ['fluent', 'envelope'],
  envelopes: ['fluent', 'incoming-envelope'],
  house: ['fluent', 'house'],
  'house-garden': ['fluent', 'house-with-garden'],
  'high-voltage': ['fluent', 'high-voltage'],
  droplet: ['fluent', 'droplet'],
  hospital: ['fluent', 'hospital'],
  receipt: ['fluent', 'receipt'],
  question: ['fluent', 'red-question-mark'],
  speech: ['fluent', 'speech-balloon'],
  thought: ['fluent', 'thought-balloon'],
  'slightly-smiling': ['fluent', 'slightly-smiling-face'],
  worried: ['fluent', 'worried-face'],
  weary: ['fluent', 'weary-face'],
  briefcase: ['fluent', 'briefcase'],
  'file-box': ['fluent', 'card-file-box'],
  'thermometer-face': ['fluent', 'face-with-thermometer'],
  'people-hugging': ['fluent', 'people-hugging'],
  'broken-heart': ['fluent', 'broken-heart'],
  'balance-scale': ['fluent', 'balance-scale'],
  'helping-person': ['fluent', 'person-tipping-hand'],
  busts: ['fluent', 'busts-in-silhouette'],
  woman: ['fluent', 'woman'],
  man: ['fluent', 'man'],
  interpreter: ['fluent', 'left-speech-bubble'],
  'ok-hand': ['fluent', 'ok-hand'],
  'zipper-mouth': ['fluent', 'zipper-mouth-face'],
  warning: ['fluent', 'warning'],
  door: ['fluent', 'door'],
  plug: ['fluent', 'electric-plug'],
  yes: ['fluent', 'check-mark-button'],
  no: ['fluent', 'cross-mark'],
  check: ['fluent', 'check-mark-button'],
  telephone: ['fluent', 'telephone-receiver'],
  'raising-hand': ['fluent', 'person-raising-hand'],
  handshake: ['fluent', 'handshake'],
  euro: ['fluent', 'euro-banknote'],
  memo: ['fluent', 'memo'],
  office: ['fluent', 'office-building'],
  'flexed-biceps': ['fluent', 'flexed-biceps'],
  'light-bulb': ['fluent', 'light-bulb'],
  'mobile-phone': ['fluent', 'mobile-phone'],
  'mobile-message': ['fluent', 'mobile-phone-with-arrow'],
  calendar: ['fluent', 'calendar'],
  sunrise: ['fluent', 'sunrise'],
  sun: ['fluent', 'sun'],
  moon: ['fluent', 'crescent-moon'],
  clock: ['fluent', 'alarm-clock'],
  'video-camera': ['fluent', 'video-camera'],
  voicemail: ['fluent', 'speaking-head'],
  'name-badge': ['fluent', 'name-badge'],
  lock: ['fluent', 'locked'],
  outbox: ['fluent', 'outbox-tray'],
  wastebasket: ['fluent', 'wastebasket'],
  'no-signal': ['fluent', 'antenna-bars'],
  back: ['fluent', 'left-arrow'],
  // interface controls (Tabler, outline: drawn with currentColor)
  'ui-back': ['tabler', 'arrow-left'],
  'ui-next': ['tabler', 'arrow-right'],
  'ui-play': ['tabler', 'volume'],
  'ui-stop': ['tabler', 'player-stop'],
  'ui-phone': ['tabler', 'phone'],
  'ui-language': ['tabler', 'language'],
  'ui-restart': ['tabler', 'refresh'],
  'ui-clock': ['tabler', 'clock'],
  'ui-send': ['tabler', 'send'],
  'ui-trash': ['tabler', 'trash'],
} as const satisfies Record<string, readonly ['fluent' | 'tabler', string]>;

export type IconName = keyof typeof ICONS;

/** Icons that point in the reading direction and must mirror in right-to-left languages. */
export const DIRECTIONAL_ICONS: readonly IconName[] = ['ui-back', 'ui-next', 'back'];

export const ICON_SPRITE_PATH = '/icons.svg';
