// Moments are written in UTC by the server; here each one is shown in the reader's own time zone, to the minute,
// with the zone's short name, and the UTC original kept as the tooltip.
(function () {
  'use strict';
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  var zone = '';
  try {
    var parts = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date());
    zone = (parts.find(function (p) { return p.type === 'timeZoneName'; }) || {}).value || '';
  } catch (ignored) { }
  document.querySelectorAll('time[data-local]').forEach(function (el) {
    var at = new Date(el.getAttribute('datetime'));
    if (isNaN(at.getTime())) {
      return;
    }
    el.title = el.textContent;
    el.textContent = at.getFullYear() + '-' + pad(at.getMonth() + 1) + '-' + pad(at.getDate()) + ' '
      + pad(at.getHours()) + ':' + pad(at.getMinutes()) + (zone ? ' ' + zone : '');
  });
})();
