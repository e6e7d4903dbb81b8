package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.homeward.models.EmbeddingTransform;
import org.homeward.tools.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval pairs}: LFW-format pairs; 10-fold accuracy, AUC, TAR at FAR 1e-2 and 1e-3. With {@code --manifest}
 * instead of {@code --images-root}, a pair's {@code name i} is the i-th photo of identity {@code name} in the
 * manifest (for data not laid out as LFW).
 */
@Command(name = "pairs", description = {"LFW-format pairs: 10-fold accuracy, AUC, TAR at FAR 1e-2 and 1e-3.",
    "Give exactly one of --images-root and --manifest."})
final class PairsCommand implements Callable<Integer> {

    @Option(names = "--pairs", required = true, paramLabel = "P.txt", description = "the LFW-format pairs list")
    private Path pairsFile;
    @Option(names = "--images-root", paramLabel = "R", description = "photos at R/name/name_%%04d.jpg")
    Path imagesRoot;
    @Option(names = "--manifest", paramLabel = "M.csv", description = "name i = the i-th photo of identity name in M.csv")
    Path manifest;
    @Option(names = "--out", paramLabel = "DIR", description = "write an HTML report with charts there")
    private Path reportDir;
    @Mixin
    private EmbeddingOptions embedding;
    @Mixin
    private SearchModel searchModel;

    private final PrintStream out;

    PairsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        if ((imagesRoot == null) == (manifest == null)) {
            throw new EvalInputError("give exactly one of --images-root R (photos at R/name/name_%04d.jpg) and --manifest M.csv"
                    + " (name i = the i-th photo of identity name in M.csv)");
        }
        PairsList list = PairsList.read(pairsFile);
        List<Verification.ResolvedPair> pairs = manifest == null ? Verification.resolveLfw(list, imagesRoot)
                : Verification.resolveManifest(list, Manifest.read(manifest, false));
        EmbeddingTransform transform = searchModel.transform(embedding.modelsDir());
        boolean flip = searchModel.flip(transform);
        Path outDir = EvalCommand.prepareOut(reportDir);

        long start = System.nanoTime();
        EmbeddingOptions.Embedded embedded = embedding.embed(Verification.files(pairs), transform, flip);
        Map<Path, PhotoEmbeddings.Face> faces = embedded.faces();
        String model = embedded.model();
        PhotoEmbeddings embeddings = embedded.embeddings();
        Map<Path, float[]> vectors = EvalCommand.searchable(faces, transform, flip);
        double[] scores = Verification.scores(pairs, vectors::get);
        boolean[] same = Verification.same(pairs);
        Verification.Figures f = Verification.figures(scores, same, Verification.folds(pairs), list.folds());
        long noFace = Verification.noFace(pairs, faces);

        out.printf(Locale.ROOT, "pairs: %d (%d same, %d different) over %d photos, %d without a usable face; %s; model %s%n",
                f.pairs(), f.same(), f.different(), faces.size(), noFace, list.foldsFrom(), model);
        out.printf(Locale.ROOT, "accuracy %.4f +- %.4f  AUC %.4f  TAR@FAR=1e-2 %.4f  TAR@FAR=1e-3 %.4f  (%.1f s; %d photos from the"
                + " cache, %d embedded)%n", f.accuracy(), f.accuracyStd(), f.auc(), f.tarAtFar1e2(), f.tarAtFar1e3(),
                (System.nanoTime() - start) / 1e9, embeddings.fromCache(), embeddings.computed());

        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "pairs");
        json.put("model", model);
        json.put("pairs", f.pairs());
        EvalCommand.put(json, "accuracy", f.accuracy());
        EvalCommand.put(json, "accuracy_std", f.accuracyStd());
        EvalCommand.put(json, "auc", f.auc());
        EvalCommand.put(json, "tar_at_far_1e-2", f.tarAtFar1e2());
        EvalCommand.put(json, "tar_at_far_1e-3", f.tarAtFar1e3());
        json.put("no_face", noFace);
        if (outDir != null) {
            PairsReport.write(outDir, this, list, pairs, scores, f, faces, embeddings, model, json, flip, transform);
            out.println("report: " + outDir.resolve("index.html"));
        }
        out.println(EvalCommand.JSON.writeValueAsString(json));
        return 0;
    }

    String commandLine() {
        return Main.commandLine(embedding.command());
    }
}
