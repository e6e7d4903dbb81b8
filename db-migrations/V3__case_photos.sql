-- Childhood photos attached to a case. Only the child's face of each photo is searched: the face a
-- person marked, or the photo's single usable face when nobody had to choose.
CREATE TABLE case_photo (
    case_id       bigint      NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    photo_id      bigint      NOT NULL REFERENCES photo (id),
    child_face_id bigint      REFERENCES face (id) ON DELETE SET NULL,
    added_by      text        NOT NULL,
    added_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, photo_id)
);
CREATE INDEX case_photo_photo ON case_photo (photo_id);
