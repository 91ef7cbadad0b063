// SPDX-License-Identifier: EUPL-1.2
/**
 * Check words: everyday Dutch nouns a resident reads at a glance (a-z only, so they fit GSM-7
 * and need no diacritics; at most 8 letters). No two differ by a single letter (a test checks),
 * and none is about money, debt, letters or anything that could feel like a judgement.
 */
// prettier-ignore
export const CHECK_WORDS: readonly string[] = [
  'appel', 'banaan', 'citroen', 'druif', 'kers', 'aardbei', 'meloen', 'ananas', 'pruim', 'perzik',
  'mango', 'kiwi', 'wortel', 'tomaat', 'prei', 'erwt', 'paprika', 'boom', 'bloem', 'roos', 'tulp',
  'gras', 'blad', 'struik', 'plant', 'zaad', 'fiets', 'auto', 'bus', 'trein', 'tram', 'raket',
  'schip', 'kano', 'huis', 'deur', 'raam', 'dak', 'muur', 'tuin', 'hek', 'schuur', 'kamer',
  'keuken', 'stoel', 'tafel', 'bed', 'lamp', 'klok', 'spiegel', 'kussen', 'deken', 'kat', 'hond',
  'vogel', 'vis', 'paard', 'schaap', 'geit', 'kip', 'eend', 'konijn', 'uil', 'beer', 'leeuw',
  'tijger', 'olifant', 'giraf', 'zebra', 'egel', 'hert', 'kikker', 'slak', 'vlinder', 'mier',
  'zwaan', 'dolfijn', 'walvis', 'krab', 'kreeft', 'merel', 'zon', 'maan', 'ster', 'wolk', 'regen',
  'sneeuw', 'wind', 'zee', 'strand', 'berg', 'rivier', 'eiland', 'boek', 'potlood', 'papier',
  'lijm', 'gum', 'krijt', 'bord', 'vork', 'lepel', 'ketel', 'fles', 'brood', 'kaas', 'melk',
  'boter', 'soep', 'rijst', 'taart', 'honing', 'jam', 'thee', 'koffie', 'suiker', 'sok', 'schoen',
  'muts', 'sjaal', 'trui', 'riem', 'laars', 'bal', 'vlieger', 'puzzel', 'trommel', 'gitaar',
  'fluit', 'piano', 'viool', 'spijker', 'ladder', 'emmer', 'bezem', 'sleutel', 'ring', 'tas',
  'koffer', 'paraplu', 'bril', 'horloge', 'molen', 'toren', 'brug', 'haven', 'dijk', 'sluis',
  'tent', 'kampvuur', 'picknick', 'pizza', 'friet', 'ijsje', 'gieter', 'schommel', 'glijbaan',
  'zandbak', 'muziek', 'dans', 'lied', 'feest', 'kompas', 'globe', 'kabouter', 'reus', 'winter',
  'zomer', 'lente', 'herfst', 'oceaan', 'golf', 'schelp', 'anker', 'zeil', 'vlag', 'ballon',
  'kroon', 'kasteel', 'ridder', 'draak', 'robot', 'mand', 'krant', 'radio', 'camera', 'bij',
  'wiel', 'motor', 'appelsap', 'limonade', 'stempel', 'wereld', 'planeet', 'komeet', 'ijsbeer',
  'pauw', 'ooievaar', 'reiger', 'lelie', 'madelief', 'klaver', 'knoop', 'naald',
];
