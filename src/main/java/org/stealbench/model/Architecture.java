package org.stealbench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stealbench.model.nn.BatchNorm;
import org.stealbench.model.nn.Conv2d;
import org.stealbench.model.nn.Flatten;
import org.stealbench.model.nn.GlobalAvgPool;
import org.stealbench.model.nn.InputConv2d;
import org.stealbench.model.nn.Layer;
import org.stealbench.model.nn.Linear;
import org.stealbench.model.nn.MaxPool2d;
import org.stealbench.model.nn.Relu;
import org.stealbench.model.nn.ResidualBlock;
import org.stealbench.model.nn.Sequential;

/**
 * The encoder architectures. Every trunk ends in a ReLU (or a global average pool of ReLU
 * outputs), so representations are non-negative, as the Wasserstein loss needs.
 */
public enum Architecture {

    /**
     * The fast demo encoder: three conv3x3-BN-ReLU-maxpool blocks (32, 64, 128 channels) and a
     * linear layer with ReLU to the representation. Pooling comes before the ReLU (the two
     * commute), so the ReLU touches a quarter of the values.
     */
    SMALL_CNN("small-cnn") {
        @Override
        public Layer trunk(int channels, int height, int width, int repDim) {
            List<Layer> l = new ArrayList<>();
            int[] widths = {32, 64, 128};
            int in = channels;
            int h = height;
            int w = width;
            for (int i = 0; i < widths.length; i++) {
                l.add(i == 0 ? new InputConv2d(in, widths[i], 3, 1, false) : new Conv2d(in, widths[i], 3, 1, 1, false));
                l.add(new BatchNorm(widths[i]));
                l.add(new MaxPool2d(2));
                l.add(new Relu());
                in = widths[i];
                h /= 2;
                w /= 2;
            }
            l.add(new Flatten());
            l.add(new Linear(in * h * w, repDim));
            l.add(new Relu());
            return new Sequential(l);
        }

        @Override
        public int defaultRepDim() {
            return 128;
        }
    },

    /**
     * CIFAR-style ResNet-18: 3x3 stride-1 stem without max-pool, BasicBlocks [2, 2, 2, 2] of
     * 64/128/256/512 channels, global average pool: a 512-d representation.
     */
    RESNET18("resnet18") {
        @Override
        public Layer trunk(int channels, int height, int width, int repDim) {
            if (repDim != 512) {
                throw new IllegalArgumentException("resnet18's representation is 512-d, not " + repDim);
            }
            List<Layer> l = new ArrayList<>();
            l.add(new InputConv2d(channels, 64, 3, 1, false));
            l.add(new BatchNorm(64));
            l.add(new Relu());
            int in = 64;
            int[] widths = {64, 128, 256, 512};
            for (int s = 0; s < widths.length; s++) {
                l.add(new ResidualBlock(in, widths[s], s == 0 ? 1 : 2));
                l.add(new ResidualBlock(widths[s], widths[s], 1));
                in = widths[s];
            }
            l.add(new GlobalAvgPool());
            return new Sequential(l);
        }

        @Override
        public int defaultRepDim() {
            return 512;
        }
    };

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The network from input images (channels x height x width) to the representation. */
    public abstract Layer trunk(int channels, int height, int width, int repDim);

    public abstract int defaultRepDim();

    /** The projection head used only for training: Linear(rep, hidden)-ReLU-Linear(hidden, out). */
    public static Layer head(int repDim, int hidden, int out) {
        return new Sequential(new Linear(repDim, hidden), new Relu(), new Linear(hidden, out));
    }

    /** The rotation-watermark MLP of docs/protocol.md on the representation: rep-256-128-2. */
    public static Layer watermarkHead(int repDim) {
        return new Sequential(new Linear(repDim, 256), new Relu(), new Linear(256, 128), new Relu(), new Linear(128, 2));
    }

    public static Architecture of(String id) {
        for (Architecture a : values()) {
            if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + id + "'; known: small-cnn, resnet18");
    }
}
