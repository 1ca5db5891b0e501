package org.stealbench.model.nn;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained network of this engine as a DL4J {@link MultiLayerNetwork} with the same outputs, for
 * DL4J users: NCHW input as DL4J expects it, convolutions (weights [kH, kW, in, out] here, [out,
 * in, kH, kW] there), batch norm with its running statistics, max pooling, ReLU, and the dense
 * layer, whose rows are reordered from this engine's NHWC flattening to DL4J's NCHW one. Plain
 * chains of those layers only (the small CNN); residual networks are refused.
 */
public final class Dl4jExport {

    private Dl4jExport() {
    }

    /** The DL4J network computing what {@code net} computes in eval mode (input NCHW, its shape {C, H, W}). */
    public static MultiLayerNetwork toMultiLayer(Network net) {
        if (!(net.root() instanceof Sequential seq)) {
            throw new IllegalArgumentException("only a chain of layers exports to DL4J");
        }
        long[] chw = net.inputShape();
        if (chw.length != 3) {
            throw new IllegalArgumentException("only image networks export to DL4J");
        }
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        List<Runnable> copies = new ArrayList<>();
        MultiLayerNetwork[] built = {null};
        long[] shape = {chw[1], chw[2], chw[0]}; // H, W, C as the layers see it
        long[][] flat = {null}; // the shape the last Flatten flattened ({H, W, C}), for the dense layer after it
        int index = 0; // the DL4J layer being added
        for (Layer l : seq.layers()) {
            int at = index;
            if (l instanceof InputConv2d ic) {
                l = ic.conv;
            }
            if (l instanceof Conv2d c) {
                b.layer(new ConvolutionLayer.Builder(c.kernel, c.kernel).nIn(c.inC).nOut(c.outC).stride(c.stride, c.stride).padding(c.pad, c.pad)
                        .convolutionMode(ConvolutionMode.Truncate).hasBias(c.bias).activation(Activation.IDENTITY).dataFormat(CNN2DFormat.NCHW)
                        .build());
                copies.add(() -> {
                    built[0].getLayer(at).setParam("W", c.w.value.permute(3, 2, 0, 1).dup('c').castTo(DataType.FLOAT));
                    if (c.bias) {
                        built[0].getLayer(at).setParam("b", c.b.value.reshape(1, c.outC).castTo(DataType.FLOAT));
                    }
                });
            } else if (l instanceof BatchNorm n) {
                BatchNormalization.Builder nb = new BatchNormalization.Builder().nOut((int) shape[2]).eps(BatchNorm.EPS)
                        .dataFormat(CNN2DFormat.NCHW).useLogStd(false);
                if (!n.affine) {
                    nb.lockGammaBeta(true).gamma(1).beta(0);
                }
                b.layer(nb.build());
                copies.add(() -> {
                    long ch = n.runningMean.value.length();
                    if (n.affine) {
                        built[0].getLayer(at).setParam("gamma", n.gamma.value.reshape(1, ch).castTo(DataType.FLOAT));
                        built[0].getLayer(at).setParam("beta", n.beta.value.reshape(1, ch).castTo(DataType.FLOAT));
                    }
                    built[0].getLayer(at).setParam("mean", n.runningMean.value.reshape(1, ch).castTo(DataType.FLOAT));
                    built[0].getLayer(at).setParam("var", n.runningVar.value.reshape(1, ch).castTo(DataType.FLOAT));
                });
            } else if (l instanceof MaxPool2d p) {
                b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(p.size, p.size).stride(p.size, p.size)
                        .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW).build());
            } else if (l instanceof Relu) {
                b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
            } else if (l instanceof Flatten) {
                // DL4J flattens between the last convolutional layer and the dense one itself (NCHW order): no layer of its own
                flat[0] = shape.clone();
                shape = l.outputShape(shape);
                continue;
            } else if (l instanceof Linear lin) {
                long[] hwc = flat[0];
                b.layer(new DenseLayer.Builder().nIn(lin.in).nOut(lin.out).hasBias(lin.bias).activation(Activation.IDENTITY).build());
                copies.add(() -> {
                    INDArray w = lin.w.value.castTo(DataType.FLOAT);
                    if (hwc != null) {
                        // rows in (h, w, c) order here, (c, h, w) in DL4J
                        w = w.reshape('c', hwc[0], hwc[1], hwc[2], lin.out).permute(2, 0, 1, 3).dup('c').reshape('c', lin.in, lin.out);
                    }
                    built[0].getLayer(at).setParam("W", w);
                    if (lin.bias) {
                        built[0].getLayer(at).setParam("b", lin.b.value.reshape(1, lin.out).castTo(DataType.FLOAT));
                    }
                });
                flat[0] = null;
            } else {
                throw new IllegalArgumentException("no DL4J export for layer " + l.getClass().getSimpleName()
                        + " (the small CNN exports; residual networks do not)");
            }
            shape = l.outputShape(shape);
            index++;
        }
        MultiLayerConfiguration conf = b.setInputType(InputType.convolutional(chw[1], chw[2], chw[0], CNN2DFormat.NCHW)).build();
        built[0] = new MultiLayerNetwork(conf);
        built[0].init();
        copies.forEach(Runnable::run);
        return built[0];
    }
}
