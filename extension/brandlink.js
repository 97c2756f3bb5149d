// Content script on the /add page of the hosts this build pins (brand links,
// docs/brands.md). It decides nothing: a real click on the page's "Add"
// button asks the background to open the extension's own confirm page. A
// page cannot add a registry, and a scripted click does nothing.
(() => {
  const { MSG, api } = globalThis.Genuine;
  const button = document.getElementById('genuine-add');
  if (!button) return;
  // Lets the page say "Genuine will ask you to confirm" instead of "install Genuine".
  document.documentElement.dataset.genuine = 'ready';
  button.addEventListener('click', (e) => {
    if (!e.isTrusted) return;
    e.preventDefault();
    api.runtime.sendMessage({ type: MSG.BRAND_LINK });
  });
})();
