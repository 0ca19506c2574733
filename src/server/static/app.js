// The minimal page of `vigil serve` (GET /): log in, then list and open the
// products the main job published (GET /api/v1/products). The web UI of
// issue 19 replaces it. No inline script: the page's CSP allows only this
// file ('self'). Every text from the server is set with textContent.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const csrfKey = 'vigil_csrf';

  function say(text) {
    $('msg').textContent = text;
  }

  function size(bytes) {
    if (bytes >= 1 << 20) return (bytes / (1 << 20)).toFixed(1) + ' MiB';
    if (bytes >= 1 << 10) return Math.round(bytes / (1 << 10)) + ' KiB';
    return bytes + ' B';
  }

  async function showProducts(username) {
    $('login').hidden = true;
    $('who').textContent = username;
    $('signed-in').hidden = false;
    const list = $('list');
    list.replaceChildren();
    const r = await fetch('/api/v1/products', { credentials: 'same-origin' });
    const j = await r.json().catch(() => ({}));
    if (!r.ok) {
      $('products-msg').textContent = (j.error && j.error.message) || 'products unavailable (' + r.status + ')';
      return;
    }
    $('products-msg').textContent = j.products.length ? '' : 'No products yet: run the main job (make run).';
    for (const p of j.products) {
      const tr = document.createElement('tr');
      const name = document.createElement('td');
      const a = document.createElement('a');
      a.href = '/products/' + encodeURIComponent(p.name);
      a.textContent = p.name;
      if (p.attachment) a.setAttribute('download', p.name);
      name.append(a);
      const bytes = document.createElement('td');
      bytes.textContent = size(p.bytes);
      const when = document.createElement('td');
      when.textContent = p.modified.replace('T', ' ').replace('Z', ' UTC');
      tr.append(name, bytes, when);
      list.append(tr);
    }
  }

  async function logIn(event) {
    event.preventDefault();
    say('');
    const form = event.target;
    const r = await fetch('/api/v1/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
    });
    const j = await r.json().catch(() => ({}));
    form.password.value = '';
    if (!r.ok) {
      say((j.error && j.error.message) || 'log in failed (' + r.status + ')');
      return;
    }
    sessionStorage.setItem(csrfKey, j.csrf_token || '');
    await showProducts(j.user ? j.user.username : form.username.value);
  }

  async function logOut() {
    await fetch('/api/v1/session', {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': sessionStorage.getItem(csrfKey) || '' },
    });
    sessionStorage.removeItem(csrfKey);
    $('signed-in').hidden = true;
    $('login').hidden = false;
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('login').addEventListener('submit', logIn);
    $('logout').addEventListener('click', logOut);
    const r = await fetch('/api/v1/session', { credentials: 'same-origin' });
    if (r.ok) {
      const j = await r.json();
      await showProducts(j.user.username);
    }
  });
})();
