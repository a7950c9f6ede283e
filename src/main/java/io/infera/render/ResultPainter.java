package io.infera.render;

import io.infera.processing.LabelScore;
import io.infera.processing.image.RgbImage;
import io.infera.tasks.TaskType;
import io.infera.tasks.imagesegmentation.ImageSegmentationTask;
import io.infera.tasks.objectdetection.DetectedObject;
import io.infera.tasks.ocr.TextLine;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a task's answer on its input picture, because people would rather look than read:
 * labelled boxes for detection, translucent coloured masks with a legend for segmentation, the
 * top labels for classification, each read line's outline and text for OCR. Small pictures are enlarged first so that the text is legible.
 */
public final class ResultPainter {

    /** The shorter side a picture is enlarged to before drawing, when it is smaller. */
    private static final int MIN_SIDE = 320;

    private static final float MASK_ALPHA = 0.45f;
    /** Colours that stay apart from each other and readable under white text. */
    private static final Color[] PALETTE = {
        new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8), new Color(0xF58231), new Color(0x911EB4),
        new Color(0x008080), new Color(0xF032E6), new Color(0x9A6324), new Color(0x800000), new Color(0x000075)
    };

    private ResultPainter() {}

    /** Whether this task's answers can be drawn. */
    public static boolean draws(TaskType task) {
        return task == TaskType.OBJECT_DETECTION
                || task == TaskType.IMAGE_SEGMENTATION
                || task == TaskType.IMAGE_CLASSIFICATION
                || task == TaskType.OCR;
    }

    /** The picture with the answer drawn on it, as PNG bytes. */
    public static byte[] png(RgbImage picture, TaskType task, Object answer) {
        double scale = Math.max(1.0, (double) MIN_SIDE / Math.min(picture.width(), picture.height()));
        BufferedImage canvas = canvas(picture, scale);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            switch (task) {
                case OBJECT_DETECTION -> boxes(g, list(answer, DetectedObject.class), scale);
                case IMAGE_SEGMENTATION -> masks(g, canvas, list(answer, ImageSegmentationTask.Segment.class));
                case IMAGE_CLASSIFICATION -> labels(g, list(answer, LabelScore.class));
                case OCR -> lines(g, list(answer, TextLine.class), scale);
                default -> throw new IllegalArgumentException(task + " answers are not drawn");
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(canvas, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object answer, Class<T> type) {
        List<?> items = (List<?>) answer;
        for (Object item : items) {
            if (!type.isInstance(item)) {
                throw new IllegalArgumentException("expected " + type.getSimpleName() + " answers, got "
                        + item.getClass().getSimpleName());
            }
        }
        return (List<T>) items;
    }

    private static BufferedImage canvas(RgbImage picture, double scale) {
        BufferedImage source = new BufferedImage(picture.width(), picture.height(), BufferedImage.TYPE_INT_RGB);
        byte[] p = picture.pixels();
        for (int y = 0; y < picture.height(); y++) {
            for (int x = 0; x < picture.width(); x++) {
                int i = (y * picture.width() + x) * 3;
                source.setRGB(x, y, (p[i] & 0xFF) << 16 | (p[i + 1] & 0xFF) << 8 | (p[i + 2] & 0xFF));
            }
        }
        if (scale == 1.0) {
            return source;
        }
        int width = (int) Math.round(picture.width() * scale);
        int height = (int) Math.round(picture.height() * scale);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        // Nearest neighbour: enlarged pixels stay sharp, so what the model saw is what is shown.
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return canvas;
    }

    private static Color colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    private static void boxes(Graphics2D g, List<DetectedObject> objects, double scale) {
        Map<String, Integer> labelIndex = new LinkedHashMap<>();
        g.setStroke(new BasicStroke(3f));
        for (DetectedObject o : objects) {
            Color c = colour(labelIndex.computeIfAbsent(o.label(), k -> labelIndex.size()));
            int x = (int) Math.round(o.box().xmin() * scale);
            int y = (int) Math.round(o.box().ymin() * scale);
            int w = (int) Math.round((o.box().xmax() - o.box().xmin()) * scale);
            int h = (int) Math.round((o.box().ymax() - o.box().ymin()) * scale);
            g.setColor(c);
            g.drawRect(x, y, w, h);
            tag(g, o.label() + String.format(Locale.ROOT, " %.2f", o.score()), x, y, c);
        }
    }

    /** Each line's quadrilateral, and what was read on a tab above it. */
    private static void lines(Graphics2D g, List<TextLine> lines, double scale) {
        g.setStroke(new BasicStroke(3f));
        for (int i = 0; i < lines.size(); i++) {
            TextLine line = lines.get(i);
            Polygon outline = new Polygon();
            for (int[] corner : line.box()) {
                outline.addPoint((int) Math.round(corner[0] * scale), (int) Math.round(corner[1] * scale));
            }
            Color c = colour(i);
            g.setColor(c);
            g.drawPolygon(outline);
            tag(g, line.text(), outline.xpoints[0], outline.ypoints[0], c);
        }
    }

    /** A label on a filled tab above (or, at the top edge, inside) a box. */
    private static void tag(Graphics2D g, String text, int x, int y, Color background) {
        FontMetrics m = g.getFontMetrics();
        int w = m.stringWidth(text) + 8;
        int h = m.getHeight() + 2;
        int top = y - h >= 0 ? y - h : y;
        g.setColor(background);
        g.fillRect(x, top, w, h);
        g.setColor(Color.WHITE);
        g.drawString(text, x + 4, top + m.getAscent() + 1);
    }

    private static void masks(Graphics2D g, BufferedImage canvas, List<ImageSegmentationTask.Segment> segments) {
        for (int s = 0; s < segments.size(); s++) {
            BufferedImage mask = decode(segments.get(s).mask());
            Color c = colour(s);
            BufferedImage overlay = new BufferedImage(mask.getWidth(), mask.getHeight(), BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < mask.getHeight(); y++) {
                for (int x = 0; x < mask.getWidth(); x++) {
                    if ((mask.getRGB(x, y) & 0xFF) > 127) {
                        overlay.setRGB(x, y, 0xFF000000 | c.getRGB());
                    }
                }
            }
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, MASK_ALPHA));
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(overlay, 0, 0, canvas.getWidth(), canvas.getHeight(), null);
        }
        g.setComposite(AlphaComposite.SrcOver);
        // Legend: one swatch and name per class, top left.
        FontMetrics m = g.getFontMetrics();
        int line = m.getHeight() + 4;
        int width =
                segments.stream().mapToInt(s -> m.stringWidth(s.label())).max().orElse(0) + 34;
        g.setColor(new Color(0, 0, 0, 160));
        g.fillRect(6, 6, width, line * segments.size() + 6);
        for (int s = 0; s < segments.size(); s++) {
            int y = 9 + s * line;
            g.setColor(colour(s));
            g.fillRect(12, y + 2, 14, line - 6);
            g.setColor(Color.WHITE);
            g.drawString(segments.get(s).label(), 32, y + m.getAscent());
        }
    }

    private static void labels(Graphics2D g, List<LabelScore> labels) {
        List<LabelScore> top = labels.subList(0, Math.min(3, labels.size()));
        FontMetrics m = g.getFontMetrics();
        int line = m.getHeight() + 4;
        int width = top.stream().mapToInt(l -> m.stringWidth(l.label())).max().orElse(0) + 120;
        g.setColor(new Color(0, 0, 0, 160));
        g.fillRect(6, 6, width, line * top.size() + 6);
        for (int i = 0; i < top.size(); i++) {
            LabelScore l = top.get(i);
            int y = 9 + i * line;
            g.setColor(colour(i));
            g.fillRect(12, y + 2, (int) Math.round(80 * l.score()), line - 6);
            g.setColor(Color.WHITE);
            g.drawString(String.format(Locale.ROOT, "%s %.2f", l.label(), l.score()), 100, y + m.getAscent());
        }
    }

    private static BufferedImage decode(String base64Png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64Png)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
