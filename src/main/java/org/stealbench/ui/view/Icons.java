package org.stealbench.ui.view;

import java.io.InputStream;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/** The icons of icons/ (on the class path as org/stealbench/icons/NAME.png). */
public final class Icons {

    private Icons() {
    }

    private static final java.util.Map<String, Image> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The icon, decoded once and shared (list cells ask for theirs every time one is made); null if missing. */
    public static Image image(String name) {
        Image cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = Icons.class.getResourceAsStream("/org/stealbench/icons/" + name + ".png")) {
            if (in == null) {
                return null;
            }
            Image img = new Image(in);
            CACHE.put(name, img);
            return img;
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
