// The match report's print button: a script file, as the Content-Security-Policy allows no inline handler.
(function () {
  'use strict';
  var button = document.getElementById('print-report');
  if (button) {
    button.addEventListener('click', function () {
      window.print();
    });
  }
})();
