// SPDX-License-Identifier: EUPL-1.2
// Finds the Chromium the browser tests drive; installs Debian's package when run as root, else says how.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function ensureChromium(): string {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`Chromium not found at ${path}: installing Debian's chromium with apt-get`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (existsSync(path)) return path;
  }
  console.error(`No Chromium at ${path}. Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
