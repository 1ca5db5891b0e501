package org.stealbench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.nn.Precision;

/**
 * A DL4J network (a {@link MultiLayerNetwork} or a {@link ComputationGraph}, from DL4J's
 * ModelSerializer or DL4J's Keras import) as an {@link ImageEncoder}: images in [0,1] are scaled
 * by {@code pixelScale}, laid out as the network takes them (NCHW, NHWC or flattened), passed
 * through the file's own normaliser when it has one, and the representation is the network's
 * output or the activations of one named layer. Thread-safe: one image batch at a time.
 */
public final class Dl4jEncoder implements ImageEncoder {

    /** How the network takes a batch of images. */
    public enum Layout {
        NCHW, NHWC, FLAT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A layout by name, or null for {@code auto} (found by trying). */
        public static Layout parse(String id) {
            return id == null || id.equalsIgnoreCase("auto") ? null : of(id);
        }

        public static Layout of(String id) {
            try {
                return valueOf(id.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layout " + id + ": nchw, nhwc or flat");
            }
        }
    }

    /**
     * How images reach the network and which output is the representation.
     *
     * @param layer      null for the network's output; else a layer's index or name (a MultiLayerNetwork) or a vertex's name (a graph)
     * @param pixelScale what [0,1] pixels are multiplied by first (1, or 255 for networks trained on raw pixel values)
     */
    public record Input(int channels, int height, int width, Layout layout, String layer, double pixelScale) {

        public Input {
            if (channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("input shape must be positive, got " + channels + "x" + height + "x" + width);
            }
            if (!(pixelScale > 0)) {
                throw new IllegalArgumentException("the pixel scale must be positive");
            }
        }

        public Input withLayout(Layout l) {
            return new Input(channels, height, width, l, layer, pixelScale);
        }
    }

    private final Model network;
    private final DataNormalization normalizer;
    private final Input input;
    private final int repDim;
    private final String kind;

    /**
     * Wraps {@code network}, trying it on two blank images: with a null layout, the layouts in the
     * order the network's first layers suggest, the first that gives one vector per image. The
     * network is owned (closed with this encoder).
     */
    public Dl4jEncoder(Model network, DataNormalization normalizer, Input input) {
        if (!(network instanceof MultiLayerNetwork) && !(network instanceof ComputationGraph)) {
            throw new IllegalArgumentException("a DL4J victim is a MultiLayerNetwork or a ComputationGraph, not "
                    + network.getClass().getSimpleName());
        }
        if (network instanceof ComputationGraph g && (g.getNumInputArrays() != 1 || (input.layer() == null && g.getNumOutputArrays() != 1))) {
            throw new IllegalArgumentException("the graph has " + g.getNumInputArrays() + " inputs and " + g.getNumOutputArrays()
                    + " outputs; a victim takes one image input and gives one representation (name the layer with --layer)");
        }
        this.network = network;
        this.normalizer = normalizer;
        this.kind = network.getClass().getSimpleName();
        List<Layout> tries = input.layout() != null ? List.of(input.layout()) : List.of(Layout.NCHW, Layout.NHWC, Layout.FLAT);
        List<String> failures = new ArrayList<>();
        Input chosen = null;
        int dim = -1;
        for (Layout l : tries) {
            Input candidate = input.withLayout(l);
            try (INDArray out = forward(new float[2 * input.channels() * input.height() * input.width()], 2, candidate)) {
                if (out.rank() == 2 && out.size(0) == 2) {
                    chosen = candidate;
                    dim = (int) out.size(1);
                    break;
                }
                failures.add(l.id() + ": the output is " + java.util.Arrays.toString(out.shape()) + ", not one vector per image");
            } catch (RuntimeException e) {
                failures.add(l.id() + ": " + firstLine(e));
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException("the " + kind + " does not take " + input.channels() + "x" + input.height() + "x"
                    + input.width() + " images (set the input shape, the layout or the layer): " + String.join("; ", failures));
        }
        this.input = chosen;
        this.repDim = dim;
    }

    private static String firstLine(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    public Model network() {
        return network;
    }

    /** The input as settled when the network was tried (the layout is never null). */
    public Input input() {
        return input;
    }

    @Override
    public int channels() {
        return input.channels();
    }

    @Override
    public int height() {
        return input.height();
    }

    @Override
    public int width() {
        return input.width();
    }

    @Override
    public int repDim() {
        return repDim;
    }

    @Override
    public String describe() {
        return "DL4J " + kind + (input.layer() == null ? "" : " (layer " + input.layer() + ")") + ", " + repDim + "-d";
    }

    @Override
    public synchronized INDArray represent(float[] images, int n) {
        INDArray out = forward(images, n, input);
        if (out.dataType() == Precision.type()) {
            return out;
        }
        INDArray cast = out.castTo(Precision.type());
        out.close();
        return cast;
    }

    private INDArray forward(float[] images, int n, Input in) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        float[] x = images;
        if (in.pixelScale() != 1) {
            x = images.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] *= (float) in.pixelScale();
            }
        }
        INDArray a = Nd4j.create(x, new long[] {n, c, h, w}, 'c');
        INDArray shaped = switch (in.layout()) {
            case NCHW -> a;
            case NHWC -> a.permute(0, 2, 3, 1).dup('c');
            case FLAT -> a.reshape('c', n, (long) c * h * w);
        };
        DataType type = network instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().getDataType()
                : ((ComputationGraph) network).getConfiguration().getDataType();
        INDArray typed = shaped.dataType() == type ? shaped : shaped.castTo(type);
        if (normalizer != null) {
            normalizer.transform(typed);
        }
        try {
            return output(typed, in.layer());
        } finally {
            for (INDArray t : new INDArray[] {a, shaped, typed}) {
                if (!t.wasClosed() && !t.isView()) {
                    t.close();
                }
            }
        }
    }

    private INDArray output(INDArray x, String layer) {
        if (network instanceof MultiLayerNetwork m) {
            if (layer == null) {
                return m.output(x, false);
            }
            int index = layerIndex(m, layer);
            List<INDArray> acts = m.feedForwardToLayer(index, x, false);
            return acts.get(index + 1).dup();
        }
        ComputationGraph g = (ComputationGraph) network;
        if (layer == null) {
            return g.outputSingle(false, x);
        }
        if (g.getVertex(layer) == null) {
            throw new IllegalArgumentException("the graph has no vertex " + layer);
        }
        Map<String, INDArray> acts = g.feedForward(x, false);
        return acts.get(layer).dup();
    }

    private static int layerIndex(MultiLayerNetwork m, String layer) {
        try {
            int i = Integer.parseInt(layer);
            if (i < 0 || i >= m.getnLayers()) {
                throw new IllegalArgumentException("layer " + i + " of a network of " + m.getnLayers() + " layers");
            }
            return i;
        } catch (NumberFormatException e) {
            for (int i = 0; i < m.getnLayers(); i++) {
                if (layer.equals(m.getLayer(i).conf().getLayer().getLayerName())) {
                    return i;
                }
            }
            throw new IllegalArgumentException("the network has no layer named " + layer);
        }
    }

    @Override
    public synchronized void close() {
        network.close();
    }
}
