package org.homeward.tools.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The report's PNG charts, drawn with java.awt (headless): ROC curve, score histograms, rank curve. */
final class Charts {

    private static final int W = 640;
    private static final int H = 420;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;
    private static final Color GENUINE = new Color(0, 114, 178);
    private static final Color IMPOSTOR = new Color(213, 94, 0);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** ROC with the false accept rate on a log axis from 1e-4 to 1 (points at FAR 0 drawn on the left edge). */
    static void roc(Path file, String title, Metrics.Roc roc) throws IOException {
        Canvas c = new Canvas(title, "false accept rate (log scale)", "true accept rate");
        double minLog = -4;
        for (int e = -4; e <= 0; e++) {
            double x = c.x((e - minLog) / -minLog);
            c.vGrid(x, e == 0 ? "1" : "1e" + e);
        }
        for (int i = 0; i <= 10; i += 2) {
            c.hGrid(c.y(i / 10.0), String.format(Locale.ROOT, "%.1f", i / 10.0));
        }
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < roc.far().length; i++) {
            double lx = roc.far()[i] <= 0 ? minLog : Math.max(minLog, Math.log10(roc.far()[i]));
            double px = c.x((lx - minLog) / -minLog);
            double py = c.y(roc.tar()[i]);
            if (i == 0) {
                line.moveTo(px, py);
            } else {
                line.lineTo(px, py);
            }
        }
        c.g.setColor(GENUINE);
        c.g.setStroke(new BasicStroke(2f));
        c.g.draw(line);
        c.save(file);
    }

    /** Genuine and impostor score histograms, each normalised to its own count. */
    static void histograms(Path file, String title, double[] genuine, double[] impostor) throws IOException {
        Canvas c = new Canvas(title, "score (cosine similarity)", "share of pairs per bin");
        double lo = Math.min(min(genuine), min(impostor));
        double hi = Math.max(max(genuine), max(impostor));
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        int bins = 40;
        double[] g = bin(genuine, lo, hi, bins);
        double[] im = bin(impostor, lo, hi, bins);
        double top = Math.max(max(g), max(im)) * 1.1;
        for (int i = 0; i <= 4; i++) {
            c.hGrid(c.y(i / 4.0), String.format(Locale.ROOT, "%.2f", top * i / 4.0));
            c.vGrid(c.x(i / 4.0), String.format(Locale.ROOT, "%.2f", lo + (hi - lo) * i / 4.0));
        }
        drawBars(c, im, top, IMPOSTOR);
        drawBars(c, g, top, GENUINE);
        c.legend(new String[] {"same person (" + genuine.length + ")", "different people (" + impostor.length + ")"},
                new Color[] {GENUINE, IMPOSTOR});
        c.save(file);
    }

    /** Share of probes whose case is at rank k or better, k = 1..maxK. */
    static void cmc(Path file, String title, int[] ranks, int maxK) throws IOException {
        Canvas c = new Canvas(title, "rank k", "share of probes with the true case in the top k");
        for (int i = 0; i <= 10; i += 2) {
            c.hGrid(c.y(i / 10.0), String.format(Locale.ROOT, "%.1f", i / 10.0));
        }
        for (int k = 1; k <= maxK; k += (k == 1 ? 4 : 5)) {
            c.vGrid(c.x((k - 1) / (double) (maxK - 1)), Integer.toString(k));
        }
        Path2D.Double line = new Path2D.Double();
        for (int k = 1; k <= maxK; k++) {
            double px = c.x((k - 1) / (double) (maxK - 1));
            double py = c.y(Metrics.hitRate(ranks, k));
            if (k == 1) {
                line.moveTo(px, py);
            } else {
                line.lineTo(px, py);
            }
            c.g.setColor(GENUINE);
            c.g.fillOval((int) px - 3, (int) py - 3, 6, 6);
        }
        c.g.setStroke(new BasicStroke(2f));
        c.g.draw(line);
        c.save(file);
    }

    private static void drawBars(Canvas c, double[] share, double top, Color color) {
        Color fill = new Color(color.getRed(), color.getGreen(), color.getBlue(), 110);
        double bw = (W - LEFT - RIGHT) / (double) share.length;
        for (int i = 0; i < share.length; i++) {
            int x0 = (int) Math.round(LEFT + i * bw);
            int x1 = (int) Math.round(LEFT + (i + 1) * bw);
            int y = (int) Math.round(c.y(share[i] / top));
            c.g.setColor(fill);
            c.g.fillRect(x0, y, Math.max(1, x1 - x0), (int) Math.round(c.y(0)) - y);
            c.g.setColor(color);
            c.g.drawLine(x0, y, x1, y);
        }
    }

    private static double[] bin(double[] values, double lo, double hi, int bins) {
        double[] share = new double[bins];
        for (double v : values) {
            int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
            share[Math.max(0, Math.min(bins - 1, b))]++;
        }
        for (int i = 0; i < bins; i++) {
            share[i] /= Math.max(1, values.length);
        }
        return share;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(1);
    }

    /** A plot area with axes; x and y map [0, 1] to pixels. */
    private static final class Canvas {
        final BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();

        Canvas(String title, String xLabel, String yLabel) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, LEFT, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(xLabel, LEFT + (W - LEFT - RIGHT) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, H - 10);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString(yLabel, -(TOP + (H - TOP - BOTTOM) / 2) - r.getFontMetrics().stringWidth(yLabel) / 2, 16);
            r.dispose();
            g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        }

        double x(double t) {
            return LEFT + t * (W - LEFT - RIGHT);
        }

        double y(double t) {
            return H - BOTTOM - t * (H - TOP - BOTTOM);
        }

        void vGrid(double px, String label) {
            g.setColor(new Color(225, 225, 225));
            g.drawLine((int) px, TOP, (int) px, H - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, (int) px - g.getFontMetrics().stringWidth(label) / 2, H - BOTTOM + 16);
        }

        void hGrid(double py, String label) {
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, (int) py, W - RIGHT, (int) py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), (int) py + 4);
        }

        void legend(String[] labels, Color[] colors) {
            int y = TOP + 18;
            for (int i = 0; i < labels.length; i++) {
                g.setColor(colors[i]);
                g.fillRect(W - RIGHT - 190, y - 10, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(labels[i], W - RIGHT - 172, y);
                y += 18;
            }
        }

        void save(Path file) throws IOException {
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
        }
    }
}
