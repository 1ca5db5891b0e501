package org.stealbench.data.preview;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.format.DataFiles;
import org.stealbench.data.transform.BatchAugmenter;

/**
 * A labelled picture of a dataset: one row per class with a few samples, and beside it the same
 * samples through an augmenter, so a user sees both the data and what training will see.
 * Drawn with AWT, headless-safe; the workbench shows the same data its own way.
 */
public final class SampleGrid {

    private static final int GAP = 4;
    private static final Color BACKGROUND = new Color(0xF7F7F7);
    private static final Color INK = new Color(0x222222);

    private SampleGrid() {
    }

    /** Indices of the first {@code perClass} images of every class (in dataset order, or seeded-random). */
    public static int[] pick(ImageDataset ds, int perClass, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < ds.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        int[] order = new int[ds.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i : order) {
            List<Integer> l = byClass.get(ds.label(i));
            if (l.size() < perClass) {
                l.add(i);
            }
        }
        return byClass.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Renders the grid. Classes with no image are skipped; datasets with many classes show the
     * first {@code maxClasses}.
     *
     * @param augmenter null for originals only
     */
    public static BufferedImage render(ImageDataset ds, int perClass, int maxClasses, BatchAugmenter augmenter, long seed) {
        int[] picked = pick(ds, perClass, seed);
        List<int[]> rows = new ArrayList<>();
        int k = 0;
        while (k < picked.length && rows.size() < maxClasses) {
            int label = ds.label(picked[k]);
            int start = k;
            while (k < picked.length && ds.label(picked[k]) == label) {
                k++;
            }
            rows.add(java.util.Arrays.copyOfRange(picked, start, k));
        }
        int c = ds.channels();
        int h = ds.height();
        int w = ds.width();
        int scale = Math.max(1, 64 / Math.max(h, w));
        int cell = Math.max(h, w) * scale;
        int labelWidth = 120;
        int panels = augmenter == null ? 1 : 2;
        int panelWidth = perClass * (cell + GAP);
        int titleHeight = 48;
        int width = labelWidth + panels * panelWidth + (panels - 1) * 16 + GAP;
        int height = titleHeight + rows.size() * (cell + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(ds.id() + " (" + ds.split().label() + ")", GAP, 19);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("original", labelWidth, 40);
        if (augmenter != null) {
            g.drawString("augmented (seed " + seed + ")", labelWidth + panelWidth + 16, 40);
        }
        for (int r = 0; r < rows.size(); r++) {
            int[] idx = rows.get(r);
            int y = titleHeight + r * (cell + GAP);
            String name = ds.classNames().get(ds.label(idx[0]));
            g.setColor(INK);
            g.drawString(ellipsize(name, 16), GAP, y + cell / 2 + 5);
            float[] batch = ds.batch(idx);
            drawRow(g, batch, idx.length, c, h, w, scale, labelWidth, y);
            if (augmenter != null) {
                float[] aug = augmenter.apply(batch, idx.length, c, h, w, seed * 1000 + r);
                drawRow(g, aug, idx.length, c, h, w, scale, labelWidth + panelWidth + 16, y);
            }
        }
        if (augmenter != null) {
            g.setColor(new Color(0xBBBBBB));
            g.setStroke(new BasicStroke(1));
            int x = labelWidth + panelWidth + 6;
            g.drawLine(x, titleHeight, x, height - GAP);
        }
        g.dispose();
        return img;
    }

    private static void drawRow(Graphics2D g, float[] batch, int n, int c, int h, int w, int scale, int x0, int y) {
        int plane = h * w;
        for (int j = 0; j < n; j++) {
            BufferedImage tile = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = j * c * plane;
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int p = yy * w + xx;
                    int r = to255(batch[base + p]);
                    int gg = c == 3 ? to255(batch[base + plane + p]) : r;
                    int b = c == 3 ? to255(batch[base + 2 * plane + p]) : r;
                    tile.setRGB(xx, yy, (r << 16) | (gg << 8) | b);
                }
            }
            g.drawImage(tile, x0 + j * (Math.max(h, w) * scale + GAP), y, w * scale, h * scale, null);
        }
    }

    private static int to255(float v) {
        return Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    private static String ellipsize(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    public static void writePng(BufferedImage img, Path out) throws IOException {
        DataFiles.writeAtomically(out, o -> ImageIO.write(img, "png", o));
    }
}
