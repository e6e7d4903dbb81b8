-- A face a person drew where the detector found none (org.homeward.faces.FaceDrawing). The box is kept with
-- who drew it: the worker places the landmarks in it and indexes the face (face.detection = 'drawn'), and the
-- box outlives a re-analysis of the photo, which replaces only the detector's faces.
ALTER TABLE face DROP CONSTRAINT face_detection_check;
ALTER TABLE face ADD CONSTRAINT face_detection_check CHECK (detection IN ('detector', 'padded', 'drawn'));

CREATE TABLE drawn_face (
    id              bigserial   PRIMARY KEY,
    photo_id        bigint      NOT NULL REFERENCES photo (id) ON DELETE CASCADE,
    box_x           int         NOT NULL CHECK (box_x >= 0),
    box_y           int         NOT NULL CHECK (box_y >= 0),
    box_width       int         NOT NULL CHECK (box_width > 0),
    box_height      int         NOT NULL CHECK (box_height > 0),
    drawn_by        text        NOT NULL,
    drawn_at        timestamptz NOT NULL,
    -- set when the worker has indexed it; null while it waits (or when it failed: failure_reason says why)
    face_id         bigint      UNIQUE REFERENCES face (id) ON DELETE SET NULL,
    failure_reason  text
);
CREATE INDEX drawn_face_photo ON drawn_face (photo_id);
