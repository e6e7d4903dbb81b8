// The case page: drag-and-drop photo upload with progress per file, and live processing state.
(function () {
  const zone = document.getElementById('dropzone');
  if (!zone) return;
  const list = document.getElementById('uploads');
  const csrf = document.getElementById('csrf');
  const input = document.getElementById('file-input');

  function upload(file) {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    const status = document.createElement('span');
    status.className = 'upload-status';
    item.append(name, bar, status);
    list.append(item);

    const form = new FormData();
    form.append(csrf.name, csrf.value);
    form.append('file', file);
    form.append('takenOn', document.getElementById('taken-on').value);
    form.append('ageAtPhoto', document.getElementById('age-at-photo').value);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', zone.dataset.upload);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        status.textContent = 'uploaded, processing…';
        item.className = 'ok';
        pending++;
        schedule();
      } else {
        let message = 'upload failed (' + xhr.status + ')';
        try { message = JSON.parse(xhr.responseText).detail || message; } catch (ignored) { }
        status.textContent = message;
        item.className = 'failed';
      }
    };
    xhr.onerror = () => { status.textContent = 'network error: the photo was not sent'; item.className = 'failed'; };
    xhr.send(form);
  }

  function handle(files) { Array.from(files).forEach(upload); }
  input.addEventListener('change', () => handle(input.files));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); handle(e.dataTransfer.files); });

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
