package org.stealbench.ui.view;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.stealbench.experiment.ExperimentEvent;

/**
 * What the attacker sees: the images of its latest request and, under each, the victim's answer as
 * a tiny bar chart of the representation with its norm. Updated as requests are answered.
 */
public final class AttackerStrip extends VBox {

    static final int SIZE = 56;
    private final HBox cells = new HBox(6);
    private final Label caption = new Label();

    public AttackerStrip() {
        setId("attackerStrip");
        setSpacing(4);
        setPadding(new Insets(4, 0, 4, 0));
        caption.getStyleClass().add("note");
        cells.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(caption, cells);
        Tooltip.install(this, new Tooltip("The attacker's latest request: the images it sent, and under each the victim's answer "
                + "(one bar per number of the representation) with its length (norm)"));
        clear();
    }

    /** Nothing sent yet. */
    public void clear() {
        cells.getChildren().clear();
        caption.setText("What the attacker sees: nothing sent yet.");
    }

    /** Shows an answered request. */
    public void show(ExperimentEvent.Answered a) {
        cells.getChildren().clear();
        int[] chw = a.chw();
        int per = chw[0] * chw[1] * chw[2];
        for (int i = 0; i < a.count(); i++) {
            ImageView image = new ImageView(image(a.images(), i * per, chw));
            image.setFitWidth(SIZE);
            image.setFitHeight(SIZE);
            image.setSmooth(false);
            double norm = 0;
            for (int d = 0; d < a.dim(); d++) {
                double v = a.representations()[i * a.dim() + d];
                norm += v * v;
            }
            Label n = new Label(String.format(Locale.ROOT, "|r| %.2f", Math.sqrt(norm)));
            n.getStyleClass().add("note");
            VBox cell = new VBox(2, image, bars(a.representations(), i * a.dim(), a.dim()), n);
            cell.setAlignment(Pos.CENTER);
            cells.getChildren().add(cell);
        }
        caption.setText(String.format(Locale.ROOT, "What the attacker sees: its latest request (key %s), %d of its images and the victim's "
                + "answers; %,d queries answered so far", a.client(), a.count(), a.answeredSoFar()));
    }

    /** How many images the strip shows now (for tests). */
    public int shown() {
        return cells.getChildren().size();
    }

    private static WritableImage image(float[] v, int offset, int[] chw) {
        int c = chw[0];
        int h = chw[1];
        int w = chw[2];
        WritableImage img = new WritableImage(w, h);
        PixelWriter px = img.getPixelWriter();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = offset + y * w + x;
                double r = clamp(v[at]);
                double g = c == 3 ? clamp(v[at + h * w]) : r;
                double b = c == 3 ? clamp(v[at + 2 * h * w]) : r;
                px.setColor(x, y, Color.color(r, g, b));
            }
        }
        return img;
    }

    private static double clamp(float x) {
        return Math.max(0, Math.min(1, x));
    }

    /** The representation as bars, scaled to its largest value. */
    private static Canvas bars(float[] reps, int offset, int dim) {
        Canvas canvas = new Canvas(SIZE, 22);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.web("#f2f2f2"));
        g.fillRect(0, 0, SIZE, 22);
        double max = 1e-9;
        for (int d = 0; d < dim; d++) {
            max = Math.max(max, Math.abs(reps[offset + d]));
        }
        g.setFill(Color.web("#1f3b57"));
        double width = (double) SIZE / dim;
        for (int d = 0; d < dim; d++) {
            double hgt = 21 * Math.abs(reps[offset + d]) / max;
            g.fillRect(d * width, 22 - hgt, Math.max(width, 0.6), hgt);
        }
        return canvas;
    }
}
