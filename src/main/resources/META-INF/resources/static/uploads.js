// One file per request with its own progress bar: shared by the case page and the new-sighting page.
// homewardUpload(url, file, fields, list, onUploaded(item, status, response), onFailed(item))
window.homewardUpload = function (url, file, fields, list, onUploaded, onFailed) {
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
  Object.entries(fields).forEach(([key, value]) => form.append(key, value));
  form.append('file', file);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url);
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
  xhr.onload = () => {
    if (xhr.status >= 200 && xhr.status < 300) {
      bar.value = 100;
      onUploaded(item, status, xhr.responseText ? JSON.parse(xhr.responseText) : null);
    } else {
      let message = 'upload failed (' + xhr.status + ')';
      try { message = JSON.parse(xhr.responseText).detail || message; } catch (ignored) { }
      status.textContent = message;
      item.className = 'failed';
      if (onFailed) onFailed(item);
    }
  };
  xhr.onerror = () => {
    status.textContent = 'network error: the photo was not sent';
    item.className = 'failed';
    if (onFailed) onFailed(item);
  };
  xhr.send(form);
  return item;
};

// Drag-and-drop and the file chooser call handle(files).
window.homewardDropZone = function (zone, input, handle) {
  input.addEventListener('change', () => handle(input.files));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); handle(e.dataTransfer.files); });
};
