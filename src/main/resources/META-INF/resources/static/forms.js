// Forms that came back with errors: each field beside a message is marked invalid (aria-invalid, described by its
// message) and the first one gets the focus, so a keyboard or screen-reader user lands where the correction is.
(function () {
  'use strict';
  var first = null;
  document.querySelectorAll('.field-error').forEach(function (message) {
    var field = message.previousElementSibling;
    while (field && !field.matches('input, select, textarea')) {
      field = field.previousElementSibling;
    }
    if (!field) {
      field = message.parentElement.querySelector('input:not([type=hidden]), select, textarea');
    }
    if (!field) {
      return;
    }
    if (!message.id) {
      message.id = 'error-' + (field.id || field.name);
    }
    field.setAttribute('aria-invalid', 'true');
    var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (described.indexOf(message.id) < 0) {
      described.push(message.id);
    }
    field.setAttribute('aria-describedby', described.join(' '));
    if (!first) {
      first = field;
    }
  });
  if (first && first.type !== 'file' && first.offsetParent !== null) {
    first.focus();
  } else if (first) {
    var alert = document.querySelector('.alert');
    if (alert) {
      alert.setAttribute('tabindex', '-1');
      alert.focus();
    }
  }
})();

// A form that destroys or takes something away asks first (data-confirm holds the question); the CSP allows no
// inline handler, so the question is wired here.
(function () {
  'use strict';
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.dataset.sessionChecked === 'yes') {
        return; // asked already: this is the same submission, sent on once the sign-in was checked
      }
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });
})();

// A form posted after the sign-in has ended would be lost to the login redirect. Before posting, ask /session; when
// it answers with a redirect, keep the typed fields in sessionStorage, reload the page (which signs in again and
// comes back here), then put them back with a note, for the person to check and send again.
(function () {
  'use strict';
  var KEY = 'homeward.draft';

  function typed(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'hidden' || el.type === 'file' || el.type === 'submit' || el.type === 'button') {
        return;
      }
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) {
        return;
      }
      fields[el.name] = el.value;
    });
    return fields;
  }

  function restore() {
    var raw = window.sessionStorage.getItem(KEY);
    if (!raw) {
      return;
    }
    window.sessionStorage.removeItem(KEY);
    var draft;
    try {
      draft = JSON.parse(raw);
    } catch (ignored) {
      return;
    }
    if (draft.page !== location.pathname + location.search) {
      return;
    }
    var form = document.querySelector('form[action="' + draft.action + '"]');
    if (!form) {
      return;
    }
    Object.keys(draft.fields).forEach(function (name) {
      var el = form.elements[name];
      if (el && el.type !== 'hidden') {
        el.value = draft.fields[name];
      }
    });
    var note = document.createElement('p');
    note.className = 'notice';
    note.id = 'draft-restored';
    note.setAttribute('role', 'status');
    note.textContent = 'Your sign-in had ended, so nothing was sent. What you typed is back in the form: check it and send it again.';
    form.parentNode.insertBefore(note, form);
    var first = form.querySelector('textarea, input:not([type=hidden])');
    if (first) {
      first.focus();
    }
  }

  document.querySelectorAll('form[method="post"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (event.defaultPrevented || form.dataset.sessionChecked === 'yes') {
        return;
      }
      event.preventDefault();
      fetch('/session', { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' })
        .then(function (response) {
          if (response.status === 204) {
            form.dataset.sessionChecked = 'yes';
            if (form.requestSubmit) {
              form.requestSubmit(event.submitter || undefined);
            } else {
              form.submit();
            }
            return;
          }
          window.sessionStorage.setItem(KEY, JSON.stringify({
            page: location.pathname + location.search,
            action: form.getAttribute('action'),
            fields: typed(form)
          }));
          location.assign(location.pathname + location.search);
        })
        .catch(function () {
          form.dataset.sessionChecked = 'yes';
          form.submit();
        });
    });
  });
  restore();
})();
