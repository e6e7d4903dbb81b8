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
      unfinished++;
      refreshHint();
      window.homewardUpload(zone.dataset.upload, file, { [csrf.name]: csrf.value }, list, (item, status, photo) => {
        const hidden = document.createElement('input');
        hidden.type = 'hidden';
        hidden.name = 'photoId';
        hidden.value = photo.photoId;
        item.append(hidden);
        item.dataset.photo = photo.photoId;
        status.textContent = 'uploaded, looking for faces…';
        watch(item, photo.photoId);
      }, () => { unfinished--; refreshHint(); });
    }

    window.homewardDropZone(zone, input, (files) => Array.from(files).forEach(upload));
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
