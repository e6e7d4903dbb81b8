// The candidate page: compare the sighting face with a case face side by side, laid over each other, or
// blinking between them (both aligned on the eyes by the server), pick which case face, and zoom any face.
(function () {
  const stage = document.getElementById('compare-stage');
  const zoom = document.getElementById('zoom');
  document.querySelectorAll('img.zoomable').forEach((img) => {
    img.addEventListener('click', () => {
      if (!zoom) return;
      document.getElementById('zoom-image').src = img.dataset.zoom || img.src;
      document.getElementById('zoom-image').alt = img.alt;
      zoom.showModal();
    });
  });
  if (zoom) zoom.addEventListener('click', (e) => { if (e.target === zoom) zoom.close(); });
  if (!stage) return;

  const overlay = document.getElementById('overlay-view');
  const top = document.getElementById('overlay-case');
  const mix = document.getElementById('overlay-mix');
  const control = document.getElementById('overlay-control');
  const label = document.getElementById('overlay-label');
  let blink = null;

  function setMode(mode) {
    stage.dataset.mode = mode;
    document.querySelectorAll('.view-mode').forEach((b) => {
      const on = b.dataset.mode === mode;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('secondary', !on);
    });
    overlay.hidden = mode === 'side';
    control.hidden = mode !== 'overlay';
    clearInterval(blink);
    blink = null;
    if (mode === 'overlay') {
      top.style.opacity = mix.value / 100;
      label.textContent = 'sighting below, case face over it';
    } else if (mode === 'blink') {
      let shown = true;
      const step = () => {
        top.style.opacity = shown ? 1 : 0;
        label.textContent = shown ? 'case face' : 'sighting';
        shown = !shown;
      };
      step();
      blink = setInterval(step, 700);
    }
  }

  document.querySelectorAll('.view-mode').forEach((b) => b.addEventListener('click', () => setMode(b.dataset.mode)));
  mix.addEventListener('input', () => { top.style.opacity = mix.value / 100; });

  // Another case face into the comparison.
  document.querySelectorAll('.compare-with').forEach((b) => b.addEventListener('click', () => {
    const src = '/faces/' + b.dataset.face + '/aligned';
    const img = document.getElementById('compare-case');
    img.src = src;
    img.dataset.zoom = src + '?size=640';
    top.src = src;
    document.getElementById('compare-case-caption').textContent = b.dataset.caption;
    stage.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }));
})();
