package org.stealbench.model.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
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
 * A convolution on float32 NHWC host arrays through oneDNN 2.5 called directly (JavaCPP's dnnl
 * presets), instead of libnd4j's {@code conv2d} and {@code conv2d_bp} (docs/decisions/0026-onednn-direct.md).
 *
 * <p>libnd4j's glue lets oneDNN pick the layout of the activations for the backward primitives,
 * which is its blocked one, and copies the input and the output gradient into it (the gradient twice)
 * and the input gradient back, on every call: about a tenth of the demo copy's training step. The
 * oneDNN 2.3 inside libnd4j has no backward kernels for NHWC; the 2.5 of the presets does
 * ({@code jit:avx512_common} reads and writes NHWC directly), so here the activations stay in our layout
 * and only the weights (a few thousand values) are reordered. The forward pass runs the same kernel as
 * libnd4j's ({@code brgconv}), without libnd4j's set-up of a new primitive on every call.
 *
 * <p>One plan per shape keeps its primitives and memory descriptions (the backward ones made on first
 * use); a call points them at the arrays and runs them. The weight and bias gradients are written into
 * the caller's buffers (not added): the caller adds them to the parameters' gradients. Used where
 * {@link #applies} says so (the library loaded; float32, contiguous, host arrays); anything else takes
 * libnd4j's ops, as does the float64 path of the gradient checks. {@code -Dstealbench.onednn=false}
 * turns it off.
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
                // no natives for this platform, or they do not load: libnd4j's ops it is
                LOG.info("oneDNN for the convolutions is not available here ({}); using libnd4j's conv2d and conv2d_bp", t.toString());
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

    /** Plans made and not yet closed, in this process. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    /** How many plans are open ({@link NativeArrays#openPlans}). */
    static int open() {
        return OPEN.get();
    }

    /** Whether oneDNN is loaded in this process (for tests and the log). */
    static boolean available() {
        return ENGINE != null;
    }

    private final long batch;
    private final long height;
    private final long width;
    private final int inC;
    private final int outC;
    private final int kernel;
    private final boolean bias;
    private final List<Pointer> owned = new ArrayList<>();
    private boolean closed;
    private final long[] strides;
    private final long[] padding;
    private final memory.desc srcDesc;
    private final memory.desc dstDesc;
    private final memory.desc anyWeights;
    private final memory.desc biasDesc;
    /** The arrays' memory: descriptions of our layouts, pointed at the arrays of each call. */
    private final memory src;
    private final memory dst;
    private final memory userWeights;
    private final memory biasMemory;
    private final convolution_forward.primitive_desc forwardPd;
    /** Made on first use: a plan only evaluation uses never makes the backward primitives. */
    private Step forward;
    private Step backwardWeights;
    private Step backwardData;
    private memory diffDst;
    private memory diffSrc;
    private memory userDiffWeights;

    /** A primitive with its arguments, and the reorder of the weights into (or out of) its layout. */
    private record Step(primitive primitive, IntMemoryMap args, primitive weights, IntMemoryMap weightsArgs) {
        void run(boolean weightsFirst) {
            if (weightsFirst) {
                weights.execute(STREAM, weightsArgs);
                primitive.execute(STREAM, args);
            } else {
                primitive.execute(STREAM, args);
                weights.execute(STREAM, weightsArgs);
            }
        }
    }

    /**
     * A plan for {@code batch} images of {@code height x width x inC} through a {@code kernel x kernel}
     * convolution to {@code outC} channels with this stride and (symmetric) padding, with a bias or not;
     * weights [kH, kW, inC, outC] (oneDNN's {@code hwio}).
     */
    OneDnnConvolution(long batch, long height, long width, int inC, int outC, int kernel, int stride, int pad, boolean bias) {
        OPEN.incrementAndGet();
        this.batch = batch;
        this.height = height;
        this.width = width;
        this.inC = inC;
        this.outC = outC;
        this.kernel = kernel;
        this.bias = bias;
        long outH = (height + 2L * pad - kernel) / stride + 1;
        long outW = (width + 2L * pad - kernel) / stride + 1;
        strides = new long[] {stride, stride};
        padding = new long[] {pad, pad};
        try {
            srcDesc = own(desc(new long[] {batch, inC, height, width}, memory.format_tag.nhwc));
            dstDesc = own(desc(new long[] {batch, outC, outH, outW}, memory.format_tag.nhwc));
            long[] weightDims = {outC, inC, kernel, kernel};
            anyWeights = own(desc(weightDims, memory.format_tag.any));
            memory.desc userWeightsDesc = own(desc(weightDims, memory.format_tag.hwio));
            biasDesc = own(bias ? desc(new long[] {outC}, memory.format_tag.x) : new memory.desc());
            src = own(new memory(srcDesc, ENGINE, (Pointer) null));
            dst = own(new memory(dstDesc, ENGINE, (Pointer) null));
            userWeights = own(new memory(userWeightsDesc, ENGINE, (Pointer) null));
            biasMemory = bias ? own(new memory(biasDesc, ENGINE, (Pointer) null)) : null;
            // also the backward primitives' hint
            forwardPd = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop_kind.forward_training,
                    algorithm.convolution_direct, srcDesc, anyWeights, biasDesc, dstDesc, strides, padding, padding)), ENGINE));
        } catch (RuntimeException e) {
            // oneDNN refused a description: free what was made, and the plan was never open
            close();
            throw e;
        }
    }

    /** Memory oneDNN allocates in a primitive's own weight layout (a few thousand values). */
    private memory primitiveMemory(memory.desc d) {
        return own(new memory(own(d), ENGINE));
    }

    private IntMemoryMap map(Object... pairs) {
        IntMemoryMap m = own(new IntMemoryMap());
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (memory) pairs[i + 1]);
        }
        return m;
    }

    private Step forwardStep() {
        if (forward == null) {
            memory weights = primitiveMemory(forwardPd.weights_desc());
            IntMemoryMap args = bias ? map(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_BIAS, biasMemory, DNNL_ARG_DST, dst)
                    : map(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_DST, dst);
            forward = new Step(own(new convolution_forward(forwardPd)), args, own(new reorder(userWeights, weights)),
                    map(DNNL_ARG_FROM, userWeights, DNNL_ARG_TO, weights));
            LOG.debug("oneDNN convolution forward {}x{}x{}x{} -> {}: {}", batch, height, width, inC, outC, forwardPd.impl_info_str().getString());
        }
        return forward;
    }

    private void prepareBackward() {
        if (backwardWeights != null) {
            return;
        }
        diffDst = own(new memory(dstDesc, ENGINE, (Pointer) null));
        diffSrc = own(new memory(srcDesc, ENGINE, (Pointer) null));
        userDiffWeights = own(new memory(own(desc(new long[] {outC, inC, kernel, kernel}, memory.format_tag.hwio)), ENGINE, (Pointer) null));
        convolution_backward_weights.primitive_desc weightsPd = own(new convolution_backward_weights.primitive_desc(
                own(new convolution_backward_weights.desc(algorithm.convolution_direct, srcDesc, anyWeights, biasDesc, dstDesc, strides,
                        padding, padding)), ENGINE, forwardPd));
        convolution_backward_data.primitive_desc dataPd = own(new convolution_backward_data.primitive_desc(
                own(new convolution_backward_data.desc(algorithm.convolution_direct, srcDesc, anyWeights, dstDesc, strides, padding,
                        padding)), ENGINE, forwardPd));
        memory diffWeights = primitiveMemory(weightsPd.diff_weights_desc());
        IntMemoryMap weightArgs = bias
                ? map(DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_WEIGHTS, diffWeights, DNNL_ARG_DIFF_BIAS, biasMemory)
                : map(DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_WEIGHTS, diffWeights);
        backwardWeights = new Step(own(new convolution_backward_weights(weightsPd)), weightArgs, own(new reorder(diffWeights, userDiffWeights)),
                map(DNNL_ARG_FROM, diffWeights, DNNL_ARG_TO, userDiffWeights));
        memory weights = primitiveMemory(dataPd.weights_desc());
        backwardData = new Step(own(new convolution_backward_data(dataPd)), map(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, weights,
                DNNL_ARG_DIFF_SRC, diffSrc), own(new reorder(userWeights, weights)), map(DNNL_ARG_FROM, userWeights, DNNL_ARG_TO, weights));
        LOG.debug("oneDNN convolution backward {}x{}x{}x{} -> {}: weights {}, data {}", batch, height, width, inC, outC,
                weightsPd.impl_info_str().getString(), dataPd.impl_info_str().getString());
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    private <T extends Pointer> T own(T p) {
        owned.add(p);
        return p;
    }

    /** Whether this plan is for inputs of this shape, with a bias or without. */
    boolean fits(INDArray x, boolean withBias) {
        return x.size(0) == batch && x.size(1) == height && x.size(2) == width && withBias == bias;
    }

    /** {@code y = conv(x, w) (+ b)}, {@code b} null when the plan has no bias. */
    void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        src.set_data_handle(host(x));
        userWeights.set_data_handle(host(w));
        if (bias) {
            biasMemory.set_data_handle(host(b));
        }
        dst.set_data_handle(host(y));
        forwardStep().run(true);
        STREAM._wait();
    }

    /**
     * The weight gradient (and the bias gradient) of the last forward pass into {@code gw} ({@code gb}),
     * and the input gradient into {@code gx} unless it is null.
     */
    void backward(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, INDArray gb) {
        prepareBackward();
        src.set_data_handle(host(x));
        diffDst.set_data_handle(host(gy));
        userDiffWeights.set_data_handle(host(gw));
        if (bias) {
            biasMemory.set_data_handle(host(gb));
        }
        backwardWeights.run(false);
        if (gx != null) {
            userWeights.set_data_handle(host(w));
            diffSrc.set_data_handle(host(gx));
            backwardData.run(true);
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
        if (!closed) {
            closed = true;
            OPEN.decrementAndGet();
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
