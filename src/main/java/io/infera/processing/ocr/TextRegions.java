package io.infera.processing.ocr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * PaddleOCR's DB post-processing: from a text detector's probability map to the quadrilaterals of
 * the text lines. Threshold the map; take each connected region (8-connected) of text pixels; its
 * minimum-area rotated rectangle; keep it when its short side is 3 pixels or more and the mean
 * probability under it ({@link BoxScore}) reaches the box threshold; expand it by the unclip ratio (a distance of
 * area x ratio / perimeter on every side, as Clipper's offset of the rectangle does); keep it when
 * its short side is still 5 or more; map it to the picture's pixels.
 *
 * @param threshold    a pixel is text above this probability (PaddleOCR: 0.3)
 * @param boxThreshold a region is kept when its mean probability reaches this (PaddleOCR: 0.6)
 * @param unclipRatio  how far a region is expanded (PaddleOCR: 1.5)
 * @param maxRegions   the most regions read, largest first (PaddleOCR: 1000)
 */
public record TextRegions(double threshold, double boxThreshold, double unclipRatio, int maxRegions) {

    private static final int MIN_SIDE = 3;

    /**
     * @param probability the map, row-major, {@code mapWidth x mapHeight}
     * @param width       the picture's width the regions are mapped to
     * @param height      the picture's height
     * @return the text lines' quadrilaterals in the picture's pixels, in reading order
     */
    public List<Quad> find(float[] probability, int mapWidth, int mapHeight, int width, int height) {
        List<int[]> regions = regions(probability, mapWidth, mapHeight);
        regions.sort(Comparator.comparingInt((int[] r) -> r.length).reversed());
        List<Quad> found = new ArrayList<>();
        for (int[] region : regions.subList(0, Math.min(maxRegions, regions.size()))) {
            Rect box = MinAreaRect.of(region, mapWidth);
            if (box.shortSide() < MIN_SIDE) {
                continue;
            }
            double[][] corners = box.corners();
            double score = BoxScore.mean(probability, mapWidth, mapHeight, corners[0], corners[1]);
            if (score < boxThreshold) {
                continue;
            }
            double distance = box.area() * unclipRatio / box.perimeter();
            Rect expanded = box.grown(distance);
            if (expanded.shortSide() < MIN_SIDE + 2) {
                continue;
            }
            Quad quad = expanded.scaled(
                    (double) width / mapWidth, (double) height / mapHeight, width - 1, height - 1, score);
            if (quad.topLength() > MIN_SIDE && quad.leftLength() > MIN_SIDE) {
                found.add(quad);
            }
        }
        return readingOrder(found);
    }

    /** The pixel indexes of each 8-connected region of pixels above the threshold. */
    private List<int[]> regions(float[] probability, int width, int height) {
        boolean[] seen = new boolean[probability.length];
        List<int[]> regions = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < probability.length; start++) {
            if (seen[start] || !(probability[start] > threshold)) {
                continue;
            }
            List<Integer> members = new ArrayList<>();
            seen[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                members.add(p);
                int px = p % width;
                int py = p / width;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
                            continue;
                        }
                        int n = ny * width + nx;
                        if (!seen[n] && probability[n] > threshold) {
                            seen[n] = true;
                            queue.add(n);
                        }
                    }
                }
            }
            regions.add(members.stream().mapToInt(Integer::intValue).toArray());
        }
        return regions;
    }

    /**
     * Top to bottom, then left to right; a line whose top is within 10 pixels of the previous one's
     * and to its left goes first (PaddleOCR's sorted_boxes).
     */
    static List<Quad> readingOrder(List<Quad> quads) {
        List<Quad> sorted = new ArrayList<>(quads);
        sorted.sort(Comparator.comparingDouble((Quad q) -> q.y()[0]).thenComparingDouble(q -> q.x()[0]));
        for (int i = 0; i < sorted.size() - 1; i++) {
            for (int j = i; j >= 0; j--) {
                Quad a = sorted.get(j);
                Quad b = sorted.get(j + 1);
                if (Math.abs(b.y()[0] - a.y()[0]) < 10 && b.x()[0] < a.x()[0]) {
                    sorted.set(j, b);
                    sorted.set(j + 1, a);
                } else {
                    break;
                }
            }
        }
        return sorted;
    }
}
