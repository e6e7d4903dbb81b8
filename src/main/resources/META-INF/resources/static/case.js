// The case page: drag-and-drop photo upload with progress per file, and live processing state.
(function () {
  const zone = document.getElementById('dropzone');
  if (!zone) return;
  const list = document.getElementById('uploads');
  const csrf = document.getElementById('csrf');
  const input = document.getElementById('file-input');

  function upload(file) {
    const fields = {
      [csrf.name]: csrf.value,
      takenOn: document.getElementById('taken-on').value,
      ageAtPhoto: document.getElementById('age-at-photo').value,
    };
    window.homewardUpload(zone.dataset.upload, file, fields, list, (item, status) => {
      status.textContent = 'uploaded, processing…';
      item.className = 'ok';
      pending++;
      schedule();
    });
  }

  window.homewardDropZone(zone, input, (files) => Array.from(files).forEach(upload));

  // Live state: while a photo is queued or processing, poll and reload once all are finished.
  let pending = document.querySelectorAll('[data-state="queued"], [data-state="processing"]').length;
  let timer = null;
  function schedule() { if (!timer) timer = setTimeout(poll, 1500); }
  function poll() {
    timer = null;
    fetch(location.pathname.replace(/\/$/, '') + '/progress', { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((photos) => {
        const unfinished = photos.filter((p) => p.state === 'queued' || p.state === 'processing').length;
        const shown = document.querySelectorAll('figure.photo').length;
        if (unfinished === 0 && (pending > 0 || photos.length !== shown)) { location.reload(); return; }
        photos.forEach((p) => {
          const fig = document.querySelector('figure[data-photo="' + p.photoId + '"] .state');
          if (fig) { fig.textContent = p.state; fig.className = 'state state-' + p.state; }
        });
        if (unfinished > 0 || photos.length !== shown) schedule();
      })
      .catch(() => schedule());
  }
  if (pending > 0) schedule();
})();
