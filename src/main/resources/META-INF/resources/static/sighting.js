// Sightings: on the new-sighting page, upload each photo with progress and show, once it is analysed, whether
// it has a face Homeward can search with; on a sighting's page, wait for the search and reload when it is done.
(function () {
  const zone = document.getElementById('sighting-dropzone');
  if (zone) newSightingPage(zone);
  const state = document.getElementById('search-state');
  if (state) sightingPage(state);

  function newSightingPage(zone) {
    const list = document.getElementById('sighting-uploads');
    const input = document.getElementById('sighting-files');
    const csrf = document.getElementById('csrf');
    const hint = document.getElementById('photo-hint');
    const save = document.getElementById('save-sighting');
    let unfinished = 0;

    function refreshHint() {
      const usable = list.querySelectorAll('li[data-usable="true"]').length;
      hint.textContent = unfinished > 0 ? 'Checking ' + unfinished + ' photo(s) for faces…'
        : usable === 0 && list.children.length > 0 ? 'No photo with a usable face yet.' : '';
      save.disabled = unfinished > 0;
    }

    function watch(item, photoId) {
      fetch('/sightings/photos/' + photoId, { credentials: 'same-origin' })
        .then((r) => r.json())
        .then((p) => {
          const status = item.querySelector('.upload-status');
          if (p.state === 'queued' || p.state === 'processing') {
            status.textContent = 'looking for faces…';
            setTimeout(() => watch(item, photoId), 1000);
            return;
          }
          unfinished--;
          if (p.state === 'failed') {
            status.textContent = 'could not be analysed: ' + p.failureReason;
            item.className = 'failed';
          } else if (p.usableFaces > 0) {
            status.textContent = p.usableFaces + ' face(s) to search';
            item.dataset.usable = 'true';
          } else {
            status.textContent = 'no usable face' + (p.reasons.length ? ': ' + p.reasons.join('; ') : ' found');
            item.className = 'failed';
          }
          refreshHint();
        })
        .catch(() => setTimeout(() => watch(item, photoId), 2000));
    }

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
      unfinished++;
      refreshHint();

      const form = new FormData();
      form.append(csrf.name, csrf.value);
      form.append('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', zone.dataset.upload);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          const photo = JSON.parse(xhr.responseText);
          bar.value = 100;
          const hidden = document.createElement('input');
          hidden.type = 'hidden';
          hidden.name = 'photoId';
          hidden.value = photo.photoId;
          item.append(hidden);
          item.dataset.photo = photo.photoId;
          status.textContent = 'uploaded, looking for faces…';
          watch(item, photo.photoId);
        } else {
          let message = 'upload failed (' + xhr.status + ')';
          try { message = JSON.parse(xhr.responseText).detail || message; } catch (ignored) { }
          status.textContent = message;
          item.className = 'failed';
          unfinished--;
          refreshHint();
        }
      };
      xhr.onerror = () => { status.textContent = 'network error: the photo was not sent'; item.className = 'failed'; unfinished--; refreshHint(); };
      xhr.send(form);
    }

    function handle(files) { Array.from(files).forEach(upload); }
    input.addEventListener('change', () => handle(input.files));
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); handle(e.dataTransfer.files); });
  }

  function sightingPage(state) {
    const s = state.dataset.state;
    if (s !== 'waiting' && s !== 'searching') return;
    function poll() {
      fetch(location.pathname.replace(/\/$/, '') + '/progress', { credentials: 'same-origin' })
        .then((r) => r.json())
        .then((p) => { if (p.searchState === 'waiting' || p.searchState === 'searching') setTimeout(poll, 1500); else location.reload(); })
        .catch(() => setTimeout(poll, 3000));
    }
    setTimeout(poll, 1500);
  }
})();
