-- Which face of a case photo is searched, in one place: the face a person marked as the child's, or, when none is
-- marked, the photo's only usable face (a photo with several usable faces waits for a person to choose). Only a
-- usable face is ever searched. The sighting search (FaceIndex), the case list's thumbnail (CaseSummary), the
-- case page (CaseService) and the projections (CaseFaces) all read this view, so the rule cannot drift apart.
CREATE VIEW case_searched_face AS
SELECT cp.case_id, cp.photo_id, f.id AS face_id
  FROM case_photo cp
  JOIN face f ON f.photo_id = cp.photo_id AND f.usable
 WHERE cp.child_face_id = f.id
    OR (cp.child_face_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM face o WHERE o.photo_id = f.photo_id AND o.usable AND o.id <> f.id));
