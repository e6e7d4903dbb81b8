-- Which runtime computed each photo's faces and vectors, and which runtimes passed the model self-test.
-- A photo analysed by a runtime that has not passed (or by an unknown one: every photo analysed before
-- this migration) is analysed again in the background (org.homeward.faces.Reanalysis, docs/models.md).

ALTER TABLE photo ADD COLUMN analysed_by text;

CREATE TABLE model_runtime (
    fingerprint       text        PRIMARY KEY,
    self_test_version int         NOT NULL,
    passed            boolean     NOT NULL,
    detail            text        NOT NULL,
    checked_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX photo_analysed_by ON photo (analysed_by) WHERE state = 'done';
