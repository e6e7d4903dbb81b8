-- Who a case photo shows: the missing child, or a close relative as an adult (a parent, a brother or sister). A
-- relative's face is never searched for the child; it steers the adult end of the child's projections, as forensic
-- artists use family photos (docs/projections.md, "Family resemblance").
ALTER TABLE case_photo ADD COLUMN shows text NOT NULL DEFAULT 'child'
    CHECK (shows IN ('child', 'parent', 'sibling'));

-- The face a case photo is about, whoever it shows: the face a person marked, or, when none is marked, the photo's
-- only usable face (the rule of V16, now for every photo).
CREATE VIEW case_subject_face AS
SELECT cp.case_id, cp.photo_id, f.id AS face_id, cp.shows
  FROM case_photo cp
  JOIN face f ON f.photo_id = cp.photo_id AND f.usable
 WHERE cp.child_face_id = f.id
    OR (cp.child_face_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM face o WHERE o.photo_id = f.photo_id AND o.usable AND o.id <> f.id));

-- Only the child's faces are searched: the sighting search, the case list, the case page and the projections read
-- this view, as before.
CREATE OR REPLACE VIEW case_searched_face AS
SELECT case_id, photo_id, face_id FROM case_subject_face WHERE shows = 'child';

-- Which relatives' faces steered a projection (their face ids, ascending, comma-separated); null when none did. The
-- projection job draws it again when the case's relatives change.
ALTER TABLE projection ADD COLUMN steered_by text;
