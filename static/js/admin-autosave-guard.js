// Wagtail 8.0.1's autosave must not send a new page's form once the editor has sent it with 下書きを保存 or 公開.
//
// On a new page, autosave sends the form in the background to the create address and, once that answers,
// points the form at the new page's edit address. Its timer keeps running while the editor's own save is on
// its way (the page stays until the next one arrives), and when it fired then, the background save went to
// the create address too and made a second page with the same title. Here no background save starts once the
// form has been sent. (tests/browser/test_admin_autosave.py)
(() => {
  'use strict';

  const isEditForm = (element) => element instanceof HTMLFormElement && element.matches('[data-edit-form]');

  document.addEventListener('submit', (event) => {
    // On the document, so the form's own listeners have run: only a submit that really goes out counts.
    if (isEditForm(event.target) && !event.defaultPrevented) event.target.dataset.kyoseiSent = 'true';
  });

  document.addEventListener('w-autosave:save', (event) => {
    if (isEditForm(event.target) && event.target.dataset.kyoseiSent === 'true') event.preventDefault();
  });

  // Back on this page from the next one (the browser's back/forward cache): it may be saved again.
  window.addEventListener('pageshow', () => {
    document.querySelectorAll('form[data-edit-form]').forEach((form) => {
      delete form.dataset.kyoseiSent;
    });
  });
})();
