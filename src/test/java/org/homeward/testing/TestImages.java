package org.homeward.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Images for tests: generated ones, and the public-domain portraits that Debian packages carry. */
public final class TestImages {

    /** Grace Hopper, US Navy photo (public domain), from Debian's python-matplotlib-data. */
    public static final Path GRACE_HOPPER = Path.of("/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg");
    /** Eileen Collins, NASA portrait (public domain), from Debian's python3-skimage. */
    public static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");

    private TestImages() {
    }

    public static Optional<byte[]> debianPortrait(Path path) {
        try {
            return Files.isReadable(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small picture with no face, distinct per seed so each upload is new bytes. */
    public static byte[] generated(String format, int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 20; i++) {
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width / 2), 1 + random.nextInt(height / 2));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A valid PNG header that claims width x height, with a few bytes of data: a decompression bomb's shape. */
    public static byte[] pngClaiming(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[4096]);
        deflater.finish();
        byte[] compressed = new byte[4096];
        int n = deflater.deflate(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * The image re-encoded as PNG with one corner pixel set from {@code seed}: the same face, but bytes
     * Homeward has not seen before, so each test run uploads a new photo.
     */
    public static byte[] unique(byte[] image, long seed) {
        try {
            BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(image));
            BufferedImage copy = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
            copy.getGraphics().drawImage(decoded, 0, 0, null);
            copy.setRGB(0, 0, (int) (seed & 0xffffff));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(copy, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JPEG with an APPn segment of {@code payload} right after its start-of-image marker. */
    public static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        int length = Math.min(payload.length + 2, 0xffff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xff);
        out.write(0xd8);
        out.write(0xff);
        out.write(marker);
        out.write(length >> 8);
        out.write(length);
        out.write(payload, 0, length - 2);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** An EXIF block (big-endian TIFF) with one Orientation entry of the given value. */
    public static byte[] exifOrientation(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Exif\u0000\u0000MM\u0000*\u0000\u0000\u0000\u0008\u0000\u0001".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte) value, 0x00, 0x00});
        out.writeBytes(new byte[] {0, 0, 0, 0});
        return out.toByteArray();
    }
}
