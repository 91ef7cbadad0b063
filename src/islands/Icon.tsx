// SPDX-License-Identifier: EUPL-1.2
/** A pictogram from the sprite. Decorative: the text label next to it carries the meaning. */
import { DIRECTIONAL_ICONS, ICON_SPRITE_PATH, type IconName } from '../lib/icons.ts';

export function Icon({ name, class: className = 'icon' }: { name: IconName; class?: string }) {
  const mirror = DIRECTIONAL_ICONS.includes(name) ? ' icon-mirror' : '';
  return (
    <svg class={`${className}${mirror}`} aria-hidden="true" focusable="false">
      <use href={`${ICON_SPRITE_PATH}#${name}`} />
    </svg>
  );
}
