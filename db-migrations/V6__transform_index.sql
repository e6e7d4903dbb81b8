-- The default search model: dlib-face-embedder-v1 vectors through the learned embedding transform
-- homeward-embedding-transform-v1 (docs/accuracy.md), 128-D in, 128-D out. Like every model it gets a
-- partial HNSW cosine index over its own dimension; FaceIndex.nearest casts to vector(128) to reach it.
-- A new transform version needs a migration of its own with the same index for its model id.
CREATE INDEX embedding_dlib_v1_transform_v1_hnsw ON embedding
    USING hnsw ((vector::vector(128)) vector_cosine_ops)
    WHERE model_id = 'dlib-face-embedder-v1+homeward-embedding-transform-v1';
