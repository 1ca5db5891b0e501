package org.stealbench.model.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.pointers.PagedPointer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A convolution's backward pass on float32 NHWC host arrays through oneDNN 2.5 called directly
 * (JavaCPP's dnnl presets), instead of libnd4j's {@code conv2d_bp} (docs/decisions/0026).
 *
 * <p>libnd4j's glue lets oneDNN pick the layout of the activations for the backward primitives,
 * which is its blocked one, and copies the input and the output gradient into it (the gradient twice)
 * and the input gradient back, on every call: about a tenth of the demo copy's training step. The
 * oneDNN 2.3 inside libnd4j has no backward kernels for NHWC; the 2.5 of the presets does
 * ({@code jit:avx512_common} reads and writes NHWC directly), so here the activations stay in our layout
 * and only the weights (a few thousand values) are reordered. One plan per shape keeps its primitives and
 * memory descriptions; a call points them at the arrays and runs them. The weight and bias gradients are
 * written into the caller's buffers (not added): the caller adds them to the parameters' gradients.
 *
 * <p>Used where {@link #applies} says so (the library loaded; float32, contiguous, host arrays); anything else takes {@code conv2d_bp}, as does the float64 path of the gradient checks.
 * {@code -Dstealbench.onednn=false} turns it off.
 */
final class OneDnnConvolution implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnConvolution.class);

    /** The CPU engine and its stream, or null where the library did not load (or is turned off). */
    private static final engine ENGINE;
    private static final stream STREAM;

    static {
        engine e = null;
        stream s = null;
        if (Boolean.parseBoolean(System.getProperty("stealbench.onednn", "true")) && Nd4j.getEnvironment().isCPU()) {
            try {
                e = new engine(engine.kind.cpu, 0);
                s = new stream(e);
            } catch (Throwable t) {
                // no natives for this platform, or they do not load: conv2d_bp it is
                LOG.info("oneDNN for the convolution's backward pass is not available here ({}); using libnd4j's conv2d_bp", t.toString());
                e = null;
                s = null;
            }
        }
        ENGINE = e;
        STREAM = s;
    }

    /** Whether the library is loaded and the arrays can be handed to it. */
    static boolean applies(INDArray... arrays) {
        return ENGINE != null && BatchNormKernels.applies(arrays);
    }

    /** Whether oneDNN is loaded in this process (for tests and the log). */
    static boolean available() {
        return ENGINE != null;
    }

    private final long batch;
    private final long height;
    private final long width;
    private final boolean bias;
    private final List<Pointer> owned = new ArrayList<>();
    private final memory src;
    private final memory diffDst;
    private final memory diffSrc;
    private final memory userWeights;
    private final memory userDiffWeights;
    private final memory diffBias;
    private final primitive backwardWeights;
    private final IntMemoryMap backwardWeightsArgs;
    private final primitive diffWeightsToUser;
    private final IntMemoryMap diffWeightsToUserArgs;
    private final primitive backwardData;
    private final IntMemoryMap backwardDataArgs;
    private final primitive weightsToData;
    private final IntMemoryMap weightsToDataArgs;

    /**
     * A plan for {@code batch} images of {@code height x width x inC} through a {@code kernel x kernel}
     * convolution to {@code outC} channels with this stride and (symmetric) padding; weights [kH, kW, inC,
     * outC] (oneDNN's {@code hwio}).
     */
    OneDnnConvolution(long batch, long height, long width, int inC, int outC, int kernel, int stride, int pad, boolean bias) {
        this.batch = batch;
        this.height = height;
        this.width = width;
        this.bias = bias;
        long outH = (height + 2L * pad - kernel) / stride + 1;
        long outW = (width + 2L * pad - kernel) / stride + 1;
        long[] strides = {stride, stride};
        long[] padding = {pad, pad};
        memory.desc srcDesc = own(desc(new long[] {batch, inC, height, width}, memory.format_tag.nhwc));
        memory.desc dstDesc = own(desc(new long[] {batch, outC, outH, outW}, memory.format_tag.nhwc));
        long[] weightDims = {outC, inC, kernel, kernel};
        memory.desc anyWeights = own(desc(weightDims, memory.format_tag.any));
        memory.desc userWeightsDesc = own(desc(weightDims, memory.format_tag.hwio));
        memory.desc biasDesc = own(bias ? desc(new long[] {outC}, memory.format_tag.x) : new memory.desc());

        // the forward primitive's description is the backward ones' hint (it is not run here)
        convolution_forward.primitive_desc forward = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(
                prop_kind.forward_training, algorithm.convolution_direct, srcDesc, anyWeights, biasDesc, dstDesc, strides, padding, padding)),
                ENGINE));
        convolution_backward_weights.primitive_desc weightsPd = own(new convolution_backward_weights.primitive_desc(
                own(new convolution_backward_weights.desc(algorithm.convolution_direct, srcDesc, anyWeights, biasDesc, dstDesc, strides,
                        padding, padding)), ENGINE, forward));
        convolution_backward_data.primitive_desc dataPd = own(new convolution_backward_data.primitive_desc(
                own(new convolution_backward_data.desc(algorithm.convolution_direct, srcDesc, anyWeights, dstDesc, strides, padding,
                        padding)), ENGINE, forward));

        src = own(new memory(srcDesc, ENGINE, (Pointer) null));
        diffDst = own(new memory(dstDesc, ENGINE, (Pointer) null));
        diffSrc = own(new memory(srcDesc, ENGINE, (Pointer) null));
        userWeights = own(new memory(userWeightsDesc, ENGINE, (Pointer) null));
        userDiffWeights = own(new memory(userWeightsDesc, ENGINE, (Pointer) null));
        diffBias = bias ? own(new memory(biasDesc, ENGINE, (Pointer) null)) : null;
        // the primitives' own weight layouts, in memory oneDNN allocates (a few thousand values)
        memory primitiveDiffWeights = own(new memory(own(weightsPd.diff_weights_desc()), ENGINE));
        memory primitiveWeights = own(new memory(own(dataPd.weights_desc()), ENGINE));

        backwardWeights = own(new convolution_backward_weights(weightsPd));
        backwardWeightsArgs = own(new IntMemoryMap());
        backwardWeightsArgs.put(DNNL_ARG_SRC, src);
        backwardWeightsArgs.put(DNNL_ARG_DIFF_DST, diffDst);
        backwardWeightsArgs.put(DNNL_ARG_DIFF_WEIGHTS, primitiveDiffWeights);
        if (bias) {
            backwardWeightsArgs.put(DNNL_ARG_DIFF_BIAS, diffBias);
        }
        diffWeightsToUser = own(new reorder(primitiveDiffWeights, userDiffWeights));
        diffWeightsToUserArgs = own(new IntMemoryMap());
        diffWeightsToUserArgs.put(DNNL_ARG_FROM, primitiveDiffWeights);
        diffWeightsToUserArgs.put(DNNL_ARG_TO, userDiffWeights);

        backwardData = own(new convolution_backward_data(dataPd));
        backwardDataArgs = own(new IntMemoryMap());
        backwardDataArgs.put(DNNL_ARG_DIFF_DST, diffDst);
        backwardDataArgs.put(DNNL_ARG_WEIGHTS, primitiveWeights);
        backwardDataArgs.put(DNNL_ARG_DIFF_SRC, diffSrc);
        weightsToData = own(new reorder(userWeights, primitiveWeights));
        weightsToDataArgs = own(new IntMemoryMap());
        weightsToDataArgs.put(DNNL_ARG_FROM, userWeights);
        weightsToDataArgs.put(DNNL_ARG_TO, primitiveWeights);
        LOG.debug("oneDNN convolution backward for {}x{}x{}x{} -> {}: weights {}, data {}", batch, height, width, inC, outC,
                weightsPd.impl_info_str().getString(), dataPd.impl_info_str().getString());
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    private <T extends Pointer> T own(T p) {
        owned.add(p);
        return p;
    }

    /** Whether this plan is for inputs of this shape. */
    boolean fits(INDArray x) {
        return x.size(0) == batch && x.size(1) == height && x.size(2) == width;
    }

    /**
     * The weight gradient (and the bias gradient) of the last forward pass into {@code gw} ({@code gb}),
     * and the input gradient into {@code gx} unless it is null.
     */
    void backward(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, INDArray gb) {
        src.set_data_handle(host(x));
        diffDst.set_data_handle(host(gy));
        userDiffWeights.set_data_handle(host(gw));
        if (bias) {
            diffBias.set_data_handle(host(gb));
        }
        backwardWeights.execute(STREAM, backwardWeightsArgs);
        diffWeightsToUser.execute(STREAM, diffWeightsToUserArgs);
        if (gx != null) {
            userWeights.set_data_handle(host(w));
            diffSrc.set_data_handle(host(gx));
            weightsToData.execute(STREAM, weightsToDataArgs);
            backwardData.execute(STREAM, backwardDataArgs);
        }
        STREAM._wait();
    }

    /**
     * The address of the array's first value in host memory: its buffer's start plus its offset (a
     * parameter is a view into the network's flat vector, whose buffer's address is the vector's start).
     */
    private static Pointer host(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("oneDNN path is float32 only, got " + a.dataType());
        }
        return new PagedPointer(a.data().address() + a.offset() * Float.BYTES);
    }

    /** Frees the plan's primitives, descriptions and oneDNN's own weight buffers. */
    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
