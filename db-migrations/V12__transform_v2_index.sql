-- The default search model from homeward-embedding-transform-v2 on (docs/accuracy.md, "At scale"): dlib vectors
-- through the transform fitted on fgnet-dev and lag-train, 128-D. Like every model it gets a partial HNSW cosine
-- index over its own dimension (FaceIndex.nearest casts to vector(128) to reach it). The cohort normalisation of v2
-- is applied at search time to the case faces the index names, so it needs nothing stored.
CREATE INDEX embedding_dlib_v1_transform_v2_hnsw ON embedding
    USING hnsw ((vector::vector(128)) vector_cosine_ops)
    WHERE model_id = 'dlib-face-embedder-v1+homeward-embedding-transform-v2';
