// Progressive enhancement for reader pages; everything works without it.
(() => {
  // "Copy link" appears only where the clipboard can be used.
  for (const button of document.querySelectorAll('button.copy-link')) {
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.url || location.href);
        button.textContent = 'Link copied';
      } catch {
        button.textContent = 'Copy failed';
      }
      setTimeout(() => { button.textContent = 'Copy link'; }, 2500);
    });
  }

  // The web app (docs/web-app.md): the service worker keeps pages for reading offline.
  // Registered after load so it never competes with the page; no permission is asked.
  if ('serviceWorker' in navigator && window.isSecureContext) {
    window.addEventListener('load', () => {
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
    });
  }

  // Installing the web app: the browser says it can (`beforeinstallprompt`); an app prompt's
  // button (src/prompts) then opens the browser's own dialog. Nothing shows when the browser
  // cannot install, or the app is installed or running on its own (docs/web-app.md).
  const standalone = () => matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;
  const hideInstallButtons = () => { for (const b of document.querySelectorAll('[data-app-install]')) b.hidden = true; };
  window.addEventListener('beforeinstallprompt', (event) => {
    if (standalone()) return;
    // Only pages that offer the install keep the browser's own mini-bar away, for their button.
    const data = document.getElementById('bs-prompts');
    if (data && data.textContent.includes('"install":true')) event.preventDefault();
    window.bsInstall = { event, available: true };
    window.dispatchEvent(new Event('bs:installable'));
  });
  window.addEventListener('appinstalled', () => {
    window.bsInstall = { available: false };
    hideInstallButtons();
    // Installed another way (the browser's own menu): the offers have nothing left to offer.
    for (const b of document.querySelectorAll('[data-app-install]')) b.dispatchEvent(new CustomEvent('bs:install-answer', { detail: 'installed' }));
  });
  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-app-install]') : null;
    const offer = window.bsInstall;
    if (!button || !offer || !offer.available || !offer.event) return;
    // The browser's offer can be used once, whatever the reader answers.
    window.bsInstall = { available: false };
    Promise.resolve(offer.event.prompt()).catch(() => {});
    const choice = await offer.event.userChoice.catch(() => ({ outcome: 'dismissed' }));
    hideInstallButtons();
    button.dispatchEvent(new CustomEvent('bs:install-answer', { detail: choice.outcome }));
  });

  // The offline page lists the stories this device has kept.
  const saved = document.querySelector('[data-offline-saved]');
  if (saved && window.caches) {
    caches.open('bs-articles-v1').then(async (cache) => {
      const list = saved.querySelector('ul');
      const keys = (await cache.keys()).reverse();
      for (const request of keys) {
        const response = await cache.match(request);
        const text = response ? await response.text() : '';
        const title = new DOMParser().parseFromString(text, 'text/html').querySelector('h1')?.textContent?.trim();
        if (!title) continue;
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = new URL(request.url).pathname;
        link.textContent = title;
        item.append(link);
        list.append(item);
      }
      if (list.children.length) saved.hidden = false;
    }).catch(() => {});
  }
})();
