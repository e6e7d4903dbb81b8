// The photo page: draw a box around a face the detector missed (mouse, pen or finger), then post it.
// The box is converted from screen pixels to the photo's own pixels before it is sent.
(function () {
  const stage = document.getElementById('draw-stage');
  const start = document.getElementById('draw-start');
  if (!stage) return;
  const box = document.getElementById('draw-box');
  const form = document.getElementById('draw-form');
  const error = document.getElementById('draw-error');
  const size = document.getElementById('draw-size');
  const photoWidth = Number(stage.dataset.width);
  const photoHeight = Number(stage.dataset.height);
  const MIN_SIDE = 40; // photo pixels, as FaceDrawing.MIN_SIDE: a smaller face cannot be compared
  let drawing = false;
  let origin = null;

  // The whole photo on the screen at once: no wider than three quarters of the window's height allows.
  function fit() {
    stage.style.maxWidth = Math.round(0.75 * window.innerHeight * photoWidth / photoHeight) + 'px';
  }
  fit();
  window.addEventListener('resize', fit);

  function scale() {
    const rect = stage.getBoundingClientRect();
    return { rect, sx: photoWidth / rect.width, sy: photoHeight / rect.height };
  }

  // The pointer's place on the photo, in screen pixels within the stage, kept inside it.
  function at(event) {
    const { rect } = scale();
    return {
      x: Math.min(Math.max(event.clientX - rect.left, 0), rect.width),
      y: Math.min(Math.max(event.clientY - rect.top, 0), rect.height),
    };
  }

  function show(a, b) {
    box.hidden = false;
    box.style.left = Math.min(a.x, b.x) + 'px';
    box.style.top = Math.min(a.y, b.y) + 'px';
    box.style.width = Math.abs(a.x - b.x) + 'px';
    box.style.height = Math.abs(a.y - b.y) + 'px';
  }

  function setMode(on) {
    drawing = on;
    stage.classList.toggle('drawing', on);
    if (start) start.textContent = on ? 'Drag on the photo…' : 'Draw a box';
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function finish(a, b) {
    const { sx, sy } = scale();
    const x = Math.round(Math.min(a.x, b.x) * sx);
    const y = Math.round(Math.min(a.y, b.y) * sy);
    const w = Math.min(photoWidth - x, Math.round(Math.abs(a.x - b.x) * sx));
    const h = Math.min(photoHeight - y, Math.round(Math.abs(a.y - b.y) * sy));
    if (w < MIN_SIDE || h < MIN_SIDE) {
      box.hidden = true;
      fail('The box is ' + w + ' × ' + h + ' pixels of the photo; a face needs at least ' + MIN_SIDE + ' × ' + MIN_SIDE
        + '. Drag from one corner of the face to the other.');
      return;
    }
    document.getElementById('draw-x').value = x;
    document.getElementById('draw-y').value = y;
    document.getElementById('draw-width').value = w;
    document.getElementById('draw-height').value = h;
    size.textContent = 'Box of ' + w + ' × ' + h + ' pixels at (' + x + ', ' + y + '). Index it, or draw again.';
    form.hidden = false;
    document.getElementById('draw-submit').focus();
  }

  if (start) {
    start.addEventListener('click', () => {
      error.hidden = true;
      form.hidden = true;
      box.hidden = true;
      setMode(true);
    });
  }
  document.getElementById('draw-cancel')?.addEventListener('click', () => {
    form.hidden = true;
    box.hidden = true;
    setMode(false);
  });

  stage.addEventListener('pointerdown', (event) => {
    if (!drawing) return;
    event.preventDefault();
    stage.setPointerCapture(event.pointerId);
    origin = at(event);
    error.hidden = true;
    form.hidden = true;
    show(origin, origin);
  });
  stage.addEventListener('pointermove', (event) => {
    if (origin) show(origin, at(event));
  });
  stage.addEventListener('pointerup', (event) => {
    if (!origin) return;
    const a = origin;
    origin = null;
    setMode(false);
    finish(a, at(event));
  });
  stage.addEventListener('pointercancel', () => {
    origin = null;
    box.hidden = true;
  });

  // A box waiting for the worker: poll the case's progress and reload once it is indexed.
  const page = document.getElementById('photo-page');
  if (page && document.querySelector('[data-drawn].waiting')) {
    const poll = () => fetch('/cases/' + page.dataset.case + '/progress', { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((photos) => {
        const mine = photos.find((p) => String(p.photoId) === page.dataset.photo);
        // Reloaded without the query: its note ("box received") is no longer true.
        if (mine && mine.drawing === 0) location.replace(location.pathname); else setTimeout(poll, 1500);
      })
      .catch(() => setTimeout(poll, 3000));
    setTimeout(poll, 1000);
  }
})();
