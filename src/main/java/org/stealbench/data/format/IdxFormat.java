package org.stealbench.data.format;

import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST (raw or gzipped): a magic number {@code 0 0 type
 * ndims}, one big-endian int per dimension, then the data. Only unsigned bytes (type 0x08) are
 * used by image datasets, and only they are read.
 */
public final class IdxFormat {

    static final int UBYTE = 0x08;

    private IdxFormat() {
    }

    /** An IDX array of unsigned bytes. */
    public record IdxArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    public static IdxArray read(Path file) {
        byte[] bytes = DataFiles.readMaybeGzip(file);
        if (bytes.length < 4) {
            throw new DatasetException(file + ": not an IDX file (only " + bytes.length + " bytes)");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new DatasetException(file + ": bad IDX magic number "
                    + String.format("0x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3])
                    + " (expected 0x0000TTNN)");
        }
        int type = bytes[2] & 0xFF;
        if (type != UBYTE) {
            throw new DatasetException(file + ": IDX data type 0x" + Integer.toHexString(type)
                    + " is not supported (expected unsigned bytes, 0x08)");
        }
        int ndims = bytes[3] & 0xFF;
        if (ndims < 1 || ndims > 4) {
            throw new DatasetException(file + ": IDX file with " + ndims + " dimensions (expected 1 to 4)");
        }
        int header = 4 + 4 * ndims;
        if (bytes.length < header) {
            throw new DatasetException(file + ": truncated IDX header (" + bytes.length + " bytes, need " + header + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int[] dims = new int[ndims];
        long total = 1;
        for (int d = 0; d < ndims; d++) {
            dims[d] = buf.getInt(4 + 4 * d);
            if (dims[d] < 0) {
                throw new DatasetException(file + ": negative IDX dimension " + dims[d]);
            }
            total *= dims[d];
        }
        long found = bytes.length - header;
        if (found != total) {
            throw new DatasetException(file + ": IDX header promises " + Arrays.toString(dims) + " = " + total
                    + " bytes of data, found " + found + (found < total ? " (truncated file)" : " (trailing bytes)"));
        }
        return new IdxArray(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    /** Writes an unsigned-byte IDX array, gzipped when the name ends in .gz, atomically. */
    public static void write(Path file, int[] dims, byte[] data) throws IOException {
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        if (total != data.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " do not match " + data.length + " bytes");
        }
        boolean gz = file.getFileName().toString().endsWith(".gz");
        DataFiles.writeAtomically(file, raw -> {
            OutputStream out = gz ? new GZIPOutputStream(raw, 1 << 16) : raw;
            ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
            header.put((byte) 0).put((byte) 0).put((byte) UBYTE).put((byte) dims.length);
            for (int d : dims) {
                header.putInt(d);
            }
            out.write(header.array());
            out.write(data);
            if (gz) {
                ((GZIPOutputStream) out).finish();
            }
        });
    }

    /**
     * Reads an images file and a labels file into one dataset split.
     * Images must be N x H x W (grayscale) or N x C x H x W.
     */
    public static ImageDataset readSplit(String id, Split split, Path images, Path labels,
                                         java.util.List<String> classNames, String origin) {
        IdxArray img = read(images);
        IdxArray lab = read(labels);
        if (lab.dims().length != 1) {
            throw new DatasetException(labels + ": a labels file must have 1 dimension, found " + lab.dims().length);
        }
        int c;
        int h;
        int w;
        if (img.dims().length == 3) {
            c = 1;
            h = img.dims()[1];
            w = img.dims()[2];
        } else if (img.dims().length == 4) {
            c = img.dims()[1];
            h = img.dims()[2];
            w = img.dims()[3];
        } else {
            throw new DatasetException(images + ": an images file must have 3 or 4 dimensions, found " + img.dims().length);
        }
        if (img.count() != lab.count()) {
            throw new DatasetException(images + " holds " + img.count() + " images but " + labels + " holds "
                    + lab.count() + " labels");
        }
        int[] labs = new int[lab.count()];
        byte[] lb = lab.data();
        for (int i = 0; i < labs.length; i++) {
            labs[i] = lb[i] & 0xFF;
        }
        return new ImageDataset(id, split, c, h, w, img.data(), labs, classNames, origin);
    }

    /** Writes a split as a pair of gzipped IDX files (images 3-D for grayscale, 4-D otherwise). */
    public static void writeSplit(ImageDataset ds, Path images, Path labels) throws IOException {
        int[] dims = ds.channels() == 1
                ? new int[] {ds.size(), ds.height(), ds.width()}
                : new int[] {ds.size(), ds.channels(), ds.height(), ds.width()};
        write(images, dims, ds.rawPixels());
        byte[] lb = new byte[ds.size()];
        for (int i = 0; i < lb.length; i++) {
            if (ds.label(i) > 255) {
                throw new IllegalArgumentException("IDX labels are bytes; label " + ds.label(i) + " does not fit");
            }
            lb[i] = (byte) ds.label(i);
        }
        write(labels, new int[] {ds.size()}, lb);
    }
}
