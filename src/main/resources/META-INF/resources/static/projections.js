// The case page's projections: a projection opens large, beside the face as it was photographed, so a person
// can judge what the computer changed. The dialog keeps the "not a photograph" wording on screen.
(function () {
  const dialog = document.getElementById('projection-compare');
  if (!dialog) return;
  const source = document.getElementById('compare-source');
  const sourceFigure = document.getElementById('compare-source-figure');
  const projection = document.getElementById('compare-projection');
  document.querySelectorAll('.projection-open').forEach((button) => {
    button.addEventListener('click', () => {
      const age = button.dataset.age;
      projection.src = button.dataset.projection;
      projection.alt = 'Computer projection to age ' + age + ', not a photograph';
      document.getElementById('compare-projection-caption').textContent =
        'Computer projection, not a photograph: age ' + age;
      sourceFigure.hidden = !button.dataset.source;
      if (button.dataset.source) {
        source.src = button.dataset.source;
        document.getElementById('compare-source-caption').textContent = 'photo, age ' + button.dataset.sourceAge;
      }
      dialog.showModal();
    });
  });
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
})();
