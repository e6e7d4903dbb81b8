package org.homeward.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timings of one benchmark stage at one batch size: every call's wall time (System.nanoTime) and how many
 * items (photos, faces or chips) it handled. Per-item figures are the call's time divided by its items, so a
 * batch of 8 counts once with a per-item time of a eighth of its call.
 */
public final class Series {

    private final String stage;
    private final String what;
    private final int batch;
    private final String unit;
    private final List<Double> perItemMs = new ArrayList<>();
    private long nanos;
    private int items;
    private int calls;
    private int faces = -1;
    private String note;

    /** {@code what} says in a few words what the clock covered; {@code unit} is photo, face or chip. */
    public Series(String stage, String what, int batch, String unit) {
        this.stage = stage;
        this.what = what;
        this.batch = batch;
        this.unit = unit;
    }

    public void add(long callNanos, int itemsInCall) {
        nanos += callNanos;
        calls++;
        items += itemsInCall;
        if (itemsInCall > 0) {
            perItemMs.add(callNanos / 1e6 / itemsInCall);
        }
    }

    /** Faces found in the calls counted so far (for stages whose items are photos). */
    public void addFaces(int n) {
        faces = Math.max(faces, 0) + n;
    }

    public void note(String text) {
        note = text;
    }

    public String stage() {
        return stage;
    }

    public String what() {
        return what;
    }

    public int batch() {
        return batch;
    }

    public String unit() {
        return unit;
    }

    public String note() {
        return note;
    }

    public boolean empty() {
        return items == 0;
    }

    public long nanos() {
        return nanos;
    }

    public int items() {
        return items;
    }

    public int faces() {
        return faces;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    public double meanMs() {
        return items == 0 ? Double.NaN : nanos / 1e6 / items;
    }

    public double medianMs() {
        return median(perItemMs);
    }

    /** The {@code q}-quantile (0 to 1) of the per-item times by the nearest-rank rule; NaN for none. */
    public double percentileMs(double q) {
        if (perItemMs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(perItemMs);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public double maxMs() {
        return percentileMs(1);
    }

    public double perSecond() {
        return nanos == 0 ? Double.NaN : items / seconds();
    }

    public double facesPerSecond() {
        return faces < 0 || nanos == 0 ? Double.NaN : faces / seconds();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage);
        m.put("measured", what);
        m.put("batch", batch);
        m.put("unit", unit);
        m.put("calls", calls);
        m.put("items", items);
        m.put("total_s", round(seconds(), 4));
        m.put("median_ms_per_item", round(medianMs(), 3));
        m.put("mean_ms_per_item", round(meanMs(), 3));
        m.put("items_per_s", round(perSecond(), 3));
        if (faces >= 0) {
            m.put("faces", faces);
            m.put("faces_per_s", round(facesPerSecond(), 3));
        }
        if (note != null) {
            m.put("note", note);
        }
        return m;
    }

    /** The median, NaN for none. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A time or rate for a printed table: whole above 100, one decimal above 10, else two; "-" for none. */
    public static String figure(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A number for the JSON line: NaN and infinities become null. */
    public static Object round(double v, int places) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
