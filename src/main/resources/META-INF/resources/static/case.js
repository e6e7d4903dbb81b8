// The case page: drag-and-drop photo upload with progress per file, and live processing state.
(function () {
  const zone = document.getElementById('dropzone');
  if (!zone) return;
  const list = document.getElementById('uploads');
  const csrf = document.getElementById('csrf');
  const input = document.getElementById('file-input');

  // Chosen files wait in a list, each with its own date or age, until the person starts the upload: the child's
  // age on each photo is what its projections are drawn from, so it is asked per file, before anything is sent.
  const staged = document.getElementById('staged');
  const stagedList = document.getElementById('staged-list');
  const start = document.getElementById('upload-start');
  let waiting = [];

  function field(label, type, attrs) {
    const wrap = document.createElement('label');
    wrap.textContent = label + ' ';
    const input = document.createElement('input');
    input.type = type;
    Object.entries(attrs).forEach(([k, v]) => input.setAttribute(k, v));
    wrap.append(input);
    return [wrap, input];
  }

  function stage(file) {
    const row = document.createElement('li');
    row.className = 'staged-file';
    const thumb = document.createElement('img');
    thumb.className = 'thumb';
    thumb.alt = '';
    thumb.src = URL.createObjectURL(file);
    const name = document.createElement('span');
    name.className = 'staged-name';
    name.textContent = file.name;
    const [dateLabel, date] = field('Taken on', 'date', { max: new Date().toISOString().slice(0, 10), 'data-field': 'takenOn' });
    const [ageLabel, age] = field("or the child's age then", 'number', { min: 0, max: 119, step: 0.5, 'data-field': 'ageAtPhoto' });
    const showsLabel = document.createElement('label');
    showsLabel.textContent = 'Shows ';
    const shows = document.createElement('select');
    shows.setAttribute('data-field', 'shows');
    [['child', 'the missing child'], ['parent', 'a parent, as an adult'], ['sibling', 'a brother or sister, as an adult']]
      .forEach(([value, text]) => shows.append(new Option(text, value)));
    // the age asked is the person's on the photo: a relative's, when the photo shows one
    shows.addEventListener('change', () => {
      ageLabel.firstChild.textContent = shows.value === 'child' ? "or the child's age then " : 'or their age then ';
    });
    showsLabel.append(shows);
    const drop = document.createElement('button');
    drop.type = 'button';
    drop.className = 'secondary small';
    drop.textContent = 'Leave out';
    const entry = { file, row, date, age, shows };
    drop.addEventListener('click', () => { waiting = waiting.filter((w) => w !== entry); row.remove(); refresh(); });
    row.append(thumb, name, showsLabel, dateLabel, ageLabel, drop);
    stagedList.append(row);
    waiting.push(entry);
  }

  function refresh() {
    staged.hidden = waiting.length === 0;
    start.textContent = 'Upload ' + waiting.length + (waiting.length === 1 ? ' photo' : ' photos');
  }

  function upload(entry) {
    const fields = { [csrf.name]: csrf.value, takenOn: entry.date.value, ageAtPhoto: entry.age.value, shows: entry.shows.value };
    window.homewardUpload(zone.dataset.upload, entry.file, fields, list, (item, status) => {
      status.textContent = 'uploaded, processing…';
      item.className = 'ok';
      pending++;
      schedule();
    });
  }

  window.homewardDropZone(zone, input, (files) => { Array.from(files).forEach(stage); input.value = ''; refresh(); });
  start.addEventListener('click', () => {
    const sending = waiting;
    waiting = [];
    sending.forEach((entry) => { entry.row.remove(); upload(entry); });
    refresh();
  });

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
