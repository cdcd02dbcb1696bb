/** `<sluice-login next="#/…">`: exchanges an API token for a session, then goes on to `next`. */
import { ApiError, login } from '../api.js';
import { h } from '../format.js';
import { live } from '../live.js';
import { navigate } from '../router.js';

export class SluiceLogin extends HTMLElement {
  connectedCallback(): void {
    const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: '', spellcheck: 'false' });
    const error = h('p', { class: 'error', role: 'alert' });
    const button = h('button', { type: 'submit' }, 'Log in');
    const form = h(
      'form',
      { class: 'login', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, 'Log in to sluice'),
      h('label', { for: 'token' }, 'API token'),
      input,
      h('p', { class: 'hint' }, 'An admin or read-only token of this server (SLUICE_API_TOKEN, or SLUICE_API_TOKENS_DIR). The browser keeps only a session cookie.'),
      error,
      button,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      button.disabled = true;
      error.textContent = '';
      login(input.value).then(
        () => {
          live.start();
          navigate(this.getAttribute('next') || '#/');
        },
        (err: unknown) => {
          button.disabled = false;
          error.textContent = err instanceof ApiError ? err.message : String(err);
          input.select();
        },
      );
    });
    this.replaceChildren(form);
    input.focus();
  }
}
