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
