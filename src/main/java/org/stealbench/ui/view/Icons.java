package org.stealbench.ui.view;

import java.io.InputStream;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/** The icons of icons/ (on the class path as org/stealbench/icons/NAME.png). */
public final class Icons {

    private Icons() {
    }

    public static Image image(String name) {
        try (InputStream in = Icons.class.getResourceAsStream("/org/stealbench/icons/" + name + ".png")) {
            return in == null ? null : new Image(in);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** An icon sized for a button; empty if the icon is missing. */
    public static ImageView view(String name, double size) {
        ImageView v = new ImageView(image(name));
        v.setFitWidth(size);
        v.setFitHeight(size);
        v.setPreserveRatio(true);
        v.setSmooth(true);
        return v;
    }
}
