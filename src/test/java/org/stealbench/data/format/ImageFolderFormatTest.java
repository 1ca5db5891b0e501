package org.stealbench.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;
import static org.stealbench.data.TestData.image;

class ImageFolderFormatTest {

    @TempDir
    Path dir;

    @Test
    void classesAreSortedFolderNamesAndLastFifthIsTest() throws Exception {
        for (int i = 0; i < 5; i++) {
            image(dir.resolve("zebra/" + i + ".png"), 8, 6, 0xFF0000, "png");
            image(dir.resolve("apple/" + i + ".jpg"), 8, 6, 0x00FF00, "jpg");
        }
        ImageDataset train = ImageFolderFormat.read("f", Split.TRAIN, dir);
        ImageDataset test = ImageFolderFormat.read("f", Split.TEST, dir);
        assertEquals(List.of("apple", "zebra"), train.classNames());
        assertEquals(8, train.size());
        assertEquals(2, test.size());
        assertEquals(3, train.channels());
        assertEquals(6, train.height());
        assertEquals(8, train.width());
        // zebra is red: first channel full
        int zebra = train.label(train.size() - 1);
        assertEquals(1, zebra);
        assertEquals(255, train.imageBytes(train.size() - 1)[0] & 0xFF);
    }

    @Test
    void trainAndTestSubfoldersGiveTheSplits() throws Exception {
        image(dir.resolve("train/a/1.png"), 4, 4, 0x808080, "png");
        image(dir.resolve("train/b/1.png"), 4, 4, 0x404040, "png");
        image(dir.resolve("test/a/1.png"), 4, 4, 0x808080, "png");
        image(dir.resolve("test/b/1.png"), 4, 4, 0x404040, "png");
        ImageDataset train = ImageFolderFormat.read("f", Split.TRAIN, dir);
        assertEquals(2, train.size());
        assertEquals(1, train.channels(), "all-gray images load as one channel");
        assertEquals(0x80, train.imageBytes(0)[0] & 0xFF);
    }

    @Test
    void mixedSizesNameBothFiles() throws Exception {
        image(dir.resolve("a/1.png"), 4, 4, 0, "png");
        image(dir.resolve("a/2.png"), 5, 4, 0, "png");
        image(dir.resolve("b/1.png"), 4, 4, 0, "png");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderFormat.read("f", Split.TRAIN, dir));
        assertTrue(e.getMessage().contains("mixed image sizes") && e.getMessage().contains("2.png"), e.getMessage());
    }

    @Test
    void emptyClassFolderAndNoClassesAreErrors() throws Exception {
        assertTrue(assertThrows(DatasetException.class, () -> ImageFolderFormat.read("f", Split.TRAIN, dir))
                .getMessage().contains("no class sub-folders"));
        Files.createDirectories(dir.resolve("empty"));
        image(dir.resolve("full/1.png"), 4, 4, 0, "png");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderFormat.read("f", Split.TRAIN, dir));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("no PNG or JPEG"), e.getMessage());
    }

    @Test
    void unreadableImageIsNamed() throws Exception {
        image(dir.resolve("a/1.png"), 4, 4, 0, "png");
        Files.write(dir.resolve("a/2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2});
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderFormat.read("f", Split.TRAIN, dir));
        assertTrue(e.getMessage().contains("2.png"), e.getMessage());
    }
}
