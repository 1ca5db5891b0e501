package org.stealbench.data.format;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;

/**
 * A folder of images with one sub-folder per class (PNG or JPEG), the layout of torchvision's
 * ImageFolder. Classes are the sub-folder names in sorted order. If the folder has {@code train}
 * and {@code test} sub-folders, each holds such class folders and gives its split; otherwise the
 * last fifth (rounded down) of every class's sorted files is the test split, which is empty
 * when every class has fewer than five images. All images must share one size
 * (mixed sizes are an error naming two files that differ, not a silent resize); the images are
 * grayscale if every one is, RGB otherwise. Empty class folders are an error.
 */
public final class ImageFolderFormat {

    private ImageFolderFormat() {
    }

    public static ImageDataset read(String id, Split split, Path root) {
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root + ": not a folder (folder datasets need one sub-folder per class)");
        }
        Path base = root;
        boolean splitFolders = Files.isDirectory(root.resolve("train")) && Files.isDirectory(root.resolve("test"));
        if (splitFolders) {
            base = root.resolve(split.label());
        }
        List<Path> classDirs = listDirs(base);
        if (classDirs.isEmpty()) {
            throw new DatasetException(base + ": no class sub-folders (expected one folder of PNG/JPEG images per class)");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> imgs = listImages(dir);
            if (imgs.isEmpty()) {
                throw new DatasetException(dir + ": class folder holds no PNG or JPEG images");
            }
            int label = classes.size();
            classes.add(dir.getFileName().toString());
            int from = 0;
            int to = imgs.size();
            if (!splitFolders) {
                int test = imgs.size() / 5;
                if (split == Split.TRAIN) {
                    to = imgs.size() - test;
                } else {
                    from = imgs.size() - test;
                }
            }
            for (Path p : imgs.subList(from, to)) {
                files.add(p);
                labels.add(label);
            }
        }
        if (files.isEmpty()) {
            if (split == Split.TEST && !splitFolders) {
                // Fewer than five images a class: everything trains, nothing is held out.
                ImageDataset train = read(id, Split.TRAIN, root);
                return new ImageDataset(id, split, train.channels(), train.height(), train.width(), new byte[0], new int[0],
                        classes, root + " (no test images)");
            }
            throw new DatasetException(base + ": the " + split.label() + " split is empty");
        }
        List<BufferedImage> images = new ArrayList<>(files.size());
        boolean allGray = true;
        int h = -1;
        int w = -1;
        Path first = null;
        for (Path f : files) {
            BufferedImage img = ImageFiles.read(f);
            if (h < 0) {
                h = img.getHeight();
                w = img.getWidth();
                first = f;
            } else if (img.getHeight() != h || img.getWidth() != w) {
                throw new DatasetException(root + ": mixed image sizes, " + first + " is " + w + "x" + h + " but " + f
                        + " is " + img.getWidth() + "x" + img.getHeight() + " (resize the images to one size first)");
            }
            allGray &= ImageFiles.isGray(img);
            images.add(img);
        }
        int c = allGray ? 1 : 3;
        byte[] pixels = new byte[files.size() * c * h * w];
        for (int i = 0; i < images.size(); i++) {
            ImageFiles.toChw(images.get(i), c, pixels, i * c * h * w);
        }
        int[] labs = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageDataset(id, split, c, h, w, pixels, labs, classes, root.toString());
    }

    private static List<Path> listDirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list folder (" + e.getMessage() + ")", e);
        }
    }

    private static List<Path> listImages(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list folder (" + e.getMessage() + ")", e);
        }
    }
}
