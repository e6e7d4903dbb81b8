-- How each face was found (org.homeward.faces.FaceDetection): by the detector on the photo, or on the
-- photo framed as a tight crop (padded and enlarged).
ALTER TABLE face ADD COLUMN detection text NOT NULL DEFAULT 'detector'
    CHECK (detection IN ('detector', 'padded'));
