-- The unit of the person who first uploaded a photo's bytes: who brought a photo is shown only within that
-- unit (and to admins), never to someone elsewhere who attached the same bytes to their own case.
ALTER TABLE photo ADD COLUMN uploaded_by_unit text;

-- Photos from before: the unit of a case or sighting that the uploader attached the photo to, when any.
UPDATE photo p SET uploaded_by_unit = coalesce(
    (SELECT c.unit FROM case_photo cp JOIN case_file c ON c.id = cp.case_id
      WHERE cp.photo_id = p.id AND cp.added_by = p.uploaded_by ORDER BY cp.added_at LIMIT 1),
    (SELECT s.unit FROM sighting_photo sp JOIN sighting s ON s.id = sp.sighting_id
      WHERE sp.photo_id = p.id AND sp.added_by = p.uploaded_by ORDER BY sp.added_at LIMIT 1));
