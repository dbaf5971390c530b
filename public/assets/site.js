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
})();
