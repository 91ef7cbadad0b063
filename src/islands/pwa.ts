// SPDX-License-Identifier: EUPL-1.2
// Registers the service worker once the page has loaded and asks it to keep the given pages. Never
// reloads: a new version takes over only while the conversation is idle (first screen or finished).

/** Set on <html> by the conversation island: "true" at the first screen and once finished. */
const idle = () => document.documentElement.dataset.conversationIdle === 'true';

export function registerServiceWorker(warmUrls: string[]): void {
  const sw = navigator.serviceWorker;
  // staff pages ("samen invullen") keep nothing on the device
  if (!sw || location.pathname.startsWith('/staff/')) return;
  const warm = () => void sw.ready.then((r) => r.active?.postMessage({ type: 'WARM', urls: warmUrls, lang: document.documentElement.lang }));
  const start = () => {
    sw.register('/sw.js', { scope: '/' }).then(
      (registration) => {
        const update = () => {
          if (registration.waiting && idle()) registration.waiting.postMessage({ type: 'SKIP_WAITING' });
        };
        update();
        registration.addEventListener('updatefound', () => {
          const next = registration.installing;
          next?.addEventListener('statechange', () => next.state === 'installed' && update());
        });
        new MutationObserver(update).observe(document.documentElement, { attributeFilter: ['data-conversation-idle'] });
        warm();
        // the new version keeps the pages again (with its own scripts); the page itself stays as it is
        sw.addEventListener('controllerchange', warm);
      },
      () => undefined,
    );
  };
  if (document.readyState === 'complete') start();
  else addEventListener('load', start, { once: true });
}
