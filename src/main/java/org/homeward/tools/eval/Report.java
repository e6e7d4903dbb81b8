package org.homeward.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTML report that --out writes: sections of text, tables and the charts beside it. */
final class Report {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    Report(String title) {
        this.title = title;
        body.append("<h1>").append(esc(title)).append("</h1>\n");
    }

    Report section(String heading) {
        body.append("<h2>").append(esc(heading)).append("</h2>\n");
        return this;
    }

    Report text(String paragraph) {
        body.append("<p>").append(esc(paragraph)).append("</p>\n");
        return this;
    }

    Report code(String text) {
        body.append("<pre>").append(esc(text)).append("</pre>\n");
        return this;
    }

    Report keyValues(Map<String, ?> rows) {
        body.append("<table>\n");
        rows.forEach((k, v) -> body.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v)))
                .append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    Report table(List<String> headers, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        headers.forEach(h -> body.append("<th>").append(esc(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(c -> body.append("<td>").append(esc(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    Report image(String file, String alt) {
        body.append("<p><img src=\"").append(esc(file)).append("\" alt=\"").append(esc(alt)).append("\"></p>\n");
        return this;
    }

    void write(Path file) throws IOException {
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
                + "th{background:#f4f4f4}pre{background:#f7f7f7;padding:.6em;overflow-x:auto}</style></head>\n<body>\n"
                + body + "</body></html>\n";
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The section both reports end with: every photo the pipeline found no usable face on, and why. */
    Report noFaceSection(Map<Path, PhotoEmbeddings.Face> faces) {
        section("Photos without a usable face");
        List<List<String>> none = new ArrayList<>();
        faces.forEach((file, face) -> {
            if (!face.found()) {
                none.add(List.of(file.toString(), face.reason()));
            }
        });
        return table(List.of("photo", "reason"), none);
    }
}
